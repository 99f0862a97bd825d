"""The written-confirmation request shows the call as the patient logged it: local time."""

import datetime as dt

import pytest

from regenlog.core import models as m
from regenlog.core.letters import confirmation_request


@pytest.fixture
def denver(time_zone):
    time_zone("America/Denver")


@pytest.mark.parametrize("stored", [
    dt.datetime(2026, 7, 9, 1, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 7, 9, 1, 30),  # SQLite may hand the UTC time back without its zone
])
def test_the_letter_dates_the_call_in_the_patients_time_zone(denver, stored):
    person = m.Person(name="Dana Whitfield")
    plan = m.InsurancePlan(person_id=1, insurer="Blue Prairie", member_id="BP-1")
    call = m.InsurerCall(person_id=1, rep_name="Marisol", reference_number="R-9", called_at=stored)
    text = confirmation_request(call, person, plan, today=dt.date(2026, 7, 10)).text()
    # Logged at 7:30 pm on July 8 in Denver (MDT, UTC-6), stored as 01:30 UTC on July 9.
    assert "Date of call: July 8, 2026 at 19:30" in text
    assert "On July 8, 2026 at 19:30 I called" in text
    assert "July 9" not in text
