"""The words `regenlog check` prints: grouped by treatment, errors first, then the records
not tied to a treatment, then the count."""

import datetime as dt

import pytest
from checklist_household import Household

from regenlog.core import models as m
from regenlog.core.checklist import format_report

D = dt.date


@pytest.fixture
def home(services) -> Household:
    return Household(services)


def test_the_report_groups_by_treatment_in_date_order_with_errors_first(home):
    marcus = home.services.records.create(m.Person, name="Marcus Whitfield")
    elbow = home.treatment(day=D(2026, 9, 1), receipt=False)
    home.receipt(elbow, 85_000, scan=False)  # a warning before...
    home.services.details.set_procedure_lines(elbow.id, [])  # ...an error, same treatment
    drip = home.treatment("iv_therapy", D(2026, 2, 3), dx=("D51.0",), person=marcus,
                          body_site="", receipt=False)
    home.call(reference_number="")  # no treatment
    result = home.check()
    text = format_report(result, home.services.db)
    lines = text.splitlines()

    assert lines[0] == ("Documentation check on 2026-11-26 for all destinations "
                        "(ICD-10-CM FY2026)")
    assert lines[2] == "Paperwork a claim or reimbursement needs:"
    headings = [line for line in lines if line and not line.startswith(" ")][2:-1]
    assert headings == [
        f"2026-02-03  IV therapy  Marcus Whitfield  [treatment {drip.id}]",
        f"2026-09-01  PRP, right elbow  Dana Whitfield  [treatment {elbow.id}]",
        "Not tied to a treatment",
    ]
    elbow_block = lines[lines.index(headings[1]) + 1:lines.index(headings[2])]
    assert [line.split()[0] for line in elbow_block if line] == ["ERROR", "WARNING"]
    assert elbow_block[0].startswith("  ERROR  px.missing  The PRP injection into the right elbow")
    assert " -> Fix: Copy the CPT/HCPCS codes" in elbow_block[0]
    assert lines[lines.index(headings[0]) + 1].startswith("  ERROR  receipt.missing  ")
    assert lines[lines.index(headings[2]) + 1].startswith("  WARNING  call.incomplete  ")
    assert lines[-1] == "2 errors, 2 warnings, 0 info."


def test_each_line_is_severity_rule_message_and_fix(home):
    t = home.treatment(receipt=False)
    gap = home.gap("receipt.missing")
    text = format_report(home.check(), home.services.db)
    assert f"  ERROR  receipt.missing  {gap.message} -> Fix: {gap.fix}" in text.splitlines()
    assert f"[treatment {t.id}]" in text


def test_a_report_with_nothing_missing_says_so(home):
    home.treatment()
    text = format_report(home.check(destination="hsa"), home.services.db)
    assert "for an HSA reimbursement" in text.splitlines()[0]
    assert "Nothing is missing: every rule passed." in text
    assert text.rstrip().endswith("0 errors, 0 warnings, 0 info.")
