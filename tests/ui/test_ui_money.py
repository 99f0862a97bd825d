"""Money and deadlines in the window, told as a household's stories: a deferred-interest plan
that is falling behind, the yearly report for a tax adviser, the deadlines in a calendar,
and a claim that would ask for money already reimbursed."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from regenlog.core import models as m
from regenlog.core.reimbursement import create_claim
from regenlog.core.reports import CSV_HEADER
from regenlog.core.services import Services
from regenlog.store.database import open_database

from .conftest import start_app
from .helpers import choose, type_into

D = dt.date


@pytest.fixture
def household_app(qtbot, paths, ui_settings, request):
    """The window on a folder filled by the test's ``build(services)`` (indirect param)."""
    db = open_database(paths)
    try:
        request.param(Services(db))
    finally:
        db.close()
    controller = start_app(qtbot, paths, ui_settings)
    yield controller
    controller._quitting = True
    controller.pages.documents.wait_for_jobs()
    controller.window.close()


def save_dialog_answers(monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))


# -- a deferred-interest plan ----------------------------------------------------------------
def behind_on_a_card(services):
    """$6,000 on 2026-01-15, 12 months deferred interest at 29.99%, ten payments of $450 on
    the 15th (DOMAIN.md section 6): $1,500 left with two due dates before 2027-01-15."""
    dana = services.records.create(m.Person, name="Dana Whitfield")
    plan = services.records.create(
        m.FinancingPlan, person_id=dana.id, lender="CareCredit", amount_cents=600_000,
        purchase_date=D(2026, 1, 15), promo_months=12, promo_end=D(2027, 1, 15),
        standard_apr_bp=2999, deferred_interest=True, minimum_payment_cents=3_000,
    )
    for month in range(2, 12):
        services.details.add_payment(plan.id, D(2026, month, 15), 45_000)


@pytest.mark.parametrize("household_app", [behind_on_a_card], indirect=True)
def test_a_patient_behind_on_a_promotion_sees_the_warning_and_tries_other_amounts(
    household_app, qtbot
):
    app = household_app
    app.go("financing")
    page = app.pages.pages["financing"]
    panel = page.panel
    figures = panel.view.figures
    assert page.view.panel_title.text().startswith("Payoff: CareCredit, $6,000.00")
    assert figures["balance"].text() == "$1,500.00"
    assert figures["needed"].text() == "$750.00"
    assert figures["at_risk"].text() == "$1,065.10"  # if nothing more is paid
    assert figures["total"].text() == "$7,156.62"  # at $450 a month, paid off in May 2027
    assert panel.view.warning_box.isVisibleTo(page.view)
    assert panel.view.warning.text() == (
        "$1,053.63 of back-interest will be charged on 01/15/2027 unless you pay at least "
        "$750.00 a month."
    )

    # Her pace is shown and drawn; she tries $600, then the $750 the panel asks for.
    what_if = panel.view.what_if
    assert what_if.value() == 450
    assert "Paying $450.00 a month leaves $600.00 unpaid on 01/15/2027" in (
        panel.view.what_if_result.text())
    chart = panel.chart
    assert set(chart.series) == {"So far", "At your pace ($450.00 a month)",
                                 "Needed ($750.00 a month)", "promo_end"}
    what_if.lineEdit().selectAll()
    qtbot.keyClicks(what_if, "600")
    assert panel.what_if.deferred_interest_cents == 104_981
    assert "What if ($600.00 a month)" in chart.series
    assert "$1,049.81 of back-interest is charged" in panel.view.what_if_result.text()
    what_if.lineEdit().selectAll()
    qtbot.keyClicks(what_if, "750")
    assert panel.what_if.cleared_in_time
    assert panel.view.what_if_result.text() == (
        "Paying $750.00 a month clears it by 01/15/2027, before the promotion ends: no "
        "back-interest, $6,000.00 in all."
    )
    needed = chart.series["Needed ($750.00 a month)"]
    assert [p.y() for p in needed.points()] == [1500.0, 750.0, 0.0]


