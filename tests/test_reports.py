"""Money reports: a household's spending, reimbursements and what is still owed, by year,
person and month, and the CSV a patient hands to their tax adviser."""

import csv
import datetime as dt
import io

import pytest

from regenlog.core import models as m
from regenlog.core.reimbursement import create_claim
from regenlog.core.reports import (
    MonthPoint,
    monthly_series,
    report_csv,
    report_rows,
    totals,
    write_report_csv,
)

D = dt.date


@pytest.fixture
def household(services):
    """Dana opened an HSA on 2025-06-01; Sam has an FSA. Amounts in the comments."""
    r, details = services.records, services.details
    dana = r.create(m.Person, name="Dana Whitfield")
    sam = r.create(m.Person, name="Sam Whitfield")
    plan = r.create(m.InsurancePlan, person_id=dana.id, insurer="Aetna")
    hsa = r.create(m.Account, person_id=dana.id, kind="hsa", opened_on=D(2025, 6, 1))
    fsa = r.create(m.Account, person_id=sam.id, kind="fsa")

    def treatment(person, day, category, paid, method="card", dx=()):
        t = r.create(m.Treatment, person_id=person.id, date_of_service=day, category=category)
        r.create(m.Receipt, treatment_id=t.id, paid_on=day, total_cents=paid, payment_method=method)
        if dx:
            details.set_diagnoses(t.id, list(dx))
        return t

    # 2025, before the HSA opened: $250 consultation, the insurer paid $100.
    consult = treatment(dana, D(2025, 3, 10), "consultation", 25_000, dx=["M17.11"])
    create_claim(services, treatment_id=consult.id, destination="insurer", plan_id=plan.id,
                 amount_claimed_cents=25_000, status="partly_paid", amount_paid_cents=10_000)
    # 2026: $2,000 PRP; the insurer paid $450 and an HSA claim for $300 is pending.
    prp = treatment(dana, D(2026, 3, 14), "prp", 200_000, dx=["M17.11"])
    create_claim(services, treatment_id=prp.id, destination="insurer", plan_id=plan.id,
                 amount_claimed_cents=200_000, status="partly_paid", amount_paid_cents=45_000)
    create_claim(services, treatment_id=prp.id, destination="hsa", account_id=hsa.id,
                 amount_claimed_cents=30_000, status="pending")
    # Two $300 B12 infusions: only the second has a letter of medical necessity.
    treatment(dana, D(2026, 5, 2), "iv_therapy", 30_000, dx=["E53.8"])
    treatment(dana, D(2026, 6, 10), "iv_therapy", 30_000, dx=["E53.8"])
    letter = r.create(m.MedicalNecessityLetter, person_id=dana.id, written_on=D(2026, 6, 1),
                      valid_until=D(2026, 12, 31))
    details.set_letter_coverage(letter.id, ["E53.8"])
    # A $500 MRI paid with the HSA card, and a $100 follow-up with no diagnosis code.
    treatment(dana, D(2026, 7, 1), "imaging", 50_000, method="hsa_card", dx=["M17.11"])
    treatment(dana, D(2026, 8, 1), "follow_up", 10_000)
    # Sam: $1,200 PRP for tennis elbow, all of it reimbursed by the FSA.
    elbow = treatment(sam, D(2026, 2, 1), "prp", 120_000, dx=["M77.11"])
    create_claim(services, treatment_id=elbow.id, destination="fsa", account_id=fsa.id,
                 amount_claimed_cents=120_000, status="paid", amount_paid_cents=120_000)
    # A treatment in the trash counts for nothing.
    gone = r.create(m.Treatment, person_id=sam.id, date_of_service=D(2026, 2, 2), category="prp")
    r.delete(m.Treatment, gone.id)
    return dana, sam


