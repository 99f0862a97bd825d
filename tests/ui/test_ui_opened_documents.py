"""A document opened in the system viewer is a copy of medical paperwork in the temporary
folder: it goes when RegenLog quits, and when the viewer still held it then (Windows will not
delete an open file), the next RegenLog removes it. A copy another open window is showing
stays."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from PySide6.QtGui import QDesktopServices

from regenlog.ui.documents import opened_copies

OPEN_AND_QUIT = textwrap.dedent("""
    import os, sys
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QApplication, QWidget
    from regenlog.core.services import Services
    from regenlog.store.database import open_database
    from regenlog.store.paths import DataPaths
    from regenlog.ui.bus import ChangeBus
    from regenlog.ui.documents.actions import DocumentActions

    app = QApplication([])
    QDesktopServices.openUrl = lambda url: print(url.toLocalFile(), flush=True) or True
    db = open_database(DataPaths(sys.argv[1]))
    services = Services(db)
    doc = services.documents.attach_bytes(b"%PDF-1.4 knee MRI report", "mri-report.pdf")
    window = QWidget()
    actions = DocumentActions(services, ChangeBus(), window)
    assert actions.open_externally(doc.id)
    db.close()

    # The viewer still has the file open as RegenLog quits: Windows refuses to delete it.
    real_unlink = os.unlink
    def unlink(path, *args, **kwargs):
        if os.path.basename(path) == "mri-report.pdf":
            raise PermissionError(13, "The process cannot access the file", path)
        return real_unlink(path, *args, **kwargs)
    os.unlink = unlink
""")


@pytest.fixture
def temp_folder(tmp_path, monkeypatch) -> Path:
    """The system's temporary folder, for this test alone."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setattr(opened_copies, "FRESH_S", 0)  # leftovers of any age are swept
    return folder


def leftovers(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_a_copy_the_viewer_held_at_quit_is_removed_by_the_next_start(
        qtbot, paths, temp_folder, ui_settings):
    quit_with_copy_open = subprocess.run(
        [sys.executable, "-c", OPEN_AND_QUIT, str(paths.root)],
        capture_output=True, text=True, timeout=120, env=dict(os.environ),
    )
    assert quit_with_copy_open.returncode == 0, quit_with_copy_open.stderr
    # RegenLog quit quietly, leaving only the file the viewer held.
    assert quit_with_copy_open.stderr == ""
    held = Path(quit_with_copy_open.stdout.strip())
    assert held.read_bytes() == b"%PDF-1.4 knee MRI report"
    assert [p.rsplit("/", 1)[-1] for p in leftovers(temp_folder)] == ["mri-report.pdf"]

    from .conftest import start_app

    app = start_app(qtbot, paths, ui_settings)  # the next start, the viewer closed by now
    try:
        qtbot.waitUntil(lambda: list(temp_folder.iterdir()) == [], timeout=10_000)
    finally:
        app._quitting = True
        app.pages.documents.wait_for_jobs()
        app.window.close()


def test_a_copy_another_open_window_shows_is_left_alone(
        demo_app, qtbot, temp_folder, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        lambda url: shown.append(url.toLocalFile()) or True)
    from regenlog.core import models as m

    first = demo_app.session.services.records.list(m.Document, limit=1)[0]
    assert demo_app.pages.documents.open_externally(first.id)
    copy = Path(shown[0])
    assert copy.is_file() and copy.is_relative_to(temp_folder)

    assert opened_copies.sweep_leftovers() == 0  # another RegenLog starting meanwhile
    assert copy.is_file()
