"""The trash: deleted records, newest first, to restore or remove for good."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import RegenLogError
from ...core.record_kinds import RECORD_KINDS, describe
from ..widgets import ask, configure_table, heading, on_enter
from .list_page import plural

ROOT = QModelIndex()  # the invisible root: Qt's default parent argument


class TrashModel(QAbstractTableModel):
    HEADERS = ("Deleted", "Kind", "Record", "Details")

    def __init__(self, formats, parent=None):
        super().__init__(parent)
        self.formats = formats
        self.items: list = []

    def set_items(self, items: list) -> None:
        self.beginResetModel()
        self.items = items
        self.endResetModel()

    def rowCount(self, parent=ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent=ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.items):
            return None
        record = self.items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            title, subtitle = describe(record)
            return (
                self.formats.datetime(record.deleted_at),
                RECORD_KINDS[record.__tablename__].label,
                title,
                subtitle,
            )[index.column()]
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class TrashView(QWidget):
    def __init__(self):
        super().__init__()
        self.count_label = QLabel()
        self.table = QTableView()
        self.table.setAccessibleName("Records in the trash")
        self.restore_button = QPushButton("Restore")
        self.restore_button.setAccessibleName("Restore the selected record")
        self.purge_button = QPushButton("Delete for good…")
        self.purge_button.setAccessibleName("Delete the selected record for good")
        self.message = QLabel()
        self.message.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(heading("Trash"))
        top.addStretch(1)
        top.addWidget(self.count_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.purge_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addWidget(QLabel("Deleted records wait here until you restore them or delete "
                                "them for good."))
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)


class TrashPageController(QObject):
    def __init__(self, records, bus, formats):
        super().__init__()
        self.records, self.bus = records, bus
        self.view = TrashView()
        self.model = TrashModel(formats, self.view)
        self.view.table.setModel(self.model)
        configure_table(self.view.table, [150, 170, 260])
        self.view.restore_button.clicked.connect(self.restore_selected)
        self.view.purge_button.clicked.connect(self.purge_selected)
        on_enter(self.view.table, self.restore_selected)
        bus.changed.connect(lambda _kind: self.load())

    def load(self) -> None:
        self.model.set_items(self.records.trash())
        n = self.model.rowCount()
        self.view.count_label.setText(plural(n, "record"))
        enabled = n > 0
        self.view.restore_button.setEnabled(enabled)
        self.view.purge_button.setEnabled(enabled)
        if enabled and not self.view.table.currentIndex().isValid():
            # The buttons act on the current row: there always is one while they are enabled.
            self.view.table.setCurrentIndex(self.model.index(0, 0))

    def selected(self):
        index = self.view.table.currentIndex()
        return self.model.items[index.row()] if index.isValid() else None

    def restore_selected(self) -> None:
        record = self.selected()
        if record is None:
            return
        try:
            self.records.restore(type(record), record.id)
        except RegenLogError as error:
            self.view.message.setText(str(error))
            return
        title, _ = describe(record)
        self.view.message.setText(f"Restored “{title}”.")
        self.bus.notify(record.__tablename__)

    def purge_selected(self) -> None:
        record = self.selected()
        if record is None:
            return
        title, _ = describe(record)
        if not ask(
            self.view, "Delete for good?",
            f"Delete “{title}” for good? This cannot be undone.",
            warning=True,
        ):
            return
        try:
            self.records.purge(type(record), record.id)
        except RegenLogError as error:
            self.view.message.setText(str(error))
            return
        self.view.message.setText(f"Deleted “{title}” for good.")
        self.bus.notify(record.__tablename__)

    def delete_selected(self) -> None:
        self.purge_selected()
