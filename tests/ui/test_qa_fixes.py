"""What the GUI QA pass found, told as the patient met it: an edited procedure line lost, a
replaced treatment page still listening, a mistyped payment that could not be taken back, a
new letter "changed" before any edit, a first image not fitted, a treatment page that
scrolled sideways, "2 persons", and cut-off figures, headers and month labels."""

import datetime as dt

from PySide6.QtCore import SIGNAL, QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QComboBox, QMessageBox, QSplitter

from regenlog.core import models as m
from regenlog.ui.pages.registry import LIST_PAGES

from .helpers import type_into

WIDTH, HEIGHT = 1180, 760  # the window's default size


def click(qtbot, button) -> None:
    assert button.isEnabled(), f"{button.text()} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def settle(qtbot, window) -> None:
    """Let layouts, deferred deletes and the first paint happen, as on a real screen."""
    qtbot.wait(60)
    window.grab()
    qtbot.wait(20)


def answer(monkeypatch, reply):
    """Every question gets ``reply`` (a StandardButton or a list of them, one per question)."""
    asked: list[str] = []
    replies = list(reply) if isinstance(reply, list) else None

    def question(_parent, _title, text, *_args, **_kwargs):
        asked.append(text)
        return replies.pop(0) if replies is not None else reply

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def stored_lines(services, treatment_id):
    return [(x.code, x.charge_cents) for x in services.details.procedure_lines(treatment_id)]


# -- 1. procedure lines -----------------------------------------------------------------------
def test_removing_the_line_being_edited_never_overwrites_another_line(demo_app, qtbot):
    services = demo_app.session.services
    demo_app.pages.open_treatment(3, {})
    px = demo_app.pages.pages["treatment"].procedures
    assert stored_lines(services, 3) == [("38232", 620000), ("20611", 80000)]

    # She starts editing line 1, then removes that same line instead.
    px.table.setCurrentCell(0, 0)
    click(qtbot, px.edit_button)
    assert px.add_button.text() == "Update line"
    assert px.inputs["code"].text() == "38232"
    px.table.setCurrentCell(0, 0)
    click(qtbot, px.remove_button)
    assert stored_lines(services, 3) == [("20611", 80000)]
    # The edit ended with its line: the entry row is empty and adds a new line again.
    assert px.add_button.text() == "Add line"
    assert px.editing_row is None
    assert all(not edit.text() for edit in px.inputs.values())
    type_into(qtbot, px.inputs["charge"], "555")
    assert not px.add_button.isEnabled()  # no code: nothing to add, nothing overwritten
    px.add_or_update()
    assert stored_lines(services, 3) == [("20611", 80000)]
    assert px.table.rowCount() == 1 and px.table.item(0, 0).text() == "20611"


def test_an_edit_follows_its_line_when_a_line_above_is_removed(demo_app, qtbot):
    services = demo_app.session.services
    demo_app.pages.open_treatment(3, {})
    px = demo_app.pages.pages["treatment"].procedures
    px.table.setCurrentCell(1, 0)
    click(qtbot, px.edit_button)
    assert px.inputs["code"].text() == "20611"
    px.table.setCurrentCell(0, 0)
    click(qtbot, px.remove_button)  # the 38232 line goes; 20611 moves up into row 1
    assert stored_lines(services, 3) == [("20611", 80000)]
    assert px.add_button.text() == "Update line"
    type_into(qtbot, px.inputs["charge"], "900")
    click(qtbot, px.add_button)
    # Updated in place: one line, not a copy added beside the old one.
    assert stored_lines(services, 3) == [("20611", 90000)]
    assert px.table.rowCount() == 1 and px.table.item(0, 3).text() == "$900.00"


