"""Dates people type: ISO (2026-01-15) and the US spreadsheet forms (1/15/2026, 01/15/26)."""

import calendar
import datetime as dt
import re

from .errors import ValidationError

_US = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


# The years a record's dates may fall in: a date outside them is a typo (12/31/9999), and
# deadline arithmetic on it would run off the calendar's end.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2099, 12, 31)
OUT_OF_RANGE = "must be between 1900 and 2099; check the year."


def in_range(day: dt.date) -> bool:
    day = day.date() if isinstance(day, dt.datetime) else day
    return EARLIEST <= day <= LATEST


def parse_date(text: str) -> dt.date:
    """Parse a date or raise ValidationError naming the accepted forms; a date outside
    1900-2099 is refused as a typo."""
    day = read_date(text)
    if not in_range(day):
        raise ValidationError(
            f'"{(text or "").strip()}" is not a date RegenLog keeps: dates {OUT_OF_RANGE}'
        )
    return day


def read_date(text: str) -> dt.date:
    """``parse_date`` without the year range, for callers that word that refusal themselves."""
    raw = (text or "").strip()
    m = _ISO.match(raw)
    day = None
    try:
        if m:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        elif m := _US.match(raw):
            year = int(m.group(3))
            if len(m.group(3)) == 2:
                # Two-digit years from spreadsheets: 00-69 -> 2000s, 70-99 -> 1900s (POSIX rule).
                year += 2000 if year < 70 else 1900
            day = dt.date(year, int(m.group(1)), int(m.group(2)))
    except ValueError:
        raise ValidationError(f'"{text}" is not a real calendar date.') from None
    if day is None:
        raise ValidationError(f'"{text}" is not a date; write it like 2026-01-15 or 1/15/2026.')
    return day


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months forward, clamping to the month's last day (Aug 31 + 1 -> Sep 30).
    Past the calendar's end (a year-9999 date from an old file) it stops at date.max."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if year > dt.MAXYEAR:
        return dt.date.max
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def local_time(value: dt.datetime) -> dt.datetime:
    """A stored time (UTC; SQLite may hand it back without its zone) in the patient's own
    time zone: what they typed, and what a letter or a statement must show."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone()


def typed_time(value: dt.datetime) -> dt.datetime:
    """A time a person typed, with no zone: their own local time, made aware so it is stored
    as the UTC moment it was."""
    return value if value.tzinfo is not None else value.astimezone()


def local_day_span(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The UTC moments (start, next day's start) of the patient's local ``day``, to find
    stored times that fall on it."""
    start = typed_time(dt.datetime.combine(day, dt.time()))
    end = typed_time(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def local_date(value: dt.date | dt.datetime | None) -> dt.date | None:
    """The patient's own calendar day of a stored time (``local_time``); a date as it is."""
    if isinstance(value, dt.datetime):
        return local_time(value).date()
    return value
