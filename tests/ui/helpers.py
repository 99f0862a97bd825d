"""Small helpers the stories share: dropping files, finding the open dialog, typing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

# A one-page PDF small enough to write inline.
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def make_pdf(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(TINY_PDF)
    return path


def drop_files(widget, files: list[Path]) -> None:
    """What the desktop does when files are dragged onto ``widget`` and let go."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    target = widget.viewport() if hasattr(widget, "viewport") else widget
    pos = QPointF(target.rect().center())
    enter = QDragEnterEvent(pos, Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted(), "the widget refused the drag"
    drop = QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, drop)


def type_into(qtbot, widget, text: str) -> None:
    widget.setFocus()
    if hasattr(widget, "clear"):
        widget.clear()
    qtbot.keyClicks(widget, text)


def choose(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(getattr(data, "value", data)))