# -- 2. the treatment page a newer one replaced -------------------------------------------------
def test_a_replaced_treatment_page_stops_listening_to_changes(demo_app, qtbot):
    services = demo_app.session.services
    bus = demo_app.session.bus
    signal = SIGNAL("changed(QString)")
    demo_app.pages.open_treatment(3, {})
    settle(qtbot, demo_app.window)
    listening = bus.receivers(signal)
    with qtbot.captureExceptions() as exceptions:
        demo_app.pages.open_treatment(5, {})  # replaces the page of treatment 3
        settle(qtbot, demo_app.window)  # its widgets are deleted now
        assert bus.receivers(signal) == listening  # the new page's handlers, not both
        page = demo_app.pages.pages["treatment"]
        type_into(qtbot, page.form.inputs["body_site"].widget, "elbow joint")
        click(qtbot, page.view.save_button)
        # A receipt added from the page reaches its list and checklist through the bus.
        before = page.linked.lists_by_type["receipt"].count()
        click(qtbot, page.linked.add_buttons["receipt"])
        dialog = demo_app.pages.editors.current
        type_into(qtbot, dialog.form.inputs["total_cents"].widget, "10")
        click(qtbot, dialog.save_button)
        settle(qtbot, demo_app.window)
    assert not exceptions, "a handler of the replaced page ran: " + repr(exceptions)
    assert services.records.get(m.Treatment, 5).body_site == "elbow joint"
    assert page.linked.lists_by_type["receipt"].count() == before + 1


# -- 3. financing payments ---------------------------------------------------------------------
def open_payments(demo_app):
    dialog = demo_app.pages.editors.open_record("financing_plan", 1)
    return dialog, dialog.sections[0]


def test_a_payment_above_the_balance_left_asks_first_naming_the_balance(
        demo_app, qtbot, monkeypatch):
    services = demo_app.session.services
    dialog, payments = open_payments(demo_app)
    before = len(services.details.payments(1))  # $6,000 plan, $4,400 paid: $1,600.00 left
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    type_into(qtbot, payments.date_edit, "11/26/2026")
    type_into(qtbot, payments.amount_edit, "16000")  # one zero too many
    click(qtbot, payments.add_button)
    assert len(asked) == 1 and "$1,600.00" in asked[0] and "$16,000.00" in asked[0]
    assert len(services.details.payments(1)) == before  # No: nothing recorded
    assert payments.amount_edit.text() == "16000"  # left to correct

    # A payment within the balance is simply recorded.
    type_into(qtbot, payments.amount_edit, "1600")
    click(qtbot, payments.add_button)
    assert len(asked) == 1
    assert len(services.details.payments(1)) == before + 1

    # Paid off, a later payment (a refund to come) can still be recorded once confirmed.
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    type_into(qtbot, payments.date_edit, "11/27/2026")
    type_into(qtbot, payments.amount_edit, "50")
    click(qtbot, payments.add_button)
    assert len(asked) == 1 and "$0.00" in asked[0]
    assert [p.amount_cents for p in services.details.payments(1)][-1] == 5000
    dialog.reject()


def test_a_mistyped_payment_can_be_removed_after_confirming(demo_app, qtbot, monkeypatch):
    services = demo_app.session.services
    wrong = services.details.add_payment(1, dt.date(2026, 11, 25), 2000)  # meant $200.00
    dialog, payments = open_payments(demo_app)
    assert payments.remove_button.isVisibleTo(dialog)
    assert not payments.remove_button.isEnabled()  # nothing selected yet
    row = next(n for n in range(payments.list.count())
               if payments.list.item(n).data(Qt.ItemDataRole.UserRole) == wrong.id)
    assert payments.list.item(row).text().endswith("$20.00")
    payments.list.setCurrentRow(row)

    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    click(qtbot, payments.remove_button)
    assert len(asked) == 1 and "$20.00" in asked[0]
    assert wrong.id in [p.id for p in services.details.payments(1)]

    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    click(qtbot, payments.remove_button)
    stored = services.details.payments(1)
    assert wrong.id not in [p.id for p in stored] and len(stored) == 11
    assert payments.list.count() == 11
    assert not any(payments.list.item(n).text().endswith("$20.00")
                   for n in range(payments.list.count()))
    # The payoff beside it is worked out again: $1,600.00 left, as before the mistake.
    payoff = dialog.sections[1].panel
    assert payoff.view.figures["balance"].text() == "$1,600.00"
    dialog.reject()


