"""The check as a whole: the rule table, the JSON shape, destinations, order, scope and the
treatment checklist."""

import dataclasses
import datetime as dt

import pytest
from checklist_household import TODAY, Household

from regenlog.core import models as m
from regenlog.core.checklist import RULES, run_check, treatment_checklist
from regenlog.core.errors import NotFoundError, ValidationError
from regenlog.core.vocabulary import Destination

DESTINATIONS = tuple(Destination)

D = dt.date

# The table of docs/rules.md: id and severity, in its order (the ids are a contract).
RULE_TABLE = [
    ("receipt.missing", "error"), ("receipt.not_itemized", "error"),
    ("payment.no_proof", "warning"), ("dx.missing", "error"), ("dx.invalid", "error"),
    ("px.missing", "error"), ("px.invalid", "error"), ("provider.incomplete", "warning"),
    ("lmn.missing", "error"), ("lmn.expired", "warning"), ("call.incomplete", "warning"),
    ("call.unconfirmed", "warning"), ("call.not_a_guarantee", "info"),
    ("preauth.missing", "error"), ("iv.no_lab", "error"), ("imaging.no_indication", "warning"),
    ("claim.filing_deadline", "warning"), ("appeal.deadline", "error"),
    ("hsa.before_opened", "error"), ("fsa.deadline", "warning"),
    ("financing.promo_ending", "warning"), ("gfe.overage", "warning"),
]


@pytest.fixture
def home(services) -> Household:
    return Household(services)


def test_the_rules_are_the_contracts_table_in_its_order():
    assert [(r.id, r.severity) for r in RULES.values()] == RULE_TABLE
    for rule in RULES.values():
        assert rule.title and rule.why.endswith(".") and rule.fix.endswith(".")
        assert rule.reads and rule.destinations <= set(DESTINATIONS)
        assert all(isinstance(d, Destination) for d in rule.destinations)
    assert DESTINATIONS == ("insurer", "hsa", "fsa", "appeal")


def test_each_destination_asks_for_what_its_reviewer_needs():
    needs = {d: {r.id for r in RULES.values() if d in r.destinations} for d in DESTINATIONS}
    # HSA/FSA: itemized receipt, proof of payment, the letter (and what makes IV medical).
    assert {"receipt.not_itemized", "payment.no_proof", "lmn.missing", "iv.no_lab"} <= needs["hsa"]
    assert needs["hsa"] - needs["fsa"] == {"hsa.before_opened"}
    # Insurer: superbill fields, codes, pre-authorization.
    assert {"provider.incomplete", "dx.invalid", "px.invalid", "preauth.missing"} <= needs["insurer"]
    # Appeal: the denial, the call log, the letter.
    assert {"appeal.deadline", "call.incomplete", "call.unconfirmed", "lmn.missing"} <= needs["appeal"]
    assert "provider.incomplete" not in needs["hsa"] | needs["appeal"]