@pytest.mark.parametrize("household_app", [behind_on_a_card], indirect=True)
def test_a_payment_added_in_the_plan_dialog_updates_its_payoff_and_the_page(
    household_app, qtbot
):
    app = household_app
    app.go("financing")
    page = app.pages.pages["financing"]
    dialog = app.pages.editors.open_record("financing_plan", 1)
    payments, payoff = dialog.sections[0], dialog.sections[1]
    assert payoff.panel.view.figures["needed"].text() == "$750.00"
    assert not payments.summary.isVisibleTo(dialog)  # said once, by the payoff section
    type_into(qtbot, payments.date_edit, "11/26/2026")
    type_into(qtbot, payments.amount_edit, "750")
    qtbot.mouseClick(payments.add_button, Qt.MouseButton.LeftButton)
    assert payoff.panel.view.figures["balance"].text() == "$750.00"
    assert payoff.panel.view.figures["needed"].text() == "$375.00"
    assert page.panel.view.figures["balance"].text() == "$750.00"
    # Typing a shorter promotion re-projects before anything is saved.
    type_into(qtbot, dialog.form.inputs["promo_end"].widget, "12/15/2026")
    assert payoff.panel.view.figures["needed"].text() == "$750.00"
    dialog.form.load(dialog.record)  # nothing left to confirm on close
    dialog.reject()


# -- the yearly report -----------------------------------------------------------------------
def whitfields(services):
    """Dana opened an HSA on 2025-06-01; Sam has an FSA. Amounts in the comments."""
    r = services.records
    dana = r.create(m.Person, name="Dana Whitfield")
    sam = r.create(m.Person, name="Sam Whitfield")
    plan = r.create(m.InsurancePlan, person_id=dana.id, insurer="Aetna")
    hsa = r.create(m.Account, person_id=dana.id, kind="hsa", opened_on=D(2025, 6, 1))
    fsa = r.create(m.Account, person_id=sam.id, kind="fsa")

    def treatment(person, day, category, paid, method="card", dx="M17.11"):
        t = r.create(m.Treatment, person_id=person.id, date_of_service=day, category=category)
        r.create(m.Receipt, treatment_id=t.id, paid_on=day, total_cents=paid,
                 payment_method=method)
        services.details.set_diagnoses(t.id, [dx])
        return t

    # 2025, before the HSA opened: a $250 consultation; the insurer paid $100.
    consult = treatment(dana, D(2025, 3, 10), "consultation", 25_000)
    create_claim(services, treatment_id=consult.id, destination="insurer", plan_id=plan.id,
                 amount_claimed_cents=25_000, status="partly_paid", amount_paid_cents=10_000)
    # 2026: a $2,000 PRP; the insurer paid $450 and an HSA claim for $300 is pending.
    prp = treatment(dana, D(2026, 3, 14), "prp", 200_000)
    create_claim(services, treatment_id=prp.id, destination="insurer", plan_id=plan.id,
                 amount_claimed_cents=200_000, status="partly_paid", amount_paid_cents=45_000)
    create_claim(services, treatment_id=prp.id, destination="hsa", account_id=hsa.id,
                 amount_claimed_cents=30_000, status="pending")
    # A $500 MRI paid with the HSA card: already tax-free, so nothing more from the HSA.
    treatment(dana, D(2026, 7, 1), "imaging", 50_000, method="hsa_card")
    # Sam's $1,200 PRP for tennis elbow, all of it reimbursed by his FSA.
    elbow = treatment(sam, D(2026, 4, 20), "prp", 120_000, dx="M77.11")
    create_claim(services, treatment_id=elbow.id, destination="fsa", account_id=fsa.id,
                 amount_claimed_cents=120_000, status="paid", amount_paid_cents=120_000)


def shown_rows(page) -> list[list[str]]:
    model = page.model
    return [[model.text(r, c) for c in range(model.columnCount())]
            for r in range(model.rowCount())]


