"""Deadlines exported to a calendar file (RFC 5545) the patient imports into their calendar."""

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regenlog.core import deadlines as dl
from regenlog.core import models as m
from regenlog.core.calendar_ics import deadlines_to_ics, escape_text, event_uid, fold
from regenlog.core.upcoming import UpcomingDeadline, upcoming_deadlines

D = dt.date
NOW = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)


def _appeal(record_id=7, ref="12345", detail=""):
    return UpcomingDeadline(
        dl.internal_appeal_deadline(D(2026, 6, 1)), "determination", record_id, "Dana Whitfield",
        f"Appeal deadline: right knee PRP denial (ref {ref})", detail,
    )


def _promo():
    return UpcomingDeadline(
        dl.promo_end_deadline(D(2027, 1, 15), D(2026, 1, 15)), "financing_plan", 3,
        "Dana Whitfield", "Promotion ends: pay the $1,500.00 left on CareCredit",
        "$1,053.63 of back-interest will be charged on 2027-01-15 unless you pay at least "
        "$750.00 a month.",
    )


# -- a small RFC 5545 reader, so the test does not depend on a calendar library ---------------
def unfold(text: str) -> list[str]:
    assert "\n" not in text.replace("\r\n", ""), "a bare LF or CR line end"
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert len(line.encode("utf-8")) <= 75, line
    logical: list[str] = []
    for line in physical:
        if line.startswith((" ", "\t")):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda g: "\n" if g.group(1) in "nN" else g.group(1), value)


def parse(text: str) -> dict:
    """Nested components as {"name": ..., "props": [(name, params, value)], "children": []}."""
    root = {"name": None, "props": [], "children": []}
    stack = [root]
    for line in unfold(text):
        match = re.fullmatch(r"([A-Z0-9-]+)((?:;[A-Z0-9-]+=[^;:]*)*):(.*)", line)
        assert match, f"not a content line: {line!r}"
        name, params, value = match.groups()
        if name == "BEGIN":
            component = {"name": value, "props": [], "children": []}
            stack[-1]["children"].append(component)
            stack.append(component)
        elif name == "END":
            assert stack.pop()["name"] == value, f"END:{value} closes the wrong component"
        else:
            stack[-1]["props"].append((name, params, value))
    assert stack == [root], "a component was left open"
    (calendar,) = root["children"]
    return calendar


def prop(component: dict, name: str) -> str:
    values = [v for n, _, v in component["props"] if n == name]
    assert len(values) == 1, f"{name} appears {len(values)} times"
    return values[0]


def test_each_deadline_becomes_an_all_day_event_with_a_reminder_a_week_before():
    calendar = parse(deadlines_to_ics([_appeal(), _promo()], now=NOW))
    assert calendar["name"] == "VCALENDAR"
    assert prop(calendar, "VERSION") == "2.0"
    assert prop(calendar, "PRODID").startswith("-//RegenLog//")
    appeal, promo = calendar["children"]
    assert appeal["name"] == "VEVENT"
    assert prop(appeal, "UID") == "determination-7-internal_appeal@regenlog"
    assert prop(appeal, "DTSTAMP") == "20261126T093000Z"
    assert ("DTSTART", ";VALUE=DATE", "20261128") in appeal["props"]  # 180 days after June 1
    assert ("DTEND", ";VALUE=DATE", "20261129") in appeal["props"]
    assert unescape(prop(appeal, "SUMMARY")) == "Appeal deadline: right knee PRP denial (ref 12345)"
    description = unescape(prop(appeal, "DESCRIPTION"))
    assert description == (
        "Internal appeal of the denial dated 2026-06-01.\n"
        "Internal appeals must be filed within 180 days of the denial notice (45 CFR 147.136).\n"
        "For Dana Whitfield."
    )
    (alarm,) = appeal["children"]
    assert alarm["name"] == "VALARM"
    assert prop(alarm, "ACTION") == "DISPLAY"
    assert prop(alarm, "TRIGGER") == "-P7D"
    assert "back-interest will be charged" in unescape(prop(promo, "DESCRIPTION"))