def test_a_gap_as_json_has_exactly_the_cli_fields(home):
    home.treatment(receipt=False)
    gap = home.gap("receipt.missing")
    assert gap.as_json() == {
        "rule": "receipt.missing", "severity": "error", "record_type": "treatment",
        "record_id": gap.record_id, "message": gap.message, "fix": gap.fix, "about": "bundle",
    }
    # The contract's six keys first, in their order; "about" says whose business it is.
    assert list(gap.as_json()) == ["rule", "severity", "record_type", "record_id", "message",
                                   "fix", "about"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        gap.rule = "x"  # type: ignore[misc]


def test_an_unknown_destination_is_refused_in_one_sentence(home):
    with pytest.raises(ValidationError, match="choose insurer, hsa, fsa or appeal"):
        home.check(destination="medicare")


def test_every_gap_of_a_destination_run_belongs_to_that_destination(home):
    home.services.records.update(m.Provider, home.clinic.id, npi="")
    home.treatment(receipt=False, letter=False, px=())
    home.treatment("iv_therapy", D(2026, 5, 1), dx=("D51.0",), lab=False, letter=False)
    home.call(reference_number="", written_confirmation="none", outcome="preauth_required")
    everything = home.rules()
    for destination in DESTINATIONS:
        found = home.rules(destination=destination)
        assert found <= everything
        # The bundle's own rules, and the patient's money and deadlines, which every run shows.
        assert all(destination in RULES[r].destinations or RULES[r].patient for r in found)
    assert home.rules(destination="hsa") == {"receipt.missing", "lmn.missing", "iv.no_lab"}


def test_gaps_come_errors_first_then_warnings_then_info_then_by_date(home):
    late = home.treatment(day=D(2026, 9, 1), receipt=False)
    early = home.treatment(day=D(2026, 3, 1), receipt=False)
    home.receipt(early, 85_000, scan=False)  # a warning on the earlier one
    home.call(outcome="not_currently_denied", treatment_id=late.id)
    result = home.check()
    keys = [(g.severity, g.treatment_id, g.rule) for g in result.gaps]
    assert keys == [
        ("error", late.id, "receipt.missing"),
        ("warning", early.id, "payment.no_proof"),
        ("info", late.id, "call.not_a_guarantee"),
    ]
    assert result.counts_by_severity() == {"error": 1, "warning": 1, "info": 1}
    assert [g.rule for g in result.for_treatment(late.id)] == [
        "receipt.missing", "call.not_a_guarantee"]
    assert result.for_treatment(999) == []


def test_records_in_the_trash_are_not_checked(home):
    t = home.treatment(receipt=False, px=(), dx=())
    assert home.rules()
    home.services.records.delete(m.Treatment, t.id)
    assert home.check().gaps == []


def test_a_check_of_chosen_treatments_reports_only_them_and_their_persons_records(home):
    chosen = home.treatment(receipt=False)
    other = home.treatment(day=D(2026, 4, 1), receipt=False)
    home.call(reference_number="")  # not tied to a treatment: part of the person's call log
    home.call(reference_number="", treatment_id=other.id)
    result = home.check(treatment_ids=[chosen.id])
    assert {(g.rule, g.treatment_id) for g in result.gaps} == {
        ("receipt.missing", chosen.id), ("call.incomplete", None)}
    assert home.check(treatment_ids=[]).gaps == []


def test_the_check_takes_today_and_never_the_clock(home):
    home.treatment(day=D(2027, 1, 5), receipt=False)
    assert "receipt.missing" not in home.rules(today=D(2027, 1, 4))
    assert "receipt.missing" in home.rules(today=D(2027, 1, 5))
    with pytest.raises(TypeError):
        run_check(home.services.db, today=dt.datetime(2026, 11, 26, 12, 0))


def test_the_treatment_checklist_lists_every_rule_with_done_or_missing(home):
    t = home.treatment(receipt=False)
    items = home.checklist(t)
    assert list(items) == [rule_id for rule_id, _ in RULE_TABLE]
    assert items["receipt.missing"].applies and not items["receipt.missing"].done
    assert items["receipt.missing"].gaps[0].record_id == t.id
    assert items["dx.missing"].done and items["lmn.missing"].done
    # Rules about things this treatment does not have do not apply to it.
    assert not items["iv.no_lab"].applies and not items["iv.no_lab"].done
    assert not items["call.incomplete"].applies and not items["appeal.deadline"].applies


def test_the_treatment_checklist_for_a_destination_shows_only_its_rules(home):
    t = home.treatment()
    home.services.records.create(m.Account, person_id=home.dana.id, kind="hsa",
                                 opened_on=D(2025, 1, 1))
    items = home.checklist(t, destination="hsa")
    assert set(items) == {r.id for r in RULES.values() if "hsa" in r.destinations or r.patient}
    assert all(item.done for item in items.values() if item.applies)


def test_a_gap_on_another_treatment_does_not_show_on_this_checklist(home):
    t = home.treatment()
    other = home.treatment(day=D(2026, 4, 1))
    home.call(treatment_id=other.id, reference_number="")
    assert home.checklist(t)["call.incomplete"].applies is False
    assert home.checklist(other)["call.incomplete"].done is False


def test_the_checklist_of_a_missing_treatment_says_so(home):
    with pytest.raises(NotFoundError, match="no treatment number 42"):
        treatment_checklist(home.services.db, 42, today=TODAY)