# -- 4. a new letter of medical necessity ------------------------------------------------------
def test_closing_an_untouched_new_letter_does_not_ask_about_changes(
        demo_app, qtbot, monkeypatch):
    asked = answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    demo_app.pages.open_treatment(6, {})
    page = demo_app.pages.pages["treatment"]
    click(qtbot, page.linked.add_buttons["medical_necessity_letter"])
    dialog = demo_app.pages.editors.current
    coverage = dialog.sections[0]
    ticked = [coverage.list.item(n).data(Qt.ItemDataRole.UserRole)
              for n in range(coverage.list.count())
              if coverage.list.item(n).checkState() == Qt.CheckState.Checked]
    assert ticked == [6]  # the treatment it was added from
    assert not dialog.is_dirty()
    click(qtbot, dialog.cancel_button)
    assert asked == []
    assert not dialog.isVisible()  # closed without a question

    # Unticking the treatment is a change, and closing then asks.
    click(qtbot, page.linked.add_buttons["medical_necessity_letter"])
    dialog = demo_app.pages.editors.current
    item = next(dialog.sections[0].list.item(n) for n in range(dialog.sections[0].list.count())
                if dialog.sections[0].list.item(n).data(Qt.ItemDataRole.UserRole) == 6)
    item.setCheckState(Qt.CheckState.Unchecked)
    assert dialog.is_dirty()
    click(qtbot, dialog.cancel_button)
    assert len(asked) == 1 and dialog.isVisible()  # Cancel kept it open
    answer(monkeypatch, QMessageBox.StandardButton.Discard)
    dialog.reject()
    assert demo_app.session.services.records.count(m.MedicalNecessityLetter) == 4


# -- 5. the image preview ----------------------------------------------------------------------
def test_the_first_image_shown_fits_the_preview(demo_app, qtbot, tmp_path):
    image = QImage(1600, 1200, QImage.Format.Format_RGB32)
    image.fill(QColor("orange"))
    photo = tmp_path / "knee-photo.png"
    assert image.save(str(photo))
    demo_app.window.resize(WIDTH, HEIGHT)
    demo_app.go("documents")
    page = demo_app.pages.pages["documents"]
    with qtbot.waitSignal(demo_app.pages.documents.jobFinished, timeout=10000):
        demo_app.pages.documents.attach([photo], [])
    doc = max(demo_app.session.services.records.list(m.Document), key=lambda d: d.id)
    assert doc.original_name == "knee-photo.png"
    qtbot.waitUntil(lambda: page.list_page.select_id(doc.id))
    label = page.preview.image
    assert page.preview.kind == "image" and label.isVisible()
    shown = label.pixmap().size()
    room = label.contentsRect().size()
    assert shown.width() <= room.width() and shown.height() <= room.height()
    # Fitted, not just small: the picture touches two sides of the pane.
    assert room.width() - shown.width() <= 1 or room.height() - shown.height() <= 1
    # And it follows the pane when the window grows.
    demo_app.window.resize(WIDTH + 300, HEIGHT + 100)
    settle(qtbot, demo_app.window)
    grown = label.pixmap().size()
    assert grown.width() > shown.width()
    assert grown.width() <= label.contentsRect().width()


# -- 6. the treatment page at the default window size -------------------------------------------
def test_every_treatment_page_fits_the_default_window_without_sideways_scrolling(
        demo_app, qtbot):
    window = demo_app.window
    window.resize(WIDTH, HEIGHT)
    for treatment in demo_app.session.services.records.list(m.Treatment):
        demo_app.pages.open_treatment(treatment.id, {})
        page = demo_app.pages.pages["treatment"]
        settle(qtbot, window)
        scroll = page.view.findChild(QSplitter).widget(0)
        viewport = scroll.viewport()
        assert scroll.horizontalScrollBar().maximum() == 0, treatment.id
        assert not scroll.horizontalScrollBar().isVisible()
        combos = scroll.widget().findChildren(QComboBox)
        assert combos
        for combo in combos:
            right = combo.mapTo(viewport, QPoint(combo.width(), 0)).x()
            assert right <= viewport.width(), (treatment.id, combo.accessibleName())


# -- 7. row counts ------------------------------------------------------------------------------
COUNT_WORDS = {  # record type: (model, one, several)
    "treatment": (m.Treatment, "treatment", "treatments"),
    "receipt": (m.Receipt, "receipt", "receipts"),
    "insurer_call": (m.InsurerCall, "insurer call", "insurer calls"),
    "determination": (m.Determination, "determination", "determinations"),
    "medical_necessity_letter": (m.MedicalNecessityLetter, "letter", "letters"),
    "claim": (m.Claim, "claim", "claims"),
    "financing_plan": (m.FinancingPlan, "financing plan", "financing plans"),
    "document": (m.Document, "document", "documents"),
    "person": (m.Person, "person", "people"),
    "insurance_plan": (m.InsurancePlan, "insurance plan", "insurance plans"),
    "account": (m.Account, "HSA/FSA account", "HSA/FSA accounts"),
    "provider": (m.Provider, "provider", "providers"),
    "lab_result": (m.LabResult, "lab result", "lab results"),
    "good_faith_estimate": (m.GoodFaithEstimate, "Good Faith Estimate", "Good Faith Estimates"),
}


