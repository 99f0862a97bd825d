"""Deadlines as an iCalendar file (RFC 5545) the patient imports into any calendar.

Each deadline is an all-day event on its last day with a reminder a week before. The UID is
stable for a (record, kind) pair, so importing a newer export updates the events instead of
duplicating them. Calendars sync to the cloud, so the summary says only what the patient
needs to recognise the item ("Appeal deadline: right knee PRP denial (ref 12345)"); the
description adds the rule, the detail sentence and whose deadline it is, nothing more.

Text is escaped (backslash, semicolon, comma, newline) and every line is folded at 75 octets
of UTF-8 without splitting a character; lines end with CRLF, as the RFC requires.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .upcoming import UpcomingDeadline

PRODID = "-//RegenLog//Deadlines 1.0//EN"
REMINDER = "-P7D"  # a week before the day, so there is time to gather the paperwork
_FOLD_AT = 75


def escape_text(value: str) -> str:
    """RFC 5545 3.3.11 TEXT: backslash first, then ; and , and line breaks as \\n."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, continuation lines starting
    with one space (which counts toward their 75), never inside a UTF-8 character."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = _FOLD_AT if not chunks else _FOLD_AT - 1
        if size + width > limit:
            chunks.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    chunks.append("".join(current))
    return "\r\n ".join(chunks)


def event_uid(item: UpcomingDeadline) -> str:
    """Stable across exports: the record and the kind of deadline, nothing that changes."""
    return f"{item.record_type}-{item.record_id}-{item.kind}@regenlog"


def _utc_stamp(now: dt.datetime) -> str:
    if not isinstance(now, dt.datetime):
        raise TypeError(f"now must be a datetime, got {now!r}")
    if now.tzinfo is None:
        raise ValueError("now must carry a time zone (for example datetime.now(UTC))")
    return now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _description(item: UpcomingDeadline) -> str:
    parts = [item.deadline.label + ".", item.deadline.rule]
    if item.detail:
        parts.append(item.detail)
    if item.person_name:
        parts.append(f"For {item.person_name}.")
    return "\n".join(parts)


def deadlines_to_ics(deadlines: Iterable[UpcomingDeadline], *, now: dt.datetime) -> str:
    """A VCALENDAR with one all-day VEVENT (and a VALARM a week before) per deadline.

    ``now`` (time-zone aware) is the DTSTAMP of every event; passing it in keeps the output
    reproducible. An item listed twice (same UID) is written once.
    """
    stamp = _utc_stamp(now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:RegenLog deadlines",
    ]
    seen: set[str] = set()
    for item in deadlines:
        uid = event_uid(item)
        if uid in seen:
            continue
        seen.add(uid)
        day = item.due
        summary = escape_text(item.title)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{summary}",
            f"DESCRIPTION:{escape_text(_description(item))}",
            "TRANSP:TRANSPARENT",
            f"CATEGORIES:{escape_text(item.kind.replace('_', ' '))}",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{summary}",
            f"TRIGGER:{REMINDER}",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
