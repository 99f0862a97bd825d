"""Checking a records file against the shipped JSON Schema, with one sentence per problem.

The schema (``schema.json``, JSON Schema draft 2020-12) is the published contract, so the
importer checks files with the schema itself rather than with a second hand-written copy of
its rules that could drift from it. Two things are stricter than a generic validator:
whole numbers must be written without a decimal point (``12.0`` is refused where cents are
expected), and "date"/"date-time" formats are really checked ("2026-13-01" is not a date).
"""

import functools
import json
from importlib import resources
from typing import Any

from ..errors import ValidationError
from ..money import format_money
from .layout import SECTIONS, json_path, parse_date, parse_datetime, shown

SECTION_MODELS = dict(SECTIONS)


@functools.cache
def load_schema() -> dict:
    """The records format's JSON Schema, as shipped in the package."""
    text = resources.files(__package__).joinpath("schema.json").read_text(encoding="utf-8")
    return json.loads(text)


@functools.cache
def _validator():
    # jsonschema is imported here, not at module level: it is only needed when importing.
    from jsonschema import Draft202012Validator, FormatChecker, validators

    def strict_integer(_checker, instance) -> bool:
        return isinstance(instance, int) and not isinstance(instance, bool)

    type_checker = Draft202012Validator.TYPE_CHECKER.redefine("integer", strict_integer)
    strict = validators.extend(Draft202012Validator, type_checker=type_checker)
    formats = FormatChecker(formats=())
    formats.checks("date")(lambda v: not isinstance(v, str) or parse_date(v) is not None)
    formats.checks("date-time")(lambda v: not isinstance(v, str) or parse_datetime(v) is not None)
    return strict(load_schema(), format_checker=formats)


def check_document(document: Any) -> None:
    """Raise ValidationError naming the JSON path of the first problem, in file order."""
    errors = list(_validator().iter_errors(document))
    if not errors:
        return
    first = min(errors, key=lambda e: _sort_key(document, e))
    path, sentence = _describe(document, first)
    raise ValidationError(f"{json_path(*path)}: {sentence}", json_path(*path))


def _sort_key(document: Any, error) -> tuple:
    """Where the error sits in the file: positions of keys and indexes along its path."""
    positions: list[int] = []
    node = document
    for step in [*error.absolute_path, *_extra_step(error)]:
        if isinstance(node, dict):
            positions.append(list(node).index(step) if step in node else -1)
        elif isinstance(node, list):
            positions.append(step)
        node = _child(node, step)
    # Between two errors at the same place, a format/pattern error reads best.
    preference = {"format": 0, "pattern": 1, "type": 2}.get(error.validator, 3)
    return (*positions, -1, preference)


def _child(node: Any, step) -> Any:
    if isinstance(node, dict):
        return node.get(step)
    if isinstance(node, list) and isinstance(step, int) and step < len(node):
        return node[step]
    return None


def _extra_step(error) -> list[str]:
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {})
        return [next(k for k in error.instance if k not in allowed)]
    return []


TYPE_WORDS = {
    "integer": "a whole number", "string": "text", "boolean": "true or false",
    "null": "null", "array": "a list", "object": "an object", "number": "a number",
}


def _describe(document: Any, error) -> tuple[list, str]:
    """(path, sentence) for one jsonschema error."""
    path = list(error.absolute_path)
    schema, value, kind = error.schema, error.instance, error.validator
    field = path[-1] if path and isinstance(path[-1], str) else ""
    if kind == "additionalProperties":
        extra = _extra_step(error)[0]
        if len(path) == 3 and path[0] == "records" and path[1] in SECTION_MODELS:
            label = SECTION_MODELS[path[1]].__tablename__.replace("_", " ")
            return [*path, extra], f'{_article(label)} {label} record has no field called "{extra}".'
        return [*path, extra], f'there is no field called "{extra}" here.'
    if kind == "required":
        missing = next(n for n in error.validator_value if n not in value)
        return path, f'the required field "{missing}" is missing.'
    if kind == "oneOf" and isinstance(value, dict):
        if all(k in value for k in ("file", "content_base64")):
            return path, 'a document has both "file" and "content_base64"; keep only one.'
        return path, 'a document needs its content: a "file" path or "content_base64".'
    if schema.get("format") == "date":
        return path, f"{shown(value)} is not a date."
    if schema.get("format") == "date-time":
        return path, (
            f'{shown(value)} is not a date and time in UTC, written like "2026-03-02T15:04:00Z".'
        )
    if kind == "type":
        expected = error.validator_value
        expected = [expected] if isinstance(expected, str) else expected
        words = " or ".join(TYPE_WORDS.get(t, t) for t in expected)
        if field.endswith("_cents") and "integer" in expected:
            words = "a whole number of cents"
        return path, f"{shown(value)} is not {words}."
    if kind == "enum":
        choices = ", ".join(error.validator_value)
        return path, f"{shown(value)} is not one of the choices: {choices}."
    if kind == "const":
        return path, f"{shown(value)} should be {shown(error.validator_value)}."
    if kind == "minimum":
        if field.endswith("_cents") and error.validator_value == 0:
            return path, f"{shown(value)} is negative; amounts are zero or more cents."
        return path, f"{shown(value)} is less than {error.validator_value}, the smallest allowed."
    if kind == "maximum":
        if field.endswith("_cents"):
            return path, (
                f"{shown(value)} cents is more than {format_money(error.validator_value)}, the "
                "largest amount RegenLog keeps; check the amount."
            )
        return path, f"{shown(value)} is more than {error.validator_value}, the largest allowed."
    if kind == "maxItems":
        return path, f"the list holds {len(value)} entries; at most {error.validator_value} are allowed."
    if kind == "uniqueItems":
        return path, "the list names the same entry twice."
    if kind == "minLength":
        return path, "this text cannot be empty."
    if kind == "pattern" and field == "sha256":
        return path, f"{shown(value)} is not a SHA-256 hash (64 lowercase hexadecimal digits)."
    return path, error.message.rstrip(".") + "."


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"
