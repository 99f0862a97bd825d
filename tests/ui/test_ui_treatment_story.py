"""A new patient's first treatment, told as a story: the page, the codes, a procedure line
with a mistake, a receipt dropped from the desktop, a call logged without its reference."""

import datetime as dt

from PySide6.QtCore import Qt

from regenlog.core import models as m
from regenlog.core.enums import Category, Side
from regenlog.core.letters import CALL_QUESTIONS

from .helpers import choose, drop_files, make_pdf, type_into


def start_first_treatment(app, qtbot):
    app.pages.pages["welcome"].view.add_button.click()
    page = app.pages.pages["treatment"]
    assert app.window.stack.currentWidget() is page.view
    type_into(qtbot, page.person_name, "Ana Reyes")
    form = page.form
    type_into(qtbot, form.inputs["date_of_service"].widget, "03/02/2026")
    choose(form.inputs["category"].widget, Category.prp)
    type_into(qtbot, form.inputs["body_site"].widget, "elbow")
    choose(form.inputs["side"].widget, Side.right)
    type_into(qtbot, form.inputs["description"].widget, "PRP injection, right elbow")
    assert page.view.save_button.isEnabled()
    qtbot.mouseClick(page.view.save_button, Qt.MouseButton.LeftButton)
    return page


def test_a_new_patient_documents_a_treatment_step_by_step(app, qtbot, tmp_path):
    services = app.session.services
    page = start_first_treatment(app, qtbot)
    treatment = services.records.list(m.Treatment)[0]
    assert treatment.date_of_service == dt.date(2026, 3, 2)
    assert services.records.get(m.Person, treatment.person_id).name == "Ana Reyes"
    assert page.checklist.is_done("dx.missing") is False

    # She types her diagnosis in words and picks the code from the suggestions.
    dx = page.diagnoses
    type_into(qtbot, dx.input, "lateral epicondylitis right")
    dx.search_now()
    suggestions = dx.suggestions.stringList()
    wanted = next(s for s in suggestions if s.startswith("M77.11 "))
    assert wanted.endswith("(billable)")
    popup = dx.completer.popup()
    popup.setCurrentIndex(dx.completer.completionModel().index(suggestions.index(wanted), 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert [d.code for d in services.details.diagnoses(treatment.id)] == ["M77.11"]
    assert page.checklist.is_done("dx.missing") is True

    # A mistyped procedure code gets one sentence beside the field and cannot be added.
    px = page.procedures
    type_into(qtbot, px.inputs["code"], "2061")
    assert px.sentences["code"].text() == "2061 has 4 characters; CPT and HCPCS codes have 5."
    assert px.sentences["code"].isVisibleTo(page.view)
    assert not px.add_button.isEnabled()
    type_into(qtbot, px.inputs["code"], "0232t")
    type_into(qtbot, px.inputs["modifiers"], "rt")
    type_into(qtbot, px.inputs["charge"], "950")
    assert not px.sentences["code"].isVisibleTo(page.view)
    qtbot.mouseClick(px.add_button, Qt.MouseButton.LeftButton)
    [line] = services.details.procedure_lines(treatment.id)
    assert (line.code, line.modifiers, line.charge_cents, line.pointers) == ("0232T", "RT", 95000, "A")
    assert page.checklist.is_done("px.missing") is True
    assert page.checklist.is_done("receipt.missing") is False

    # She drags the clinic's receipt from her desktop onto the receipts list.
    scan = make_pdf(tmp_path, "clinic-receipt.pdf")
    drop_files(page.linked.lists_by_type["receipt"], [scan])
    dialog = app.pages.editors.current
    assert dialog.record_type == "receipt"
    assert "clinic-receipt.pdf" in dialog.sections[-1].list.item(0).text()
    type_into(qtbot, dialog.form.inputs["total_cents"].widget, "950.00")
    with qtbot.waitSignal(app.pages.documents.jobFinished, timeout=10000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [receipt] = services.records.list(m.Receipt)
    assert receipt.total_cents == 95000 and receipt.treatment_id == treatment.id
    [doc] = services.documents.for_record(m.Receipt, receipt.id)
    assert doc.original_name == "clinic-receipt.pdf"
    qtbot.waitUntil(lambda: page.checklist.is_done("payment.no_proof") is True)
    assert page.checklist.is_done("receipt.missing") is True
    assert page.linked.lists_by_type["receipt"].count() == 1


def test_a_call_without_a_reference_number_shows_on_the_checklist(app, qtbot):
    services = app.session.services
    page = start_first_treatment(app, qtbot)
    qtbot.mouseClick(page.linked.add_buttons["insurer_call"], Qt.MouseButton.LeftButton)
    dialog = app.pages.editors.current
    questions = dialog.form.inputs["questions"].widget.toPlainText()
    assert questions.splitlines() == list(CALL_QUESTIONS)
    choose(dialog.form.inputs["outcome"].widget, "not_currently_denied")
    note = dialog.sections[0].widget.text()
    assert "not a guarantee" in note
    type_into(qtbot, dialog.form.inputs["rep_name"].widget, "Jordan P.")
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [call] = services.records.list(m.InsurerCall)
    assert call.rep_name == "Jordan P." and call.reference_number == ""
    row = page.checklist.row_widgets["call.incomplete"]
    assert row.item.done is False
    assert any("reference number" in g.message for g in row.item.gaps)
    assert row.fix_button is not None

    # The fix opens the call; with the reference number the item turns done.
    qtbot.mouseClick(row.fix_button, Qt.MouseButton.LeftButton)
    dialog = app.pages.editors.current
    assert dialog.record.id == call.id
    type_into(qtbot, dialog.form.inputs["reference_number"].widget, "REF-4471")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert page.checklist.is_done("call.incomplete") is True


def test_leaving_a_treatment_with_unsaved_changes_asks_first(app, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    page = start_first_treatment(app, qtbot)
    type_into(qtbot, page.form.inputs["body_site"].widget, "knee")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: (
        asked.append(a[2]), QMessageBox.StandardButton.Cancel)[1])
    app.go("receipts")
    assert asked and app.pages.current_key == "treatment"
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Discard)
    app.go("receipts")
    assert app.pages.current_key == "receipts"
