"""On the demo household, the screens tell the same money truth as the bundle: the dashboard's
"Still claimable", the claim form's hint, the MRI's payment to the imaging center on its
claim and EOB, and a checklist that never calls a missing letter "still valid"."""

from PySide6.QtCore import Qt

from regenlog.core.reimbursement import treatment_money
from regenlog.core.reports import report_rows, totals

from .helpers import choose

MRI, PRP_1, DRIP = 2, 4, 10


def test_the_dashboard_shows_what_is_still_claimable_as_the_core_counts_it(demo_app, qtbot):
    demo_app.go("dashboard")
    view = demo_app.pages.pages["dashboard"].view
    qtbot.waitUntil(lambda: view.figures["claimable"].text() != "…")
    db = demo_app.session.services.db
    total = totals(report_rows(db))
    # What came back to the household: the insurer's $372 and the HSA's $2,400; the
    # $489.92 the insurer paid the imaging center is not money paid back.
    assert view.figures["reimbursed"].text() == "$2,772.00"
    expected = sum(m.still_claimable_cents for m in treatment_money(db).values())
    assert total.still_claimable_cents == expected == 1_213_800
    assert view.figures["claimable"].text() == "$12,138.00"
    assert "what a bundle would ask" in view.figures["claimable"].parentWidget().toolTip()


def test_the_claim_form_says_the_insurer_decided_and_what_the_hsa_may_still_repay(
    demo_app, qtbot
):
    demo_app.pages.open_treatment(PRP_1, {})
    page = demo_app.pages.pages["treatment"]
    assert page.linked.claims_money.widget.text().splitlines() == [
        "Paid: $850.00", "Reimbursed: $372.00 (insurer $372.00)", "Outstanding: $478.00"]
    qtbot.mouseClick(page.linked.add_buttons["claim"], Qt.MouseButton.LeftButton)
    dialog = demo_app.pages.editors.current
    section = dialog.sections[0]
    assert section.claimable.text().startswith(
        "The insurer has already decided this treatment (the EOB GPH-CLM-2603-1185203 of "
        "2026-04-22): to ask it again, appeal")
    choose(dialog.form.inputs["destination"].widget, "hsa")
    assert section.claimable.text() == "You can claim up to $478.00 from the HSA."
    dialog.form.load(None)
    dialog.reject()


def test_the_mri_claim_and_eob_show_what_the_insurer_paid_the_imaging_center(demo_app, qtbot):
    demo_app.pages.open_treatment(MRI, {})
    page = demo_app.pages.pages["treatment"]
    assert page.linked.claims_money.widget.text().splitlines() == [
        "Paid: $122.48 (of which HSA card $122.48)", "Reimbursed: $0.00",
        "Paid to the provider by the plan: $489.92 (not paid back to you)",
        "Outstanding: $122.48"]
    editors = demo_app.pages.editors
    claim = editors.open_record("claim", 3)
    assert claim.form.inputs["amount_paid_to_provider_cents"].widget.text() == "489.92"
    assert claim.form.inputs["amount_paid_cents"].widget.text() == ""
    claim.reject()
    eob = editors.open_record("determination", 1)
    assert eob.form.inputs["amount_paid_to_provider_cents"].widget.text() == "489.92"
    eob.reject()


def test_the_wellness_drips_checklist_does_not_call_a_missing_letter_valid(demo_app):
    demo_app.pages.open_treatment(DRIP, {})
    checklist = demo_app.pages.pages["treatment"].checklist
    assert checklist.is_done("lmn.missing") is False
    assert checklist.is_done("lmn.expired") is None  # no letter: no "still valid" line
    assert "Letter of medical necessity still valid" not in [
        row.item.rule.title for row in checklist.row_widgets.values()]
