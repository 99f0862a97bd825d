"""Fixtures for the window's stories: a controller on a fresh data folder (or a demo copy),
its preferences in the test's own folder, a fixed "today" matching the demo data."""

from __future__ import annotations

import datetime as dt

import pytest

from regenlog.core.services import Services
from regenlog.store.database import open_database
from regenlog.store.paths import DataPaths

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def ui_settings(tmp_path):
    from regenlog.ui.settings import UiSettings

    return UiSettings.at(tmp_path / "ui-settings.ini")


def start_app(qtbot, paths, ui_settings):
    from regenlog.ui.controller import AppController

    controller = AppController(paths, ui_settings, today=lambda: TODAY)
    qtbot.addWidget(controller.window)
    with qtbot.waitSignal(controller.dataReady, timeout=20000):
        controller.start()
    return controller


@pytest.fixture
def app(qtbot, paths, ui_settings):
    """The window on an empty data folder, data loaded."""
    controller = start_app(qtbot, paths, ui_settings)
    yield controller
    controller._quitting = True
    controller.pages.documents.wait_for_jobs()
    controller.window.close()


@pytest.fixture
def demo_paths(tmp_path) -> DataPaths:
    from regenlog.core.demo import load_demo

    paths = DataPaths(tmp_path / "RegenLog-demo")
    db = open_database(paths)
    try:
        load_demo(Services(db))
    finally:
        db.close()
    return paths


@pytest.fixture
def demo_app(qtbot, demo_paths, ui_settings):
    controller = start_app(qtbot, demo_paths, ui_settings)
    yield controller
    controller._quitting = True
    controller.pages.documents.wait_for_jobs()
    controller.window.close()


@pytest.fixture
def answer_yes(monkeypatch):
    """Every confirmation question is answered Yes (and remembered)."""
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []

    def question(_parent, _title, text, *_args, **_kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: (
        asked.append(text), QMessageBox.StandardButton.Yes)[1])
    return asked