@pytest.mark.parametrize("household_app", [whitfields], indirect=True)
def test_the_report_adds_up_the_household_and_exports_the_same_rows(
    household_app, qtbot, tmp_path, monkeypatch
):
    app = household_app
    assert app.window.sidebar.item(8).text() == "Reports"
    app.go("reports")
    page = app.pages.pages["reports"]
    assert app.window.stack.currentWidget() is page.view
    # Year, person, treatments, paid, paid back by the insurer, HSA, FSA, awaiting,
    # outstanding, still claimable, HSA room.
    assert shown_rows(page) == [
        ["2025", "Dana Whitfield", "1", "$250.00", "$100.00", "$0.00", "$0.00", "$0.00",
         "$150.00", "$150.00", "$0.00"],
        ["2026", "Dana Whitfield", "2", "$2,500.00", "$450.00", "$0.00", "$0.00", "$300.00",
         "$2,050.00", "$1,750.00", "$1,250.00"],
        ["2026", "Sam Whitfield", "1", "$1,200.00", "$0.00", "$0.00", "$1,200.00", "$0.00",
         "$0.00", "$0.00", "$0.00"],
        ["All years", "Total", "4", "$3,950.00", "$550.00", "$0.00", "$1,200.00", "$300.00",
         "$2,200.00", "$1,900.00", "$1,250.00"],
    ]
    years = [page.view.year_box.itemText(i) for i in range(page.view.year_box.count())]
    assert years == ["All years", "2026", "2025"]

    # 2026 only: the chart shows its twelve months, March's $2,000 PRP among them.
    choose(page.view.year_box, 2026)
    assert [row[:2] for row in shown_rows(page)] == [
        ["2026", "Dana Whitfield"], ["2026", "Sam Whitfield"], ["All years", "Total"]]
    qtbot.waitUntil(lambda: page.chart is not None
                    and page.view.chart_title.text() == "By month, 2026")
    [series] = page.chart.chart.series()
    paid = series.barSets()[0]
    assert paid.count() == 12
    assert [paid.at(i) for i in (2, 3, 6)] == [2000.0, 1200.0, 500.0]

    # Sam's year, exported for the FSA administrator: the file holds the rows on screen.
    choose(page.view.person_box, 2)
    assert [row[1] for row in shown_rows(page)] == ["Sam Whitfield", "Total"]
    save_dialog_answers(monkeypatch, tmp_path / "sam-2026")
    qtbot.mouseClick(page.view.export_button, Qt.MouseButton.LeftButton)
    target = tmp_path / "sam-2026.csv"
    assert "Saved 1 row and the total" in page.view.status.text()
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        CSV_HEADER,
        ["2026", "Sam Whitfield", "1", "1200.00", "0.00", "0.00", "1200.00", "1200.00", "0.00",
         "0.00", "0.00", "0.00", "0.00"],
        ["All", "Total", "1", "1200.00", "0.00", "0.00", "1200.00", "1200.00", "0.00", "0.00",
         "0.00", "0.00", "0.00"],
    ]


# -- deadlines in a calendar -----------------------------------------------------------------
def denial_and_promotion(services):
    r = services.records
    dana = r.create(m.Person, name="Dana Whitfield")
    plan = r.create(m.InsurancePlan, person_id=dana.id, insurer="Aetna")
    knee = r.create(m.Treatment, person_id=dana.id, date_of_service=D(2026, 9, 2),
                    category="prp", body_site="knee", side="right", plan_id=plan.id)
    r.create(m.Determination, person_id=dana.id, plan_id=plan.id, treatment_id=knee.id,
             kind="denial", decision="denied", reference_number="DN-4471",
             received_on=D(2026, 10, 1))
    card = r.create(m.FinancingPlan, person_id=dana.id, lender="CareCredit",
                    amount_cents=300_000, purchase_date=D(2026, 1, 20), promo_months=12,
                    promo_end=D(2027, 1, 20), standard_apr_bp=2699, deferred_interest=True)
    services.details.add_payment(card.id, D(2026, 2, 20), 100_000)