def every_list(demo_app):
    pages = demo_app.pages
    lists = [pages.page(key) for key in LIST_PAGES if key != "financing"]
    lists.append(pages.page("financing").list_page)
    lists.append(pages.page("documents").list_page)
    lists.extend(pages.page("people").lists)
    return lists


def test_every_list_counts_its_rows_in_proper_words(demo_app, qtbot):
    records = demo_app.session.services.records
    lists = every_list(demo_app)
    assert {lp.model.record_type for lp in lists} == set(COUNT_WORDS)
    for lp in lists:
        lp.load()
        model, one, several = COUNT_WORDS[lp.model.record_type]
        n = records.count(model)
        assert n >= 1
        assert lp.view.count_label.text() == f"{n} {one if n == 1 else several}"
    people = next(lp for lp in lists if lp.model.record_type == "person")
    assert people.view.filter_box.placeholderText() == "Filter people"
    type_into(qtbot, people.view.filter_box, "Marcus")
    people.debounce.flush()
    assert people.view.count_label.text() == "1 person matches"


# -- 8. nothing cut off --------------------------------------------------------------------------
def test_list_headers_show_whole(demo_app, qtbot):
    demo_app.window.resize(WIDTH, HEIGHT)
    for lp in every_list(demo_app):
        lp.load()
        header = lp.view.table.horizontalHeader()
        for column in range(lp.model.columnCount()):
            assert header.sectionSize(column) >= header.sectionSizeHint(column), (
                lp.model.record_type, lp.model.columns[column].title)


def test_the_reports_table_shows_every_amount_and_header_whole(demo_app, qtbot):
    demo_app.window.resize(WIDTH, HEIGHT)
    demo_app.go("reports")
    page = demo_app.pages.pages["reports"]
    settle(qtbot, demo_app.window)
    table, model = page.view.table, page.model
    total_row = model.rowCount() - 1
    assert model.text(total_row, 3) == "$16,392.48"
    header = table.horizontalHeader()
    for column in range(model.columnCount()):
        title = model.headerData(column, Qt.Orientation.Horizontal)
        assert header.sectionSize(column) >= header.sectionSizeHint(column), title
        assert header.sectionSize(column) >= table.sizeHintForColumn(column), title
    assert table.horizontalScrollBar().maximum() == 0


def test_chart_months_show_month_and_year_uncut(demo_app, qtbot):
    window = demo_app.window
    window.resize(WIDTH, HEIGHT)
    for key in ("dashboard", "reports"):
        demo_app.go(key)
        page = demo_app.pages.pages[key]
        qtbot.waitUntil(lambda p=page: p.chart is not None and bool(p.chart.chart.series()))
        settle(qtbot, window)
        [axis] = page.chart.chart.axes(Qt.Orientation.Horizontal)
        labels = axis.categories()
        assert len(labels) == 18
        assert all(any(str(year) in label for year in (2025, 2026)) for label in labels)
        assert not axis.labelsTruncated(), key
        description = page.chart.view.accessibleDescription()
        assert description.startswith("Apr 2025: paid $0.00")


def test_the_documents_page_shows_every_column_and_the_whole_linked_to_line(demo_app, qtbot):
    window = demo_app.window
    window.resize(WIDTH, HEIGHT)
    demo_app.go("documents")
    page = demo_app.pages.pages["documents"]
    table = page.list_page.view.table
    page.list_page.select_id(1)
    settle(qtbot, window)
    assert table.horizontalScrollBar().maximum() == 0
    header = table.horizontalHeader()
    last = page.list_page.model.columnCount() - 1
    assert header.sectionViewportPosition(last) + header.sectionSize(last) <= (
        table.viewport().width())
    links = page.links_label
    assert links.text().startswith("Linked to: Receipt: ")
    assert links.isVisible()
    assert links.height() >= links.heightForWidth(links.width())
    bottom = links.mapTo(window, QPoint(0, links.height())).y()
    assert bottom <= page.view.mapTo(window, QPoint(0, page.view.height())).y()