def test_uids_stay_the_same_from_one_export_to_the_next():
    first = deadlines_to_ics([_appeal(), _promo()], now=NOW)
    later = deadlines_to_ics([_promo(), _appeal(ref="99")], now=NOW + dt.timedelta(days=30))
    uids = lambda text: sorted(prop(e, "UID") for e in parse(text)["children"])  # noqa: E731
    assert uids(first) == uids(later)
    assert event_uid(_appeal()) != event_uid(_appeal(record_id=8))
    # The same item twice is one event, not two.
    assert len(parse(deadlines_to_ics([_appeal(), _appeal()], now=NOW))["children"]) == 1


def test_commas_semicolons_backslashes_and_new_lines_are_escaped():
    tricky = _appeal(ref="A;B,C\\D", detail="Line one\nline two; more, and a \\ too")
    event = parse(deadlines_to_ics([tricky], now=NOW))["children"][0]
    assert prop(event, "SUMMARY") == "Appeal deadline: right knee PRP denial (ref A\\;B\\,C\\\\D)"
    assert unescape(prop(event, "SUMMARY")).endswith("(ref A;B,C\\D)")
    assert "Line one\nline two; more, and a \\ too" in unescape(prop(event, "DESCRIPTION"))
    assert escape_text("a\r\nb\rc") == "a\\nb\\nc"


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character():
    long_title = "Appeal deadline: " + "genou droit, épaule gauche — " * 8
    text = deadlines_to_ics([_appeal(ref=long_title)], now=NOW)
    physical = text.split("\r\n")
    assert max(len(line.encode("utf-8")) for line in physical) <= 75
    assert any(line.startswith(" ") for line in physical)
    event = parse(text)["children"][0]
    assert unescape(prop(event, "SUMMARY")).endswith(f"(ref {long_title})")


@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=300))
def test_folding_any_text_round_trips(value):
    folded = fold("X-TEST:" + value)
    assert all(len(line.encode("utf-8")) <= 75 for line in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "X-TEST:" + value


def test_now_must_carry_a_time_zone():
    with pytest.raises(ValueError, match="time zone"):
        deadlines_to_ics([_appeal()], now=dt.datetime(2026, 11, 26))
    stamp = prop(parse(deadlines_to_ics(
        [_appeal()], now=dt.datetime(2026, 11, 26, 4, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    ))["children"][0], "DTSTAMP")
    assert stamp == "20261126T090000Z"


def test_an_empty_list_is_still_a_valid_calendar():
    calendar = parse(deadlines_to_ics([], now=NOW))
    assert calendar["children"] == []


def test_the_households_deadlines_export_end_to_end(services):
    r = services.records
    dana = r.create(m.Person, name="Dana Whitfield")
    r.create(m.Determination, person_id=dana.id, kind="denial", decision="denied",
             received_on=D(2026, 8, 31), reference_number="12345")
    text = deadlines_to_ics(upcoming_deadlines(services.db, D(2026, 11, 26), 120), now=NOW)
    (event,) = parse(text)["children"]
    assert unescape(prop(event, "SUMMARY")) == "Appeal deadline: insurer denial (ref 12345)"
    assert ("DTSTART", ";VALUE=DATE", "20270227") in event["props"]


def test_a_calendar_library_reads_it_too():
    icalendar = pytest.importorskip("icalendar")
    calendar = icalendar.Calendar.from_ical(deadlines_to_ics([_appeal(), _promo()], now=NOW))
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [
        "Appeal deadline: right knee PRP denial (ref 12345)",
        "Promotion ends: pay the $1,500.00 left on CareCredit",
    ]
    assert events[0].decoded("DTSTART") == D(2026, 11, 28)
