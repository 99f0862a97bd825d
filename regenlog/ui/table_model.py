"""One table model for every list: the sorted, filtered ids come from the core in one query,
rows are loaded by id in chunks as the view scrolls (canFetchMore/fetchMore)."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from ..core.search import ListQuery, RecordLists
from .columns import Column
from .formats import Formats

CHUNK = 200
ID_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1

ROOT = QModelIndex()  # the invisible root: Qt's default parent argument


class RecordTableModel(QAbstractTableModel):
    """Records of one type as rows; ``total`` is how many match, ``rowCount`` how many are
    loaded so far."""

    totalChanged = Signal(int)  # noqa: N815 (Qt's naming of signals)

    def __init__(
        self,
        lists: RecordLists,
        record_type: str,
        columns: list[Column],
        formats: Formats,
        *,
        sort: int = 0,
        descending: bool = True,
        parent=None,
    ):
        super().__init__(parent)
        self.lists = lists
        self.record_type = record_type
        self.columns = columns
        self.formats = formats
        self._text = ""
        self._scope: tuple = ()
        self._sort_column = sort
        self._descending = descending
        self._ids: list[int] = []
        self._rows: list = []
        self._next = 0  # how many ids have been loaded (rows deleted meanwhile are skipped)
        self._labels: dict[str, dict[int, str]] = {}
        self._loaded = False

    # -- what to show ----------------------------------------------------------------------
    def query(self) -> ListQuery:
        column = self.columns[self._sort_column]
        return ListQuery(
            self.record_type, self._text, column.sort_key or "id", self._descending, self._scope
        )

    def set_filter(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.refresh()

    def set_scope(self, **scope) -> None:
        self._scope = tuple(sorted(scope.items()))
        self.refresh()

    def refresh(self) -> None:
        """Run the query again, keeping as many rows loaded as before."""
        keep = max(self._next, CHUNK)
        self.beginResetModel()
        self._ids = self.lists.ids(self.query())
        self._rows = []
        self._next = 0
        self._labels = {}
        self._load(min(keep, len(self._ids)))
        self._loaded = True
        self.endResetModel()
        self.totalChanged.emit(len(self._ids))

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self.refresh()

    @property
    def loaded(self) -> bool:
        return self._loaded

    @property
    def total(self) -> int:
        return len(self._ids)

    def _load(self, upto: int) -> None:
        self._rows.extend(self._fetch(upto))

    def _fetch(self, upto: int) -> list:
        """The rows after those loaded, up to position ``upto`` of the ids, with their labels."""
        ids = self._ids[self._next:upto]
        self._next = max(self._next, upto)
        rows = self.lists.rows(self.record_type, ids)
        wanted: dict[str, set[int]] = {}
        for column in self.columns:
            if column.ref:
                wanted.setdefault(column.ref, set()).update(
                    getattr(r, column.field) for r in rows if getattr(r, column.field) is not None
                )
        for ref, ref_ids in wanted.items():
            known = self._labels.setdefault(ref, {})
            missing = ref_ids - known.keys()
            if missing:
                known.update(self.lists.labels(ref, missing))
        return rows

    # -- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent=ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def canFetchMore(self, parent=ROOT) -> bool:  # noqa: N802
        return not parent.isValid() and self._next < len(self._ids)

    def fetchMore(self, parent=ROOT) -> None:  # noqa: N802
        if parent.isValid():
            return
        end = min(self._next + CHUNK, len(self._ids))
        if end <= self._next:
            return
        rows = self._fetch(end)
        if not rows:  # all deleted since the ids were read
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            column = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return column.title
            if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in ("money", "int"):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if role == Qt.ItemDataRole.ToolTipRole and column.sort_key:
                return f"Sort by {column.title.lower()}"
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        record = self._rows[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.display(record, column)
        if role == Qt.ItemDataRole.ToolTipRole and column.kind == "text":
            text = self.display(record, column)
            return text if len(text) > 40 else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.kind in ("money", "int", "size"):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == ID_ROLE:
            return record.id
        if role == SORT_ROLE:
            return getattr(record, column.field, None)
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns) or not self.columns[column].sort_key:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (column, descending) == (self._sort_column, self._descending) and self._loaded:
            return
        self._sort_column, self._descending = column, descending
        if self._loaded:
            self.refresh()

    # -- helpers ---------------------------------------------------------------------------
    def display(self, record, column: Column) -> str:
        value = getattr(record, column.field, None)
        if column.ref:
            return self._labels.get(column.ref, {}).get(value, "") if value is not None else ""
        if value is None or value == "":
            return ""
        kind = column.kind
        if kind == "money":
            return self.formats.money(value)
        if kind == "datetime" or isinstance(value, dt.datetime):
            return self.formats.datetime(value)
        if kind == "date":
            return self.formats.date(value)
        if kind == "bool":
            return "Yes" if value else "No"
        if kind == "size":
            return self.formats.size(value)
        if kind == "percent":
            return f"{value / 100:.2f}%"
        if isinstance(value, Enum):
            return getattr(value, "label", str(value.value))
        return str(value).replace("\n", " ")

    def record_at(self, row: int):
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def id_at(self, row: int) -> int | None:
        record = self.record_at(row)
        return record.id if record is not None else None

    def row_of(self, record_id: int) -> int:
        """The row of a record, loading chunks until it is there; -1 if it does not match."""
        try:
            position = self._ids.index(record_id)
        except ValueError:
            return -1
        while self._next <= position and self.canFetchMore():
            self.fetchMore()
        for row, record in enumerate(self._rows):
            if record.id == record_id:
                return row
        return -1

    def sort_state(self) -> tuple[int, Qt.SortOrder]:
        order = Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder
        return self._sort_column, order
