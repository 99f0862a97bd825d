"""The demo household (resources/demo/README.md) checked on 2026-11-26: the check says exactly
what the README promises, no more and no less."""

import datetime as dt

import pytest

from regenlog.core.checklist import RULES, format_report, run_check, treatment_checklist
from regenlog.core.records_format import import_records
from regenlog.resources import resource

TODAY = dt.date(2026, 11, 26)

# README "Must fire", one finding per row.
MUST_FIRE = {
    ("receipt.not_itemized", "receipt", 10),
    ("payment.no_proof", "receipt", 6),
    ("provider.incomplete", "provider", 5),
    ("lmn.missing", "treatment", 10),
    ("lmn.expired", "medical_necessity_letter", 2),
    ("call.incomplete", "insurer_call", 3),
    ("call.unconfirmed", "insurer_call", 1),
    ("call.unconfirmed", "insurer_call", 3),
    ("call.not_a_guarantee", "insurer_call", 1),
    ("call.not_a_guarantee", "insurer_call", 2),
    ("iv.no_lab", "treatment", 10),
    ("claim.filing_deadline", "treatment", 3),
    ("appeal.deadline", "determination", 4),
    ("hsa.before_opened", "claim", 1),
    ("financing.promo_ending", "financing_plan", 1),
    ("gfe.overage", "good_faith_estimate", 2),
}
# The booster of 2026-09-17 came after its only letter expired: no letter covers its date,
# so besides lmn.expired on the letter the treatment itself has no covering letter (the
# README lists it under neither "must fire" nor "must not fire").
ALSO = {("lmn.missing", "treatment", 6)}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from regenlog.store.database import open_database
    from regenlog.store.paths import DataPaths

    db = open_database(DataPaths(tmp_path_factory.mktemp("demo") / "data"))
    source = resource("demo", "demo.json")
    import_records(db, source, source.parent)
    yield db
    db.close()


def test_the_demo_yields_exactly_the_readme_findings(demo):
    result = run_check(demo, today=TODAY)
    found = {(g.rule, g.record_type, g.record_id) for g in result.gaps}
    assert found == MUST_FIRE | ALSO
    assert {(r, t) for r, t, _ in found} == {(r, t) for r, t, _ in MUST_FIRE}
    assert len(result.gaps) == len(found)  # one finding per record and rule
    assert result.counts_by_severity() == {"error": 6, "warning": 9, "info": 2}


def test_the_rules_the_readme_keeps_quiet_stay_quiet(demo):
    fired = {g.rule for g in run_check(demo, today=TODAY).gaps}
    quiet = {"receipt.missing", "dx.missing", "dx.invalid", "px.missing", "px.invalid",
             "preauth.missing", "imaging.no_indication", "fsa.deadline"}
    assert not fired & quiet
    assert set(RULES) == fired | quiet


def test_the_fsa_run_out_fires_from_march_2027(demo):
    assert "fsa.deadline" not in {g.rule for g in run_check(demo, today=dt.date(2027, 2, 28)).gaps}
    gaps = [g for g in run_check(demo, today=dt.date(2027, 3, 1)).gaps if g.rule == "fsa.deadline"]
    assert [(g.record_type, g.record_id, g.due) for g in gaps] == [
        ("account", 2, dt.date(2027, 3, 31))]


def test_an_appeal_bundle_shows_the_denial_and_the_call_log(demo):
    gaps = run_check(demo, today=TODAY, destination="appeal").gaps
    found = {(g.rule, g.record_type, g.record_id) for g in gaps if g.about == "bundle"}
    assert ("appeal.deadline", "determination", 4) in found
    assert ("call.incomplete", "insurer_call", 3) in found
    assert not {r for r, _, _ in found} & {"hsa.before_opened", "financing.promo_ending",
                                           "receipt.not_itemized", "provider.incomplete"}
    # The patient's own money and deadlines are shown beside the bundle's, said apart.
    own = {(g.rule, g.record_type, g.record_id) for g in gaps if g.about == "patient"}
    assert {("hsa.before_opened", "claim", 1), ("financing.promo_ending", "financing_plan", 1),
            ("gfe.overage", "good_faith_estimate", 2)} <= own


def test_the_wellness_drip_checklist_shows_what_is_missing(demo):
    items = {i.rule.id: i for i in treatment_checklist(demo, 10, today=TODAY)}
    missing = {rule for rule, item in items.items() if item.applies and not item.done}
    assert missing == {"receipt.not_itemized", "provider.incomplete", "lmn.missing", "iv.no_lab"}
    assert items["dx.missing"].done and items["receipt.missing"].done
    assert not items["imaging.no_indication"].applies


def test_the_report_groups_the_demo_by_treatment(demo):
    text = format_report(run_check(demo, today=TODAY), demo)
    assert "2026-09-12  IV therapy  Dana Whitfield  [treatment 10]" in text
    assert text.rstrip().endswith("6 errors, 9 warnings, 2 info.")