def test_making_a_code_primary_keeps_each_line_on_its_diagnosis(demo_app, qtbot):
    services = demo_app.session.services
    demo_app.pages.open_treatment(3, {})
    page = demo_app.pages.pages["treatment"]
    dx, px = page.diagnoses, page.procedures
    type_into(qtbot, dx.input, "M25.561")
    click(qtbot, dx.add_button)
    assert [c.code for c in services.details.diagnoses(3)] == ["M17.11", "M25.561"]
    dx.list.setCurrentRow(1)
    click(qtbot, dx.up_button)
    assert [c.code for c in services.details.diagnoses(3)] == ["M25.561", "M17.11"]
    # Both lines were about M17.11 (A); they still are, now as B, stored and on screen.
    assert [x.pointers for x in services.details.procedure_lines(3)] == ["B", "B"]
    assert [px.table.item(row, 4).text() for row in range(px.table.rowCount())] == ["B", "B"]


def test_a_line_being_edited_follows_its_code_when_another_is_made_primary(demo_app, qtbot):
    services = demo_app.session.services
    demo_app.pages.open_treatment(3, {})
    page = demo_app.pages.pages["treatment"]
    dx, px = page.diagnoses, page.procedures
    px.table.setCurrentCell(0, 0)
    click(qtbot, px.edit_button)
    assert px.inputs["pointers"].text() == "A"  # M17.11
    type_into(qtbot, dx.input, "M25.561")
    click(qtbot, dx.add_button)
    dx.list.setCurrentRow(1)
    click(qtbot, dx.up_button)
    assert px.inputs["pointers"].text() == "B"  # still M17.11, now second
    click(qtbot, px.add_button)  # "Update line"
    assert services.details.procedure_lines(3)[0].pointers == "B"


def test_the_trash_always_has_a_record_chosen_for_its_buttons(demo_app, qtbot):
    services = demo_app.session.services
    services.records.delete(m.Receipt, 10)
    services.records.delete(m.InsurerCall, 3)
    demo_app.go("trash")
    page = demo_app.pages.pages["trash"]
    assert page.view.restore_button.isEnabled() and page.selected() is not None
    click(qtbot, page.view.restore_button)  # without picking a row first
    assert len(services.records.trash()) == 1
    assert page.view.message.text().startswith("Restored")
    assert page.selected() is not None  # the one left is chosen in turn


def test_enter_in_the_search_box_opens_the_first_result_and_down_moves_into_the_list(
    demo_app, qtbot
):
    box = demo_app.window.search_box
    box.setFocus()
    qtbot.keyClicks(box, "Alyssa")
    qtbot.keyClick(box, Qt.Key.Key_Down)
    results = demo_app.pages.pages["search"].view.results
    assert results.count() >= 1 and results.hasFocus()
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    dialog = demo_app.pages.editors.current
    assert dialog is not None and dialog.isVisible()
    assert dialog.record.rep_name.startswith("Alyssa")
    dialog.reject()


def test_a_mistyped_code_is_replaced_in_place_and_its_lines_follow(demo_app, qtbot):
    services = demo_app.session.services
    demo_app.pages.open_treatment(3, {})
    dx = demo_app.pages.pages["treatment"].diagnoses
    dx.list.setCurrentRow(0)  # M17.11, which both procedure lines point at
    click(qtbot, dx.remove_button)
    assert "points at a diagnosis" in dx.sentence.text()  # Remove refuses a code in use
    type_into(qtbot, dx.input, "M17.12")
    dx.list.setCurrentRow(0)
    click(qtbot, dx.replace_button)
    assert [c.code for c in services.details.diagnoses(3)] == ["M17.12"]
    assert [x.pointers for x in services.details.procedure_lines(3)] == ["A", "A"]
    assert dx.input.text() == "" and not dx.sentence.isVisible()


def test_search_results_fit_the_page_and_no_sidebar_page_looks_open(demo_app, qtbot):
    window = demo_app.window
    window.resize(WIDTH, HEIGHT)
    demo_app.go("trash")
    window.search_box.setText("Raman")
    demo_app.pages.pages["search"].run()
    settle(qtbot, window)
    results = demo_app.pages.pages["search"].view.results
    assert results.count() >= 5 and not results.horizontalScrollBar().isVisible()
    assert all(results.item(i).toolTip() == results.item(i).text() for i in range(results.count()))
    assert window.sidebar.currentRow() == -1  # Search has no entry; Trash is not highlighted
