"""A patient brings her spreadsheet: the wizard matches its columns, lists every bad row by
line number, and imports the good rows or nothing, as she chooses."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWizard

from regenlog.core import models as m
from regenlog.ui.money.csv_wizard import MAPPING_KEY, CsvImportWizard

MIXED = Path(__file__).parent.parent / "data" / "treatments_mixed.csv"
BAD_LINES = [3, 4, 7, 9, 12]


def open_wizard(app, monkeypatch, path: Path) -> tuple:
    """File > Import records…, then choose a .csv file: the wizard opens on its columns."""
    app.import_records()
    dialog = app.import_dialog
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    dialog.choose_button.click()
    wizard = dialog.csv_wizard
    assert wizard is not None and wizard.currentId() == CsvImportWizard.MAPPING
    return dialog, wizard


def mapped(wizard) -> dict[str, str | None]:
    page = wizard.mapping_page
    return {page.table.item(row, 0).text(): combo.currentData()
            for row, combo in enumerate(page.combos)}


def bad_rows(wizard) -> list[tuple[int, str]]:
    table = wizard.check_page.bad_table
    return [(table.item(r, 0).data(Qt.ItemDataRole.UserRole), table.item(r, 1).text())
            for r in range(table.rowCount())]


def test_the_import_dialog_no_longer_says_csv_comes_later(app):
    app.import_records()
    text = app.import_dialog.explain.text()
    assert "later version" not in text and "CSV" in text
    assert "later version" not in app.pages.pages["welcome"].view.import_button.description()


def test_bad_rows_are_listed_and_nothing_is_imported_until_every_row_is_good(
    app, monkeypatch
):
    dialog, wizard = open_wizard(app, monkeypatch, MIXED)
    assert mapped(wizard) == {
        "Date": "date_of_service", "Patient": "person", "Clinic": "provider",
        "Type": "category", "CPT": "procedure_codes", "ICD-10": "diagnosis_codes",
        "Amount": "amount", "Payment Method": "payment_method", "Notes": "notes",
    }
    wizard.next()
    check = wizard.check_page
    assert wizard.currentId() == CsvImportWizard.CHECK
    assert check.summary.text() == (
        "Checked 9 rows of treatments_mixed.csv (UTF-8): 4 good, 5 with problems.")
    assert [line for line, _ in bad_rows(wizard)] == BAD_LINES
    assert bad_rows(wizard)[0][1] == 'Date: "13/45/2026" is not a real calendar date.'
    assert "New people to create: Dana Whitfield, Sam Whitfield." in check.extra.text()
    assert check.import_good.text() == (
        "Import the 4 rows that are good now, and skip the others")
    assert app.session.services.records.count(m.Treatment) == 0  # a dry run stores nothing

    check.choose_nothing()
    assert wizard.button(QWizard.WizardButton.CommitButton).text() == "Import nothing now"
    wizard.next()
    result = wizard.result_page
    assert result.title() == "Nothing was imported"
    assert result.sentence.text().startswith(
        "5 of 9 rows have problems (the first, line 3: Date: \"13/45/2026\" is not a real "
        "calendar date.); nothing was imported.")
    assert app.session.services.records.count(m.Treatment) == 0
    assert app.session.services.records.count(m.Person) == 0
    wizard.accept()
    assert dialog.result.text() == ""


def test_the_good_rows_are_imported_and_the_mapping_is_remembered(
    app, monkeypatch, ui_settings
):
    dialog, wizard = open_wizard(app, monkeypatch, MIXED)
    wizard.next()
    assert wizard.check_page.only_good_rows
    assert wizard.button(QWizard.WizardButton.CommitButton).text() == "Import 4 rows"
    wizard.next()
    assert wizard.result_page.title() == "Imported"
    assert wizard.result_page.message.text().startswith(
        "Imported 4 treatments and 2 receipts, with 2 new people and 2 new providers; "
        "skipped lines 3, 4, 7, 9, 12.")
    records = app.session.services.records
    assert records.count(m.Treatment) == 4
    assert sorted(p.name for p in records.list(m.Person)) == ["Dana Whitfield", "Sam Whitfield"]
    assert json.loads(ui_settings.store.value(MAPPING_KEY))["columns"]["amount"] == "Amount"

    # Closing the wizard reloads the window on the imported records.
    wizard.accept()
    assert app.session.services.records.count(m.Treatment) == 4
    assert app.pages.current_key == "dashboard"

    # The next spreadsheet with the same columns starts from the same mapping.
    _dialog, again = open_wizard(app, monkeypatch, MIXED)
    assert again.mapping_page.note.text().startswith("Using the mapping of your last import")
    again.next()
    # Every row imported before now matches a treatment already recorded.
    assert len(again.check_page.report.good_rows) == 0
    assert not again.check_page.import_good.isEnabled()
    again.reject()


def test_the_mapping_step_explains_what_is_wrong_and_saves_and_loads(
    app, monkeypatch, tmp_path
):
    _dialog, wizard = open_wizard(app, monkeypatch, MIXED)
    page = wizard.mapping_page
    date_combo, notes_combo = page.combos[0], page.combos[-1]
    next_button = wizard.button(QWizard.WizardButton.NextButton)

    notes_combo.setCurrentIndex(notes_combo.findData("date_of_service"))
    assert page.sentence.text() == (
        "The columns “Date” and “Notes” both fill the date of service; choose one.")
    assert page.sentence.isVisibleTo(wizard) and not next_button.isEnabled()
    notes_combo.setCurrentIndex(notes_combo.findData("notes"))
    date_combo.setCurrentIndex(0)
    assert page.sentence.text() == (
        "Choose the column that holds the date of service; every row needs one.")
    date_combo.setCurrentIndex(date_combo.findData("date_of_service"))
    assert next_button.isEnabled() and not page.sentence.isVisibleTo(wizard)

    # Saved as the documented JSON, loaded back after a change.
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "clinic-sheet"), ""))
    saved = page.save_mapping()
    assert saved == tmp_path / "clinic-sheet.json"
    assert json.loads(saved.read_text())["columns"]["date_of_service"] == "Date"
    notes_combo.setCurrentIndex(0)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(saved), ""))
    assert page.load_mapping()
    assert notes_combo.currentData() == "notes"

    # A mapping made for another spreadsheet is refused with the reason.
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format": "regenlog-csv-mapping", "version": 1,
                                 "columns": {"date_of_service": "DOS"}}))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    assert not page.load_mapping()
    assert 'from a column "DOS", which the file does not have' in page.sentence.text()
    wizard.reject()


def big_sheet(folder: Path, rows: int) -> Path:
    path = folder / "years-of-infusions.csv"
    lines = ["Date,Patient,Type,ICD-10,Amount"]
    lines += [f"{1 + i % 12}/{1 + i % 28}/2024,Dana Whitfield,IV therapy,E53.8,${100 + i}.00"
              for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_large_sheet_is_checked_off_the_window_thread(app, monkeypatch, qtbot, tmp_path):
    _dialog, wizard = open_wizard(app, monkeypatch, big_sheet(tmp_path, 2_001))
    wizard.next()
    check = wizard.check_page
    assert wizard.runner.in_background
    cancel = wizard.button(QWizard.WizardButton.CancelButton)
    if check.report is None:  # still running: the window waits, nothing can be abandoned
        assert check.busy.isVisibleTo(wizard) and not cancel.isEnabled()
    qtbot.waitUntil(lambda: check.report is not None, timeout=20_000)
    assert len(check.report.good_rows) == 2_001 and cancel.isEnabled()
    wizard.reject()
    assert app.session.services.records.count(m.Treatment) == 0


def test_the_import_itself_runs_on_a_worker_for_a_large_sheet(app, monkeypatch, qtbot):
    # Importing 2,000 rows takes seconds; the mixed file stands in for one here.
    _dialog, wizard = open_wizard(app, monkeypatch, MIXED)
    wizard.runner.large_rows = 0
    wizard.next()
    qtbot.waitUntil(lambda: wizard.check_page.report is not None, timeout=10_000)
    wizard.next()
    assert wizard.runner.in_background
    qtbot.waitUntil(lambda: wizard.result is not None, timeout=20_000)
    assert wizard.result.treatments == 4
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    wizard.wait_for_jobs()
    wizard.accept()
    assert app.session.services.records.count(m.Treatment) == 4


def test_a_first_import_into_an_empty_folder_shows_every_row_then_asks_whose_care_it_is(
    app, monkeypatch
):
    visits = Path(__file__).parent.parent / "data" / "my_prp_visits.csv"
    dialog, wizard = open_wizard(app, monkeypatch, visits)
    assert mapped(wizard)["Procedure"] == "procedure_codes"  # the column holds CPT codes
    wizard.next()
    check = wizard.check_page
    assert check.summary.text() == (
        "Checked 4 rows of my_prp_visits.csv (UTF-8): 2 good, 2 with problems.")
    assert [line for line, _ in bad_rows(wizard)] == [4, 5]
    assert "this data folder has no one yet: enter the patient's name" in check.extra.text()
    assert not check.import_good.isEnabled() and check.import_nothing.isChecked()
    # She goes back, types her name once, and the two good rows are hers.
    wizard.back()
    wizard.mapping_page.default_person.setText("Ana Reyes")
    wizard.next()
    assert check.import_good.isEnabled() and check.only_good_rows
    assert "New people to create: Ana Reyes." in check.extra.text()
    wizard.next()
    assert wizard.result_page.title() == "Imported"
    records = app.session.services.records
    assert [p.name for p in records.list(m.Person)] == ["Ana Reyes"]
    assert records.count(m.Treatment) == 2
    wizard.accept()
