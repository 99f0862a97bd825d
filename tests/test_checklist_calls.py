"""Insurer calls: call.incomplete, call.unconfirmed, call.not_a_guarantee, preauth.missing."""

import datetime as dt

import pytest
from checklist_household import Household

D = dt.date


@pytest.fixture
def home(services) -> Household:
    return Household(services)


def test_a_call_logged_in_full_and_confirmed_in_writing_is_complete(home):
    t = home.treatment()
    home.call(treatment_id=t.id)
    assert home.rules() == set()
    items = home.checklist(t)
    assert items["call.incomplete"].done and items["call.unconfirmed"].done


def test_a_call_without_a_reference_number_is_incomplete(home):
    call = home.call(reference_number="")
    gap = home.gap("call.incomplete")
    assert (gap.severity, gap.record_type, gap.record_id) == ("warning", "insurer_call", call.id)
    assert "a reference number" in gap.message and "Alyssa M." in gap.message
    # The call's local date, as the patient entered it and the app shows it.
    assert f"on {call.called_at.astimezone().date()} with Alyssa M." in gap.message


def test_a_call_without_name_or_date_lists_both(home):
    home.call(rep_name="", called_at=None)
    gap = home.gap("call.incomplete")
    assert "the representative's name or the date and time" in gap.message
    assert "(no date noted)" in gap.message


def test_a_call_with_name_and_reference_but_no_written_answer_is_unconfirmed_not_incomplete(home):
    call = home.call(written_confirmation="none")
    assert home.found() == {("call.unconfirmed", "insurer_call", call.id)}
    gap = home.gap("call.unconfirmed")
    assert "verbal statements are not binding in a coverage dispute" in gap.message
    assert "in writing" in gap.fix


def test_a_requested_confirmation_that_never_came_says_so(home):
    home.call(written_confirmation="requested", confirmation_requested_on=D(2026, 8, 11))
    gap = home.gap("call.unconfirmed")
    assert "you asked on 2026-08-11" in gap.message and gap.fix.startswith("Follow up")


def test_a_written_call_summary_on_file_confirms_the_call(home):
    call = home.call(written_confirmation="requested")
    home.determination("call_summary", call_id=call.id)
    assert "call.unconfirmed" not in home.rules()


def test_a_call_with_no_answer_has_nothing_to_confirm(home):
    home.call(outcome="unknown", written_confirmation="none")
    assert "call.unconfirmed" not in home.rules()


def test_not_currently_denied_is_never_shown_as_a_guarantee(home):
    call = home.call(outcome="not_currently_denied")
    gap = home.gap("call.not_a_guarantee")
    assert (gap.severity, gap.record_type, gap.record_id) == ("info", "insurer_call", call.id)
    assert "is not the same as a pre-authorization or a guarantee of coverage" in gap.message
    assert "written coverage determination" in gap.fix


def test_a_covered_answer_is_not_flagged_as_a_non_guarantee(home):
    home.call(outcome="covered")
    assert "call.not_a_guarantee" not in home.rules()


def test_pre_authorization_required_without_one_on_file_is_an_error(home):
    t = home.treatment()
    call = home.call(outcome="preauth_required", treatment_id=t.id)
    found = home.found()
    assert ("preauth.missing", "insurer_call", call.id) in found
    assert ("call.not_a_guarantee", "insurer_call", call.id) in found
    gap = home.gap("preauth.missing")
    assert gap.severity == "error" and gap.treatment_id == t.id
    assert "no pre-authorization is on file" in gap.message
    assert "statement of intent" in home.gap("call.not_a_guarantee").message
    assert home.checklist(t)["preauth.missing"].done is False


def test_a_pre_authorization_valid_on_the_day_of_service_answers_the_call(home):
    t = home.treatment()
    home.call(outcome="preauth_required", treatment_id=t.id)
    home.determination("preauthorization", treatment_id=t.id, decision="approved",
                       valid_from=D(2026, 8, 15), valid_to=D(2026, 12, 31))
    assert "preauth.missing" not in home.rules()
    assert home.checklist(t)["preauth.missing"].done


def test_a_pre_authorization_that_ended_before_the_service_does_not(home):
    t = home.treatment()
    home.call(outcome="preauth_required", treatment_id=t.id)
    home.determination("preauthorization", treatment_id=t.id, decision="approved",
                       valid_from=D(2026, 3, 5), valid_to=D(2026, 6, 30),
                       reference_number="PA-311")
    gap = home.gap("preauth.missing")
    # Not "none on file": the patient has one, for the wrong dates, and needs to know which.
    assert ("the pre-authorization on file PA-311 (valid 2026-03-05 to 2026-06-30) does not "
            f"cover the date of service, {t.date_of_service}") in gap.message


def test_a_pre_authorization_for_another_treatment_does_not(home):
    t = home.treatment()
    other = home.treatment(day=D(2026, 4, 1))
    home.call(outcome="preauth_required", treatment_id=t.id)
    home.determination("preauthorization", treatment_id=other.id, decision="approved")
    assert "preauth.missing" in home.rules()


def test_calls_matter_for_the_insurer_and_the_appeal_not_the_fsa(home):
    home.call(reference_number="", written_confirmation="none", outcome="not_currently_denied")
    assert {"call.incomplete", "call.unconfirmed", "call.not_a_guarantee"} <= home.rules(
        destination="appeal")
    assert home.rules(destination="fsa") == set()
