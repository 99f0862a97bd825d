"""Medical necessity: lmn.missing, lmn.expired, iv.no_lab, imaging.no_indication."""

import datetime as dt

import pytest
from checklist_household import SERVICE_DAY, TODAY, Household

from regenlog.core import models as m

D = dt.date
DAY = dt.timedelta(days=1)


@pytest.fixture
def home(services) -> Household:
    return Household(services)


def test_prp_without_a_letter_of_medical_necessity_is_an_error(home):
    t = home.treatment(letter=False)
    gap = home.gap("lmn.missing")
    assert (gap.severity, gap.record_type, gap.record_id) == ("error", "treatment", t.id)
    assert "M77.11" in gap.message and "general wellness" in gap.message


def test_a_consultation_needs_no_letter(home):
    t = home.treatment("consultation", letter=False)
    assert "lmn.missing" not in home.rules()
    assert home.checklist(t)["lmn.missing"].applies is False


def test_a_letter_that_expired_the_day_before_the_service_does_not_cover_it(home):
    t = home.treatment(letter=False)
    letter = home.letter(home.dana, ["M77.11"], written_on=D(2026, 2, 20),
                         valid_until=SERVICE_DAY - DAY)
    found = home.found()
    assert ("lmn.missing", "treatment", t.id) in found
    assert ("lmn.expired", "medical_necessity_letter", letter.id) in found
    expired = home.gap("lmn.expired")
    assert expired.severity == "warning" and expired.treatment_id == t.id
    assert "expired on 2026-08-31, before the PRP injection" in expired.message
    assert "expired on 2026-08-31, before the service" in home.gap("lmn.missing").message


def test_a_letter_valid_through_the_day_of_service_covers_it(home):
    home.treatment(letter=False)
    home.letter(home.dana, ["M77.11"], written_on=D(2026, 2, 20), valid_until=SERVICE_DAY)
    assert not {"lmn.missing", "lmn.expired"} & home.rules()


def test_a_letter_written_after_the_service_does_not_cover_it(home):
    home.treatment(letter=False)
    home.letter(home.dana, ["M77.11"], written_on=SERVICE_DAY + DAY, valid_until=None)
    gap = home.gap("lmn.missing")
    assert "was written after it" in gap.message


def test_a_letter_for_another_diagnosis_does_not_cover_it(home):
    home.treatment(letter=False)
    home.letter(home.dana, ["M17.11"], written_on=D(2026, 2, 20), valid_until=None)
    assert "lmn.missing" in home.rules()


def test_a_letter_naming_the_treatment_covers_it_whatever_its_codes(home):
    t = home.treatment(letter=False)
    home.letter(home.dana, [], written_on=D(2026, 2, 20), valid_until=None, treatments=[t])
    assert "lmn.missing" not in home.rules()


def test_another_persons_letter_does_not_cover_the_treatment(home):
    marcus = home.services.records.create(m.Person, name="Marcus Whitfield")
    home.treatment(letter=False)
    home.letter(marcus, ["M77.11"], written_on=D(2026, 2, 20), valid_until=None)
    assert "lmn.missing" in home.rules()


def test_a_letter_expiring_within_30_days_asks_for_renewal(home):
    t = home.treatment(letter=False)
    letter = home.letter(home.dana, ["M77.11"], written_on=D(2026, 2, 20),
                         valid_until=TODAY + 30 * DAY)
    gap = home.gap("lmn.expired")
    assert (gap.record_type, gap.record_id, gap.treatment_id) == (
        "medical_necessity_letter", letter.id, t.id)
    assert gap.due == D(2026, 12, 26) and "in 30 days" in gap.message
    assert "lmn.missing" not in home.rules()


def test_a_letter_expiring_in_31_days_is_not_flagged_yet(home):
    home.treatment(letter=False)
    home.letter(home.dana, ["M77.11"], written_on=D(2026, 2, 20), valid_until=TODAY + 31 * DAY)
    assert home.rules() == set()


