"""The small pieces of HTML the cover letter and the statement are built from.

Every value passes through ``esc``: names and notes are typed by people, and a "<" in a
clinic's name must print as a "<", not start a tag.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Sequence

from ..core.dates import local_time
from ..core.money import format_money
from ..core.text import printable


def esc(value) -> str:
    """Text for HTML, without control or direction-changing characters; None shows as
    nothing."""
    return "" if value is None else html.escape(printable(str(value)), quote=True)


def money(cents: int | None) -> str:
    return "" if cents is None else format_money(cents)


def day(value: dt.date | dt.datetime | None) -> str:
    """Dates as ISO (2026-03-10): unambiguous for every reader and sortable."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return local_time(value).strftime("%Y-%m-%d %H:%M %Z").strip()
    return value.isoformat()


def grid(
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    numeric: Iterable[int] = (),
    keep: Iterable[int] = (),
    small: bool = False,
) -> str:
    """A ruled table. ``numeric`` columns (by index) are right-aligned and, with ``keep``
    columns (codes, dates), never wrapped, so "$1,500.00" cannot break in two. Cells are
    escaped unless they are ``Raw``."""
    right, whole = set(numeric), set(numeric) | set(keep)

    def attrs(i: int) -> str:
        classes = " ".join(c for c, on in (("num", i in right), ("keep", i in whole)) if on)
        return f' class="{classes}"' if classes else ""

    head = "".join(f"<th{attrs(i)}>{esc(h)}</th>" for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(f"<td{attrs(i)}>{cell(v)}</td>" for i, v in enumerate(row)) + "</tr>"
        for row in rows
    )
    size = ' style="font-size: 8.5pt;"' if small else ""
    return (
        f'<table class="grid" width="100%" cellspacing="0" cellpadding="3" border="1"{size}>'
        f"<thead><tr>{head}</tr></thead>{body}</table>"
    )


def fields(pairs: Iterable[tuple[str, object]]) -> str:
    """Label: value lines, skipping empty values."""
    rows = "".join(
        f"<tr><td><b>{esc(label)}</b></td><td>{cell(value)}</td></tr>"
        for label, value in pairs
        if value not in (None, "")
    )
    return f'<table class="plain" cellspacing="0">{rows}</table>' if rows else ""


class Raw(str):
    """HTML already built (and escaped) by this module."""


def cell(value) -> str:
    return value if isinstance(value, Raw) else esc(value).replace("\n", "<br>")
