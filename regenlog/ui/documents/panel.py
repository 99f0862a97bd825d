"""The documents of one record: a list you can drop files onto, Attach…, Open, Unlink."""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from ...core.record_kinds import RECORD_KINDS
from ..shell import dropped_files


class DropList(QListWidget):
    """A list that accepts files dropped from the desktop."""

    filesDropped = Signal(list)  # noqa: N815

    def __init__(self):
        super().__init__()
        self.setAcceptDrops(True)
        self.setDragDropMode(QListWidget.DragDropMode.DropOnly)
        # Long titles end in "…" (their tooltip says them whole) rather than scrolling sideways.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setUniformItemSizes(True)

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802
        files = dropped_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.filesDropped.emit(files)


def choose_files(parent) -> list[Path]:
    names, _ = QFileDialog.getOpenFileNames(
        parent, "Attach documents", str(Path.home()),
        "Documents (*.pdf *.png *.jpg *.jpeg *.heic *.tif *.tiff *.txt);;All files (*)",
    )
    return [Path(n) for n in names]


class DocumentsPanel(QObject):
    """Shows and changes the documents linked to (record_type, record_id)."""

    changed = Signal()

    def __init__(self, actions, record_type: str, title: str = "Documents"):
        super().__init__()
        self.actions, self.record_type = actions, record_type
        self.record_id: int | None = None
        self.queued: list[Path] = []
        self.widget = QGroupBox(title)
        self.list = DropList()
        self.list.setAccessibleName(f"{title}: drop files here")
        self.list.setMinimumHeight(90)
        self.hint = QLabel("Drop files here, or use Attach.")
        self.hint.setStyleSheet("color: palette(placeholder-text);")
        self.attach_button = QPushButton("Attach…")
        self.attach_button.setAccessibleName(f"Attach a document to this {record_type.replace('_', ' ')}")
        self.open_button = QPushButton("Open")
        self.unlink_button = QPushButton("Unlink")
        buttons = QHBoxLayout()
        for b in (self.attach_button, self.open_button, self.unlink_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self.widget)
        layout.addWidget(self.list)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        self.list.filesDropped.connect(self.add_files)
        self.attach_button.clicked.connect(lambda: self.add_files(choose_files(self.widget)))
        self.open_button.clicked.connect(self._open)
        self.list.itemActivated.connect(lambda _item: self._open())
        self.unlink_button.clicked.connect(self._unlink)
        actions.bus.changed.connect(self._on_changed)
        self._listening = True
        # The bus outlives dialogs: stop listening when this panel's widgets are gone.
        self.widget.destroyed.connect(self.detach)

    def detach(self, *_args) -> None:
        if self._listening:
            self._listening = False
            with contextlib.suppress(RuntimeError, TypeError):
                self.actions.bus.changed.disconnect(self._on_changed)

    def set_record(self, record_id: int | None) -> None:
        self.record_id = record_id
        self.reload()

    def add_files(self, files: list[Path]) -> None:
        if not files:
            return
        if self.record_id is None:
            self.queued.extend(files)  # attached once the record is saved
            self.reload()
            self.changed.emit()
            return
        self.actions.attach(files, [(self.record_type, self.record_id)])

    def flush(self, record_id: int) -> None:
        """Attach the files dropped before the record existed."""
        self.record_id = record_id
        if self.queued:
            files, self.queued = self.queued, []
            self.actions.attach(files, [(self.record_type, record_id)])

    def reload(self) -> None:
        self.list.clear()
        if self.record_id is not None:
            model = RECORD_KINDS[self.record_type].model
            for doc in self.actions.services.documents.for_record(model, self.record_id):
                item = QListWidgetItem(f"{doc.title}  ({doc.original_name})")
                item.setToolTip(item.text())
                item.setData(Qt.ItemDataRole.UserRole, doc.id)
                self.list.addItem(item)
        for path in self.queued:
            item = QListWidgetItem(f"{path.name}  (attached when saved)")
            self.list.addItem(item)
        has = self.list.count() > 0
        self.hint.setVisible(not has)
        self.open_button.setEnabled(has)
        self.unlink_button.setEnabled(has)

    def _selected_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _open(self) -> None:
        doc_id = self._selected_id()
        if doc_id is not None:
            self.actions.open_externally(doc_id)

    def _unlink(self) -> None:
        doc_id = self._selected_id()
        if doc_id is not None and self.record_id is not None:
            self.actions.services.documents.unlink(doc_id, self.record_type, self.record_id)
            self.actions.bus.notify("document")

    def _on_changed(self, kind: str) -> None:
        if kind in ("*", "document"):
            self.reload()


class DocumentsSection(DocumentsPanel):
    """The panel as a RecordDialog section."""

    def __init__(self, actions, record_type: str, queued: list[Path]):
        super().__init__(actions, record_type)
        self.queued = list(queued)

    def load(self, record) -> None:
        self.set_record(record.id if record is not None else None)

    def save(self, record) -> None:
        self.flush(record.id)

    def is_dirty(self) -> bool:
        return bool(self.queued)

    def problem(self) -> str | None:
        return None