def events(text: str) -> list[dict[str, str]]:
    out, current = [], None
    for line in text.replace("\r\n ", "").split("\r\n"):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            out.append(current)
            current = None
        elif current is not None and ":" in line:
            key, _, value = line.partition(":")
            current.setdefault(key, value)  # the event's own, not its reminder's
    return out


@pytest.mark.parametrize("household_app", [denial_and_promotion], indirect=True)
def test_deadlines_go_to_a_calendar_file_from_the_menu_and_the_dashboard(
    household_app, qtbot, tmp_path, monkeypatch
):
    app = household_app
    save_dialog_answers(monkeypatch, tmp_path / "deadlines")
    app.window.calendar_action.trigger()
    target = tmp_path / "deadlines.ics"
    text = target.read_bytes().decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    found = {e["UID"]: e for e in events(text)}
    assert set(found) == {"financing_plan-1-promo_end@regenlog",
                          "determination-1-internal_appeal@regenlog"}
    appeal = found["determination-1-internal_appeal@regenlog"]
    assert appeal["DTSTART;VALUE=DATE"] == "20270330"  # 180 days after 2026-10-01
    assert appeal["SUMMARY"] == "Appeal deadline: right knee PRP denial (ref DN-4471)"
    assert found["financing_plan-1-promo_end@regenlog"]["DTSTART;VALUE=DATE"] == "20270120"
    assert "Saved 2 deadlines" in app.window.statusBar().currentMessage()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".deadlines")] == []

    # The dashboard's button writes the same file again (a newer export, same events).
    target.unlink()
    app.go("dashboard")
    dashboard = app.pages.pages["dashboard"]
    qtbot.mouseClick(dashboard.view.calendar_button, Qt.MouseButton.LeftButton)
    assert {e["UID"] for e in events(target.read_bytes().decode("utf-8"))} == set(found)


def test_with_no_deadline_ahead_there_is_nothing_to_export(app, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: told.append(text))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: pytest.fail("asked"))
    app.window.calendar_action.trigger()
    assert told == ["No deadline falls in the next twelve months, so there is nothing to add "
                    "to a calendar."]


# -- claims never ask twice for the same dollars ---------------------------------------------
def prp_partly_paid(services):
    r = services.records
    dana = r.create(m.Person, name="Dana Whitfield")
    plan = r.create(m.InsurancePlan, person_id=dana.id, insurer="Aetna")
    r.create(m.Account, person_id=dana.id, kind="hsa", opened_on=D(2025, 6, 1))
    knee = r.create(m.Treatment, person_id=dana.id, date_of_service=D(2026, 3, 14),
                    category="prp", plan_id=plan.id)
    r.create(m.Receipt, treatment_id=knee.id, paid_on=D(2026, 3, 14), total_cents=200_000)
    create_claim(services, treatment_id=knee.id, destination="insurer", plan_id=plan.id,
                 amount_claimed_cents=200_000, status="partly_paid", amount_paid_cents=45_000)


