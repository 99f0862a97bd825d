"""Step 1: whose bundle, and which treatments: ticked one by one, or every treatment in a
date range. A bundle is about one patient (one cover letter to one payer about one member),
so the person is chosen first and the list holds only their treatments."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from ...bundle import BundleSelection
from ..widgets import sentence_label
from .choices import TreatmentChoice, people, treatments_of

QT_DATE_FORMATS = {"us": "MM/dd/yyyy", "iso": "yyyy-MM-dd", "long": "MMM d, yyyy"}
ID_ROLE = Qt.ItemDataRole.UserRole


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class TreatmentsPage(QWizardPage):
    def __init__(self, session, formats, preselected: tuple[int, ...] = ()):
        super().__init__()
        self.session, self.formats = session, formats
        self.preselected = set(preselected)
        self.rows: list[TreatmentChoice] = []
        self.setTitle("Choose the treatments")
        self.setSubTitle("A bundle is for one patient. Tick the visits it should claim for, "
                         "or take every visit in a range of dates.")

        self.person = QComboBox()
        self.person.setObjectName("bundlePerson")
        self.person.setAccessibleName("Patient")
        for person_id, name in people(session):
            self.person.addItem(name, person_id)

        self.by_list = QRadioButton("These treatments:")
        self.by_list.setObjectName("byList")
        self.by_range = QRadioButton("Every treatment from")
        self.by_range.setObjectName("byRange")
        self.mode = QButtonGroup(self)
        self.mode.addButton(self.by_list)
        self.mode.addButton(self.by_range)
        self.by_list.setChecked(True)

        self.list = QTreeWidget()
        self.list.setObjectName("bundleTreatments")
        self.list.setAccessibleName("Treatments of the patient")
        self.list.setColumnCount(4)
        self.list.setHeaderLabels(["Date", "Treatment", "Site", "Paid"])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.headerItem().setTextAlignment(
            3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 130), (2, 230), (3, 110)):
            self.list.setColumnWidth(column, width)

        today = session.today()
        self.date_from = QDateEdit(_qdate(dt.date(today.year, 1, 1)))
        self.date_to = QDateEdit(_qdate(today))
        for edit, name in ((self.date_from, "First day"), (self.date_to, "Last day")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(QT_DATE_FORMATS.get(formats.date_style, "MM/dd/yyyy"))
            edit.setAccessibleName(name)
            edit.dateChanged.connect(self._changed)
        self.count = QLabel()
        self.count.setObjectName("bundleCount")
        self.sentence = sentence_label("treatmentsSentence")

        form = QFormLayout()
        form.addRow("Patient", self.person)
        range_row = QHBoxLayout()
        range_row.addWidget(self.by_range)
        range_row.addWidget(self.date_from)
        range_row.addWidget(QLabel("to"))
        range_row.addWidget(self.date_to)
        range_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.by_list)
        layout.addWidget(self.list, 1)
        layout.addLayout(range_row)
        layout.addWidget(self.count)
        layout.addWidget(self.sentence)

        self.person.currentIndexChanged.connect(self._load_person)
        self.by_list.toggled.connect(self._changed)
        self.list.itemChanged.connect(self._changed)
        self._load_person()

    # -- filling ---------------------------------------------------------------------------
    def choose_person(self, person_id: int | None) -> None:
        index = self.person.findData(person_id)
        if index >= 0:
            self.person.setCurrentIndex(index)

    @property
    def person_id(self) -> int | None:
        return self.person.currentData()

    def _load_person(self, *_args) -> None:
        self.rows = treatments_of(self.session, self.person_id) if self.person_id else []
        blocked = self.list.blockSignals(True)
        self.list.clear()
        f = self.formats
        for row in self.rows:
            item = QTreeWidgetItem([f.date(row.date_of_service), row.category, row.site,
                                    f.money(row.paid_cents)])
            item.setData(0, ID_ROLE, row.id)
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if row.description:
                item.setToolTip(1, row.description)
            checked = row.id in self.preselected
            item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.list.addTopLevelItem(item)
        self.list.blockSignals(blocked)
        self._changed()
        first = next((self.list.topLevelItem(n) for n in range(self.list.topLevelItemCount())
                      if self.list.topLevelItem(n).checkState(0) == Qt.CheckState.Checked), None)
        if first is not None:
            self.list.scrollToItem(first)

    # -- the choice ------------------------------------------------------------------------
    def set_checked(self, treatment_id: int, checked: bool = True) -> None:
        for n in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(n)
            if item.data(0, ID_ROLE) == treatment_id:
                item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def checked_ids(self) -> list[int]:
        return [item.data(0, ID_ROLE) for item in self._items()
                if item.checkState(0) == Qt.CheckState.Checked]

    def chosen(self) -> list[TreatmentChoice]:
        """The treatments the bundle will cover, as the list shows them."""
        if self.by_list.isChecked():
            ids = set(self.checked_ids())
            return [r for r in self.rows if r.id in ids]
        start, end = _date(self.date_from.date()), _date(self.date_to.date())
        return [r for r in self.rows if start <= r.date_of_service <= end]

    def selection(self) -> BundleSelection:
        if self.by_list.isChecked():
            # Oldest first, as the bundle numbers them.
            ids = [r.id for r in sorted(self.chosen(), key=lambda r: (r.date_of_service, r.id))]
            return BundleSelection(treatment_ids=tuple(ids))
        return BundleSelection(date_from=_date(self.date_from.date()),
                               date_to=_date(self.date_to.date()), person_id=self.person_id)

    def _items(self) -> list[QTreeWidgetItem]:
        return [self.list.topLevelItem(n) for n in range(self.list.topLevelItemCount())]

    def _changed(self, *_args) -> None:
        by_range = self.by_range.isChecked()
        for edit in (self.date_from, self.date_to):
            edit.setEnabled(by_range)
        self.list.setEnabled(not by_range)
        chosen = self.chosen()
        paid = sum(r.paid_cents for r in chosen)
        n = len(chosen)
        self.count.setText(f"{n} treatment{'s' if n != 1 else ''} chosen, "
                           f"{self.formats.money(paid)} paid.")
        self.sentence.setText(self._problem())
        self.sentence.setVisible(bool(self.sentence.text()))
        self.completeChanged.emit()

    def _problem(self) -> str:
        if self.person.count() == 0:
            return "Add a person and their treatments first; a bundle is about one patient."
        if not self.rows:
            return f"{self.person.currentText()} has no treatments yet."
        if self.by_range.isChecked():
            if self.date_to.date() < self.date_from.date():
                return "The last day of the range is before the first."
            if not self.chosen():
                return "No treatment falls in that date range."
            return ""
        return "" if self.checked_ids() else "Tick at least one treatment."

    def isComplete(self) -> bool:  # noqa: N802
        return not self._problem()
