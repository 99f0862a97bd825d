"""The Documents page: every document, a preview beside the list, and Attach, Open with the
system viewer, Rename and Link to another record."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core import models as m
from ...core.errors import RegenLogError
from ...core.record_kinds import RECORD_KINDS
from ..pages.registry import make_list
from .panel import choose_files
from .preview import PreviewPane

LINKABLE = [t for t in RECORD_KINDS if t != "document"]


class LinkDialog(QDialog):
    """Choose a record to link a document to: its type, then the record."""

    def __init__(self, lists, parent=None):
        super().__init__(parent)
        self.lists = lists
        self.setWindowTitle("Link to a record")
        self.type_box = QComboBox()
        self.type_box.setAccessibleName("Kind of record")
        for record_type in LINKABLE:
            self.type_box.addItem(RECORD_KINDS[record_type].label, record_type)
        self.record_box = QComboBox()
        self.record_box.setAccessibleName("Record")
        self.type_box.currentIndexChanged.connect(self._fill)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Kind", self.type_box)
        form.addRow("&Record", self.record_box)
        form.addRow(buttons)
        self.type_box.setCurrentIndex(max(self.type_box.findData("treatment"), 0))
        self._fill()

    def _fill(self) -> None:
        self.record_box.clear()
        for record_id, label in self.lists.choices(self.type_box.currentData()):
            self.record_box.addItem(label, record_id)

    def chosen(self) -> tuple[str, int] | None:
        record_id = self.record_box.currentData()
        return (self.type_box.currentData(), record_id) if record_id is not None else None


class DocumentsPageController(QObject):
    def __init__(self, session, formats, editors, actions):
        super().__init__()
        self.session, self.editors, self.actions = session, editors, actions
        self.list_page = make_list(
            session, formats, editors, "document", "Documents", "document", 0, True,
            empty_text="No documents yet. Drop scans, PDFs or photos here, or use Attach.",
        )
        lp = self.list_page.view
        lp.new_button.setText("Attach…")
        lp.new_button.setAccessibleName("Attach documents")
        self.open_button = QPushButton("Open with system viewer")
        self.rename_button = QPushButton("Edit / rename…")
        self.link_button = QPushButton("Link to a record…")
        from PySide6.QtWidgets import QHBoxLayout

        row = QHBoxLayout()
        for b in (self.open_button, self.rename_button, self.link_button):
            row.addWidget(b)
        row.addStretch(1)
        lp.layout().insertLayout(2, row)
        lp.open_button.hide()
        self.preview = PreviewPane()
        self.links_label = QLabel()
        self.links_label.setObjectName("documentLinks")
        self.links_label.setWordWrap(True)
        self.links_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # The list's columns share what the preview leaves: the title takes the rest, so the
        # file name and size are never pushed behind a sideways scrollbar.
        header = lp.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        holder = QSplitter(Qt.Orientation.Horizontal)
        holder.addWidget(lp)
        # A layout, not a splitter, under the preview: it gives the wrapped "Linked to:" line
        # all the lines it needs.
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.preview, 1)
        right_layout.addWidget(self.links_label)
        holder.addWidget(right)
        holder.setStretchFactor(0, 3)
        holder.setStretchFactor(1, 2)
        holder.setSizes([620, 280])
        self.view = holder
        self.view.setAccessibleName("Documents")
        lp.new_button.clicked.disconnect()
        lp.new_button.clicked.connect(self.attach)
        self.open_button.clicked.connect(self.open_selected)
        self.rename_button.clicked.connect(self.rename_selected)
        self.link_button.clicked.connect(self.link_selected)
        self._update_buttons()
        lp.table.selectionModel().selectionChanged.connect(lambda *_a: self._on_selection())

    # -- page protocol ---------------------------------------------------------------------
    def load(self) -> None:
        self.list_page.load()

    def new(self) -> None:
        self.attach()

    def delete_selected(self) -> None:
        self.list_page.delete_selected()

    def focus_filter(self) -> None:
        self.list_page.focus_filter()

    def drop_files(self, files) -> None:
        self.actions.attach(files, [])

    # -- actions ---------------------------------------------------------------------------
    def attach(self) -> None:
        files = choose_files(self.view)
        if files:
            self.actions.attach(files, [])

    def selected(self) -> m.Document | None:
        record_id = self.list_page.selected_id()
        if record_id is None:
            return None
        return self.session.services.records.get(m.Document, record_id)

    def show_preview(self) -> None:
        doc = self.selected()
        if doc is None:
            self.preview.clear()
            self.links_label.setText("")
            return
        try:
            # Checked against its hash first: the preview must show what was attached.
            path = self.session.services.db.attachments.verified_path(doc.sha256)
        except RegenLogError as error:  # damaged or changed: say so instead of a preview
            self.preview.clear()
            self.links_label.setText(str(error))
            return
        self.preview.show_file(str(path), doc.content_type, doc.original_name)
        links = self.session.services.documents.links_of(doc.id)
        labels = []
        for record_type, record_id in links:
            found = self.session.lists.labels(record_type, [record_id]).get(record_id)
            if found:
                labels.append(f"{RECORD_KINDS[record_type].label}: {found}")
        self.links_label.setText(
            "Linked to: " + "; ".join(labels) if labels else "Not linked to any record yet."
        )

    def open_selected(self) -> None:
        doc = self.selected()
        if doc is not None:
            self.actions.open_externally(doc.id)

    def rename_selected(self) -> None:
        doc = self.selected()
        if doc is not None:
            self.editors.open_record("document", doc.id)

    def link_selected(self) -> None:
        doc = self.selected()
        if doc is None:
            return
        dialog = LinkDialog(self.session.lists, self.view)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen() is None:
            return
        record_type, record_id = dialog.chosen()
        try:
            self.session.services.documents.link(doc.id, record_type, record_id)
        except RegenLogError as error:
            QMessageBox.warning(self.view, "Not linked", str(error))
            return
        self.session.bus.notify("document")
        self.show_preview()

    def _on_selection(self) -> None:
        self._update_buttons()
        self.show_preview()

    def _update_buttons(self) -> None:
        has = self.list_page.selected_id() is not None
        for b in (self.open_button, self.rename_button, self.link_button):
            b.setEnabled(has)
