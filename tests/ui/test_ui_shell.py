"""The window's shell: start-up on an empty folder, the sidebar, the demo in its own folder,
import, and the start-up figures."""

import os
import subprocess
import sys

from regenlog.core import models as m
from regenlog.ui.shell import SIDEBAR


def test_first_start_on_an_empty_folder_shows_the_welcome_page(app):
    welcome = app.pages.pages["welcome"].view
    assert app.window.stack.currentWidget() is welcome
    buttons = [welcome.add_button.text(), welcome.demo_button.text(),
               welcome.import_button.text()]
    assert buttons == ["Add your first treatment", "Open the demo",
                       "Import from a spreadsheet or file"]
    assert "CSV" in welcome.import_button.description()
    assert app.window.windowTitle() == "RegenLog"


def test_the_sidebar_lists_every_page_and_each_opens(app):
    titles = [app.window.sidebar.item(i).text() for i in range(app.window.sidebar.count())]
    assert titles[:11] == [
        "Dashboard", "Treatments", "Receipts", "Insurer calls", "Letters and determinations",
        "Medical necessity letters", "Claims", "Financing", "Reports", "Documents",
        "People and plans",
    ]
    for row, info in enumerate(SIDEBAR):
        app.window.sidebar.setCurrentRow(row)
        assert app.pages.current_key == info.key
        assert app.window.stack.currentWidget() is app.pages.pages[info.key].view


def test_ctrl_numbers_go_to_pages(app, qtbot):
    app.window.page_actions["receipts"].trigger()
    assert app.pages.current_key == "receipts"
    assert app.window.sidebar.currentItem().text() == "Receipts"


def test_open_the_demo_loads_it_in_its_own_folder_and_says_so(app, qtbot, paths):
    app.pages.pages["welcome"].view.demo_button.click()
    assert app.paths.root == paths.root.parent / "RegenLog-demo"
    assert "DEMO" in app.window.windowTitle()
    assert app.window.banner.isVisibleTo(app.window)
    assert app.session.services.records.count(m.Treatment) == 11
    # The real folder stays empty, and the banner's button goes back to it.
    app.window.banner_button.click()
    assert app.paths.root == paths.root
    assert app.session.is_empty()
    assert app.window.windowTitle() == "RegenLog"


def test_import_takes_a_records_file_or_a_spreadsheet(app, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from regenlog.resources import resource

    app.import_records()
    dialog = app.import_dialog
    assert "CSV" in dialog.explain.text() and "later version" not in dialog.explain.text()
    sheet = tmp_path / "visits.csv"
    sheet.write_text("date,amount\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(sheet), ""))
    dialog.choose_button.click()
    wizard = dialog.csv_wizard
    assert wizard.file_page.sentence.text() == "visits.csv has a header row but no rows to import."
    wizard.reject()
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(resource("demo", "demo.json")), ""))
    dialog.choose_button.click()
    assert "Imported" in dialog.result.text()
    assert app.session.services.records.count(m.Treatment) == 11
    assert app.pages.current_key == "dashboard"


def test_quit_after_startup_prints_two_figures(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-m", "regenlog", "--data-dir", str(tmp_path / "d"),
         "--quit-after-startup"],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("window painted: ") and lines[0].endswith(" ms")
    assert lines[1].startswith("data ready: ") and lines[1].endswith(" ms")
    painted, ready = (float(line.split(": ")[1].split()[0]) for line in lines)
    assert 0 < painted <= ready


def test_window_geometry_and_last_page_are_restored(qtbot, demo_paths, ui_settings):
    from tests.ui.conftest import start_app

    first = start_app(qtbot, demo_paths, ui_settings)
    first.window.resize(760, 530)  # the offscreen screen is 800 x 600
    first.go("claims")
    first.window.close()
    second = start_app(qtbot, demo_paths, ui_settings)
    assert second.pages.current_key == "claims"
    assert (second.window.width(), second.window.height()) == (760, 530)
    second._quitting = True
    second.window.close()
