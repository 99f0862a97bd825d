"""The codes and the superbill's provider fields: dx.missing, dx.invalid, px.missing,
px.invalid, provider.incomplete."""

import datetime as dt

import pytest
from checklist_household import Household

from regenlog.core import models as m
from regenlog.core.services import ProcedureInput

D = dt.date


@pytest.fixture
def home(services) -> Household:
    return Household(services)


def test_a_treatment_without_a_diagnosis_code_is_an_error(home):
    t = home.treatment(dx=(), px=())
    gap = home.gap("dx.missing")
    assert (gap.severity, gap.record_type, gap.record_id) == ("error", "treatment", t.id)
    assert "ICD-10-CM" in gap.message


def test_one_diagnosis_code_is_enough(home):
    home.treatment(dx=("M77.11",))
    assert "dx.missing" not in home.rules()


def test_a_category_heading_is_not_a_billable_code(home):
    t = home.treatment(dx=("M54.5",), letter=False)
    result = home.check()
    gap = next(g for g in result.gaps if g.rule == "dx.invalid")
    assert (gap.severity, gap.record_type, gap.record_id) == ("error", "treatment", t.id)
    assert "M54.5 is a category heading" in gap.message and "M54.50" in gap.message
    assert result.code_set_version == "FY2026"


def test_a_forgotten_placeholder_x_is_named_with_the_fix(home):
    home.treatment(dx=("M77.11", "T15.01A"))
    gap = home.gap("dx.invalid")
    assert "T15.01XA" in gap.message and "diagnosis B" in gap.message


def test_billable_codes_pass(home):
    home.treatment(dx=("M77.11", "S46.011A", "QA0.0101"))
    assert "dx.invalid" not in home.rules()


def test_an_unknown_code_before_fy2027_is_an_error(home):
    home.treatment(day=D(2026, 9, 30), dx=("Z99.999",))
    gap = home.gap("dx.invalid")
    assert gap.severity == "error"
    assert "not an ICD-10-CM code in the FY2026 code set" in gap.message


def test_an_unknown_code_after_fy2027_took_effect_is_only_a_warning(home):
    """DOMAIN.md section 7: the code may be new in FY2027, which RegenLog does not carry."""
    home.treatment(day=D(2026, 10, 1), dx=("Z99.999",))
    gap = home.gap("dx.invalid")
    assert gap.severity == "warning"
    assert "FY2027" in gap.message and "FY2027" in gap.fix


def test_a_code_billable_in_an_earlier_year_is_only_a_warning_for_that_years_service(home):
    """DOMAIN.md section 1: choose the code set by date of service. M51.36 was billable
    until 2024-09-30 (FY2025 split it into M51.360-M51.369)."""
    home.treatment(day=D(2024, 6, 1), dx=("M51.36",), letter=False)
    gap = home.gap("dx.invalid")
    assert gap.severity == "warning"
    assert "coded with the FY2024 set" in gap.message and "2024-06-01" in gap.message
    assert "FY2027" not in gap.message + gap.fix and "of that year" in gap.fix


def test_the_same_heading_in_the_fy2026_year_is_an_error(home):
    home.treatment(day=D(2025, 10, 1), dx=("M51.36",), letter=False)
    gap = home.gap("dx.invalid")
    assert gap.severity == "error" and "M51.360" in gap.message


def test_a_treatment_without_a_procedure_code_is_an_error(home):
    t = home.treatment(px=())
    gap = home.gap("px.missing")
    assert (gap.severity, gap.record_type, gap.record_id) == ("error", "treatment", t.id)
    assert home.checklist(t)["px.missing"].done is False


def test_a_procedure_line_without_a_diagnosis_pointer_is_flagged(home):
    """A line with no pointer (box 24E), as an older file or version could leave it; the
    services now point such lines at the first code when one is added."""
    t = home.treatment(dx=("M77.11",), px=())
    with home.services.db.session() as session:
        session.add(m.ProcedureLine(treatment_id=t.id, position=0, code="0232T",
                                    charge_cents=85_000, pointers=""))
        session.commit()
    gap = home.gap("px.invalid")
    assert (gap.record_type, gap.record_id) == ("treatment", t.id)
    assert "Line 1 (0232T)" in gap.message and "diagnosis pointer" in gap.message


def test_a_malformed_code_from_an_old_file_is_flagged(home):
    # The forms and the importer refuse this; data written by an older version can hold it.
    t = home.treatment(px=())
    with home.services.db.session() as session:
        session.add(m.ProcedureLine(treatment_id=t.id, position=0, code="2061", modifiers="RT"))
        session.commit()
    gap = home.gap("px.invalid")
    assert "2061 has 4 characters" in gap.message


def test_well_formed_lines_with_modifiers_and_pointers_pass(home):
    home.treatment(dx=("M17.11", "M25.561"), px=(
        ProcedureInput("20611", 45_000, modifiers="RT,GA", pointers="AB"),
        ProcedureInput("J3420", 3_000, pointers="A"),
    ))
    assert home.rules() == set()


def test_a_clinic_without_an_npi_is_flagged_once_for_all_its_treatments(home):
    home.services.records.update(m.Provider, home.clinic.id, npi="")
    home.treatment(day=D(2026, 3, 1))
    later = home.treatment(day=D(2026, 9, 1))
    gap = home.gap("provider.incomplete")
    assert (gap.severity, gap.record_type, gap.record_id) == ("warning", "provider", home.clinic.id)
    assert gap.treatment_id == later.id
    assert "Summit Regenerative" in gap.message and "no NPI" in gap.message
    assert "1 other treatment" in gap.message


def test_an_npi_with_a_wrong_check_digit_is_flagged(home):
    home.services.records.update(m.Provider, home.clinic.id, npi="1234567890")
    home.treatment()
    assert "1234567890" in home.gap("provider.incomplete").message


def test_a_provider_with_npi_tax_id_and_address_passes(home):
    t = home.treatment()
    assert home.checklist(t)["provider.incomplete"].done


def test_a_treatment_with_no_provider_names_the_missing_provider(home):
    t = home.treatment(provider_id=None)
    gap = home.gap("provider.incomplete")
    assert (gap.record_type, gap.record_id) == ("treatment", t.id)


def test_provider_details_matter_to_the_insurer_not_the_hsa(home):
    home.services.records.update(m.Provider, home.clinic.id, tax_id="", address="")
    home.treatment()
    assert "no tax ID and no address" in home.gap("provider.incomplete").message
    assert "provider.incomplete" in home.rules(destination="insurer")
    assert "provider.incomplete" not in home.rules(destination="hsa")
