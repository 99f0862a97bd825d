"""What the records format looks like: its sections, field kinds and value spelling.

Shared by the exporter and the importer so both read and write exactly the same shape.
"""

import datetime as dt
import json
import re
from enum import StrEnum

from .. import models as m
from ..record_kinds import RECORD_KINDS
from ..services.records import references

FORMAT_NAME = "regenlog-records"
FORMAT_VERSION = 1

# The "records" keys in the order they are written and imported (the record kinds' order):
# every record's references point at an earlier section, so importing in this order never
# meets a missing parent.
SECTIONS: tuple[tuple[str, type[m.Record]], ...] = tuple(
    (kind.section, kind.model) for kind in RECORD_KINDS.values()
)
SECTION_OF: dict[type[m.Record], str] = {model: key for key, model in SECTIONS}

# Columns every record has, written last so a record reads domain fields first.
TRAILING = ("notes", "created_at", "updated_at", "deleted_at")

# The nested parts each section owns, in the order they are written (after the columns).
PARTS: dict[str, tuple[str, ...]] = {
    kind.section: kind.parts for kind in RECORD_KINDS.values() if kind.parts
}

# Where a document's content is, on top of its columns (exactly one of them).
CONTENT_KEYS = ("file", "content_base64")

DATE, DATETIME, INT, BOOL, TEXT = "date", "datetime", "int", "bool", "text"

_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def base_type(annotation):
    args = [a for a in getattr(annotation, "__args__", ()) if a is not type(None)]
    return args[0] if args else annotation


def is_optional(annotation) -> bool:
    return type(None) in getattr(annotation, "__args__", ())


def field_kind(model: type[m.Record], name: str):
    """DATE, DATETIME, INT, BOOL, TEXT, or the StrEnum class of an enum field."""
    base = base_type(model.model_fields[name].annotation)
    if base is dt.datetime:
        return DATETIME
    if base is dt.date:
        return DATE
    if isinstance(base, type) and issubclass(base, StrEnum):
        return base
    if base is bool:
        return BOOL
    if base is int:
        return INT
    return TEXT


def columns(model: type[m.Record]) -> list[str]:
    """The model's columns in the order a record object lists them."""
    names = [n for n in model.model_fields if n not in TRAILING and n != "id"]
    return ["id", *names]


def required_fields(model: type[m.Record]) -> list[str]:
    """Columns an imported record must give: the id and those without a default."""
    out = ["id"]
    for name, info in model.model_fields.items():
        if name == "id" or name in TRAILING:
            continue
        if info.is_required() or (
            info.default is None and info.default_factory is None
            and not is_optional(info.annotation)
        ):
            out.append(name)
    return out


def foreign_keys(model: type[m.Record]) -> dict[str, str]:
    """{field: section key of the record it points at}."""
    return {field: SECTION_OF[target] for field, target in references(model).items()}


# -- value spelling ------------------------------------------------------------------------
def date_text(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def datetime_text(value: dt.datetime | None) -> str | None:
    """UTC with a "Z"; SQLite hands back naive datetimes, which RegenLog stores as UTC."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    return text + "Z"


def parse_date(text: str) -> dt.date | None:
    """A "YYYY-MM-DD" date, or None when it is not one (e.g. "2026-13-01")."""
    if not isinstance(text, str) or not _DATE.match(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_datetime(text: str) -> dt.datetime | None:
    """A UTC "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" datetime (aware), or None."""
    if not isinstance(text, str) or not _DATETIME.match(text):
        return None
    try:
        return dt.datetime.fromisoformat(text[:-1]).replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def json_path(*parts: str | int) -> str:
    """``$.records.treatments[3].date_of_service`` from ("records", "treatments", 3, ...)."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part):
            out += f".{part}"
        else:
            out += "[" + _quote(part) + "]"
    return out


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def shown(value, limit: int = 60) -> str:
    """A JSON value as a message quotes it, cut short when long (base64 can be megabytes)."""
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, (dict, list)) else (
        "an object" if isinstance(value, dict) else "a list"
    )
    return text if len(text) <= limit else text[: limit - 1] + "…"
