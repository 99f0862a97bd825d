"""Marcus opens the denial of his shoulder consultation, drafts the appeal, saves it as PDF
and finds it attached to the denial."""

import datetime as dt

from PySide6.QtCore import Qt

from regenlog.core import models as m

from .helpers import choose


def _appeal_button(dialog):
    return dialog.findChild(type(dialog.save_button), "draftAppealButton")


def test_a_denial_drafts_its_appeal_saved_as_pdf_and_attached(demo_app, qtbot):
    services = demo_app.session.services
    dialog = demo_app.pages.editors.open_record("determination", 4)
    button = _appeal_button(dialog)
    assert button.isVisibleTo(dialog) and button.text() == "Draft appeal…"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    letter = demo_app.pages.editors.current_letter
    assert letter.windowTitle() == "Appeal letter"
    text = letter.text.toPlainText()
    for expected in ("Re: Appeal of a denied claim", "Member ID: GPH448210937-02",
                     "Denial reference number: GPH-CLM-2605-0491107",
                     "the last day is December 7, 2026", "M75.111", "99204",
                     "29 CFR 2560.503-1(h)(2)(iii)", "external review",
                     "- Granite Peak denial letter, shoulder consultation, June 10, 2026"):
        assert expected in text, expected
    assert letter.deadline.text().startswith("Send it by December 7, 2026 (in 11 days).")
    # She fills in a bracket before saving: the PDF holds her words.
    letter.text.setPlainText(text.replace("Claim number: [not recorded]",
                                          "Claim number: GPH-CLM-2605-0491107"))
    pdf = letter.pdf_bytes()
    assert pdf.startswith(b"%PDF")
    qtbot.mouseClick(letter.attach_button, Qt.MouseButton.LeftButton)
    assert letter.status.text() == (
        "Saved “appeal-letter-2026-11-26.pdf” and attached it to the denial.")
    [saved] = [d for d in services.documents.for_record(m.Determination, 4)
               if d.original_name == "appeal-letter-2026-11-26.pdf"]
    assert saved.title == "Appeal letter, 2026-11-26" and saved.document_date == dt.date(2026, 11, 26)
    assert saved.content_type == "application/pdf"
    stored = services.db.attachments.path_for(saved.sha256).read_bytes()
    assert stored.startswith(b"%PDF")
    import pypdfium2

    page_text = pypdfium2.PdfDocument(stored)[0].get_textpage().get_text_range()
    assert "Appeal of a denied claim" in page_text
    assert "Claim number: GPH-CLM-2605-0491107" in page_text
    # Drafting again does not enclose the saved draft itself.
    letter.accept()
    dialog = demo_app.pages.editors.open_record("determination", 4)
    qtbot.mouseClick(_appeal_button(dialog), Qt.MouseButton.LeftButton)
    assert "appeal-letter" not in demo_app.pages.editors.current_letter.text.toPlainText()
    demo_app.pages.editors.current_letter.accept()


def test_the_button_shows_only_while_the_form_says_denied(demo_app, qtbot):
    dialog = demo_app.pages.editors.open_record("determination", 2)  # an approved pre-auth
    button = _appeal_button(dialog)
    assert not button.isVisibleTo(dialog)
    choose(dialog.form.inputs["decision"].widget, "denied")
    assert button.isVisibleTo(dialog)
    # Drafting saves the change first: the letter is about the stored denial.
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    stored = demo_app.session.services.records.get(m.Determination, 2)
    assert stored.decision.value == "denied"
    assert "Re: Appeal of a denied claim" in demo_app.pages.editors.current_letter.text.toPlainText()
    demo_app.pages.editors.current_letter.accept()