def test_the_yearly_report_splits_money_by_year_and_person(db, household):
    dana, sam = household
    rows = report_rows(db)
    assert [(r.year, r.person_name, r.treatments) for r in rows] == [
        (2025, "Dana Whitfield", 1), (2026, "Dana Whitfield", 5), (2026, "Sam Whitfield", 1),
    ]
    dana_2025, dana_2026, sam_2026 = rows
    assert (dana_2025.paid_cents, dana_2025.reimbursed_insurer_cents) == (25_000, 10_000)
    assert dana_2025.outstanding_cents == 15_000
    # Before the HSA was opened: nothing of 2025 can come from the HSA.
    assert dana_2025.hsa_eligible_unreimbursed_cents == 0

    assert dana_2026.paid_cents == 320_000
    assert dana_2026.reimbursed_insurer_cents == 45_000
    assert dana_2026.reimbursed_cents == 45_000
    assert dana_2026.awaiting_cents == 30_000
    assert dana_2026.outstanding_cents == 275_000
    # PRP: $2,000 - $450 reimbursed - $300 claimed = $1,250; the infusion with a letter: $300.
    # Not: the infusion without a letter, the MRI paid by HSA card, the follow-up without a code.
    assert dana_2026.hsa_eligible_unreimbursed_cents == 155_000

    assert (sam_2026.paid_cents, sam_2026.reimbursed_fsa_cents) == (120_000, 120_000)
    assert sam_2026.outstanding_cents == 0
    assert sam_2026.hsa_eligible_unreimbursed_cents == 0  # Sam has no HSA

    total = totals(rows)
    assert (total.year, total.person_id, total.person_name) == (None, None, "Total")
    assert total.treatments == 7
    assert total.paid_cents == 465_000
    assert total.reimbursed_cents == 175_000
    assert total.outstanding_cents == 290_000
    assert total.hsa_eligible_unreimbursed_cents == 155_000


def test_the_report_can_be_narrowed_to_one_year_and_one_person(db, household):
    _, sam = household
    rows = report_rows(db, year=2026, person_id=sam.id)
    assert [(r.year, r.person_name, r.paid_cents) for r in rows] == [(2026, "Sam Whitfield", 120_000)]
    assert report_rows(db, year=2019) == []


def test_the_monthly_chart_has_every_month_and_adds_up_to_the_report(db, household):
    dana, _ = household
    year = monthly_series(db, year=2026, person_id=dana.id)
    assert [p.month for p in year] == [D(2026, month, 1) for month in range(1, 13)]
    assert year[2] == MonthPoint(D(2026, 3, 1), 200_000, 45_000, 30_000, 155_000)
    assert year[0] == MonthPoint(D(2026, 1, 1))  # nothing in January, still on the axis
    assert sum(p.paid_cents for p in year) == 320_000
    assert sum(p.outstanding_cents for p in year) == 275_000

    everything = monthly_series(db)
    assert (everything[0].month, everything[-1].month, len(everything)) == (
        D(2025, 3, 1), D(2026, 8, 1), 18,
    )
    assert sum(p.reimbursed_cents for p in everything) == 175_000
    assert monthly_series(db, year=2019) == []


def test_the_csv_report_opens_in_a_spreadsheet_with_a_total_row(db, household, tmp_path):
    folder = tmp_path / "tax"
    folder.mkdir()
    target = folder / "report.csv"
    write_report_csv(report_rows(db), target)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert table[0][:4] == ["Year", "Person", "Treatments", "Paid"]
    assert table[2] == [
        "2026", "Dana Whitfield", "5", "3200.00", "450.00", "0.00", "0.00", "450.00",
        "0.00", "300.00", "2750.00", "2450.00", "1550.00",
    ]
    assert table[-1][:4] == ["All", "Total", "7", "4650.00"]
    assert len(table) == 5
    assert [p.name for p in folder.iterdir()] == ["report.csv"]  # no temporary file left


def test_a_name_that_looks_like_a_formula_stays_text(services, db):
    person = services.records.create(m.Person, name="=HYPERLINK(\"http://x\")")
    services.records.create(m.Treatment, person_id=person.id, date_of_service=D(2026, 1, 5),
                            category="prp")
    row = list(csv.reader(io.StringIO(report_csv(report_rows(db)))))[1]
    assert row[1] == "'=HYPERLINK(\"http://x\")"


def test_a_failed_write_keeps_the_old_report(db, household, tmp_path, monkeypatch):
    folder = tmp_path / "tax"
    folder.mkdir()
    target = folder / "report.csv"
    target.write_text("old report")

    def broken(*_args):
        raise OSError("disk full")

    monkeypatch.setattr("regenlog.core.fileio.os.replace", broken)
    with pytest.raises(OSError):
        write_report_csv(report_rows(db), target)
    assert target.read_text() == "old report"
    assert [p.name for p in folder.iterdir()] == ["report.csv"]
