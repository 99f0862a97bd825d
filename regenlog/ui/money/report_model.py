"""The yearly money report as a table: one row per year and person, then the total."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from ...core.reports import ReportRow, totals

ROOT = QModelIndex()

# (header, ReportRow attribute or property, tooltip)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("Year", "year", ""),
    ("Person", "person_name", ""),
    ("Treatments", "treatments", "Treatments received that year"),
    ("Paid", "paid_cents", "What was paid for the treatments"),
    ("Paid back\nby insurer", "reimbursed_insurer_cents",
     "Paid back to you by the insurer. What it paid a provider directly is not money paid back "
     "to you: the CSV export lists it, and each treatment's money shows it."),
    ("Paid back\nby HSA", "reimbursed_hsa_cents", "Taken from the HSA as a reimbursement"),
    ("Paid back\nby FSA", "reimbursed_fsa_cents", "Paid back to you by the FSA"),
    ("Awaiting\nan answer", "awaiting_cents", "Asked for on claims still open"),
    ("Outstanding", "outstanding_cents", "Paid and not reimbursed by anyone"),
    ("Still\nclaimable", "still_claimable_cents",
     "Paid, not paid back and not yet asked for, that the insurer (unless it has decided), "
     "the HSA or the FSA could still be asked for"),
    ("HSA could\nstill repay", "hsa_eligible_unreimbursed_cents",
     "What could still be taken from the HSA for these treatments"),
)
MONEY_FROM = 3  # the columns from here on are amounts


class ReportTableModel(QAbstractTableModel):
    def __init__(self, formats, parent=None):
        super().__init__(parent)
        self.formats = formats
        self.rows: list[ReportRow] = []
        self.total: ReportRow | None = None

    def set_rows(self, rows: list[ReportRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.total = totals(self.rows) if self.rows else None
        self.endResetModel()

    def row_at(self, row: int) -> ReportRow | None:
        if 0 <= row < len(self.rows):
            return self.rows[row]
        return self.total if row == len(self.rows) else None

    def text(self, row: int, column: int) -> str:
        record = self.row_at(row)
        _title, name, _tip = COLUMNS[column]
        value = getattr(record, name)
        if name == "year":
            return "All years" if value is None else str(value)
        if column >= MONEY_FROM:
            return self.formats.money(value)
        return f"{value:,}" if isinstance(value, int) else str(value)

    # -- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent=ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows) + (1 if self.total else 0)

    def columnCount(self, parent=ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        title, _name, tip = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return title
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip or None
        if role == Qt.ItemDataRole.TextAlignmentRole and section >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.row_at(index.row()) is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if index.column() >= 2:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and index.row() == len(self.rows):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