def test_a_renewed_letter_silences_the_old_ones_expiry(home):
    home.treatment(letter=False)
    home.letter(home.dana, ["M77.11"], written_on=D(2026, 2, 20), valid_until=TODAY + 5 * DAY)
    home.letter(home.dana, ["M77.11"], written_on=TODAY, valid_until=D(2027, 6, 30))
    assert home.rules() == set()


def test_iv_therapy_without_a_lab_result_is_an_error(home):
    t = home.treatment("iv_therapy", dx=("D51.0",), lab=False, body_site="")
    gap = home.gap("iv.no_lab")
    assert (gap.severity, gap.record_type, gap.record_id) == ("error", "treatment", t.id)
    assert "laboratory testing" in gap.message and "The IV therapy on 2026-09-01 has no lab result" in gap.message


def test_an_abnormal_lab_from_before_the_infusion_documents_the_deficiency(home):
    t = home.treatment("iv_therapy", dx=("D51.0",), lab=False)
    home.lab(home.dana, SERVICE_DAY - 300 * DAY)
    assert "iv.no_lab" not in home.rules()
    assert home.checklist(t)["iv.no_lab"].done


def test_a_lab_taken_after_the_infusion_cannot_have_justified_it(home):
    home.treatment("iv_therapy", dx=("D51.0",), lab=False)
    home.lab(home.dana, SERVICE_DAY + DAY)
    assert "iv.no_lab" in home.rules()


def test_a_lab_more_than_a_year_old_is_too_old(home):
    home.treatment("iv_therapy", dx=("D51.0",), lab=False)
    home.lab(home.dana, SERVICE_DAY - 366 * DAY)
    assert "iv.no_lab" in home.rules()


def test_a_normal_lab_documents_no_deficiency_unless_linked_to_the_infusion(home):
    t = home.treatment("iv_therapy", dx=("D51.0",), lab=False)
    lab = home.lab(home.dana, SERVICE_DAY - 10 * DAY, abnormal=False)
    assert "not marked abnormal" in home.gap("iv.no_lab").message
    home.services.records.update(m.LabResult, lab.id, treatment_id=t.id)
    assert "iv.no_lab" not in home.rules()


def test_prp_needs_no_lab(home):
    t = home.treatment("prp", lab=False)
    assert "iv.no_lab" not in home.rules()
    assert home.checklist(t)["iv.no_lab"].applies is False


def test_imaging_without_an_indication_is_flagged(home):
    t = home.treatment("imaging", indication="", px=())
    gap = home.gap("imaging.no_indication")
    assert (gap.severity, gap.record_type, gap.record_id) == ("warning", "treatment", t.id)
    assert "no diagnostic indication" in gap.message and "diagnostic purpose" in gap.message


def test_imaging_without_a_diagnosis_code_is_flagged(home):
    home.treatment("imaging", dx=(), px=())
    assert "diagnosis code" in home.gap("imaging.no_indication").message


def test_imaging_ordered_for_a_diagnosed_condition_passes(home):
    home.treatment("imaging", indication="Evaluate suspected osteoarthritis severity",
                   dx=("M17.11",))
    assert home.rules() == set()


def test_a_lapsed_letter_is_named_once_however_many_sessions_followed(home):
    home.letter(home.dana, ["M77.11"], written_on=D(2026, 2, 20), valid_until=D(2026, 8, 31))
    first = home.treatment(day=D(2026, 9, 10), letter=False)
    last = home.treatment(day=D(2026, 10, 8), letter=False)
    result = home.check()
    assert [g.treatment_id for g in result.gaps if g.rule == "lmn.missing"] == [first.id, last.id]
    expired = [g for g in result.gaps if g.rule == "lmn.expired"]
    assert len(expired) == 1 and expired[0].treatment_id == last.id
    assert "and 1 other treatment" in expired[0].message