@pytest.mark.parametrize("household_app", [prp_partly_paid], indirect=True)
def test_a_claim_for_more_than_is_left_is_refused_beside_the_amount(household_app, qtbot):
    app = household_app
    services = app.session.services
    app.pages.open_treatment(1, {})
    page = app.pages.pages["treatment"]
    money = page.linked.claims_money.widget
    assert money.text().splitlines() == [
        "Paid: $2,000.00", "Reimbursed: $450.00 (insurer $450.00)", "Outstanding: $1,550.00"]

    # She asks her HSA for the whole $1,600 she thinks is left.
    qtbot.mouseClick(page.linked.add_buttons["claim"], Qt.MouseButton.LeftButton)
    dialog = app.pages.editors.current
    form = dialog.form
    assert form.inputs["plan_id"].raw() is not None  # pre-filled with the treatment's plan
    choose(form.inputs["destination"].widget, "hsa")
    assert form.inputs["plan_id"].raw() is None  # an HSA claim goes to the account instead
    choose(form.inputs["account_id"].widget, 1)
    assert dialog.sections[0].claimable.text() == "You can claim up to $1,550.00 from the HSA."
    type_into(qtbot, form.inputs["amount_claimed_cents"].widget, "1,600")
    refusal = ("The insurer already reimbursed $450.00 of this $2,000.00 treatment; you can "
               "claim at most $1,550.00 from the HSA.")
    assert form.sentence_for("amount_claimed_cents") == refusal
    assert form.sentences["amount_claimed_cents"].isVisibleTo(dialog)
    assert not dialog.save_button.isEnabled()
    assert dialog.save() is False  # even forced, the claims rule refuses it
    assert form.sentence_for("amount_claimed_cents") == refusal
    assert services.records.count(m.Claim) == 1

    # $1,550 is what is left: saved, and the treatment page shows it awaiting an answer.
    type_into(qtbot, form.inputs["amount_claimed_cents"].widget, "1,550")
    assert form.sentence_for("amount_claimed_cents") == ""
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert services.records.count(m.Claim) == 2
    assert money.text().splitlines() == [
        "Paid: $2,000.00", "Reimbursed: $450.00 (insurer $450.00)",
        "Awaiting an answer: $1,550.00 (HSA $1,550.00)", "Outstanding: $1,550.00"]

    # Changing the insurer's claim later is checked without counting itself.
    dialog = app.pages.editors.open_record("claim", 1)
    assert dialog.form.sentence_for("amount_paid_cents") == ""
    type_into(qtbot, dialog.form.inputs["amount_paid_cents"].widget, "500")
    assert "you can claim at most $450.00 from the insurer" in (
        dialog.form.sentence_for("amount_paid_cents"))
    assert not dialog.save_button.isEnabled()
    type_into(qtbot, dialog.form.inputs["amount_paid_cents"].widget, "450")
    assert dialog.save_button.isEnabled()
    dialog.form.load(dialog.record)  # nothing left to confirm on close
    dialog.reject()



# -- how it looks ----------------------------------------------------------------------------
def test_the_money_pages_render_on_the_demo_data(demo_app, qtbot, tmp_path, monkeypatch):
    """Screenshots under the test's folder (and $REGENLOG_SCREENSHOTS when set)."""
    import os
    from pathlib import Path

    window = demo_app.window
    window.resize(1280, 860)
    out = [tmp_path / "screenshots"]
    if os.environ.get("REGENLOG_SCREENSHOTS"):
        out.append(Path(os.environ["REGENLOG_SCREENSHOTS"]))
    for folder in out:
        folder.mkdir(parents=True, exist_ok=True)

    def shoot(widget, name: str) -> None:
        qtbot.wait(60)
        image = widget.grab()
        assert not image.isNull() and image.width() >= 500
        for folder in out:
            assert image.save(str(folder / f"{name}.png"))

    demo_app.go("financing")
    panel = demo_app.pages.pages["financing"].panel
    assert panel.view.warning_box.isVisibleTo(window)
    shoot(window, "financing")
    demo_app.go("reports")
    qtbot.waitUntil(lambda: demo_app.pages.pages["reports"].chart is not None)
    shoot(window, "reports")
    demo_app.go("dashboard")
    shoot(window, "dashboard")
    dialog = demo_app.pages.editors.open_record("financing_plan", 1)
    dialog.resize(760, 1100)
    shoot(dialog, "financing-dialog")
    dialog.reject()
    claim = demo_app.pages.editors.open_record("claim", 1)
    shoot(claim, "claim-dialog")
    claim.reject()
    demo_app.pages.open_treatment(3, {})
    shoot(demo_app.pages.pages["treatment"].linked.widget, "treatment-claims")

    from PySide6.QtWidgets import QFileDialog

    demo_app.import_records()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (
        str(Path(__file__).parent.parent / "data" / "treatments_mixed.csv"), ""))
    demo_app.import_dialog.choose_button.click()
    wizard = demo_app.import_dialog.csv_wizard
    shoot(wizard, "csv-mapping")
    wizard.next()
    shoot(wizard, "csv-check")
    wizard.reject()
    assert len(list(out[0].glob("*.png"))) == 8
