"""The wizard's dry-run step: every row checked, nothing stored. Each bad row is listed with
its line number and every reason; the people and providers an import would create are
named; and the patient chooses between importing the good rows now and importing nothing
until every row is good."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHeaderView,
    QLabel,
    QProgressBar,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from ...core.spreadsheet import DryRunReport, dry_run
from ..widgets import sentence_label


def rows_phrase(n: int) -> str:
    return f"{n:,} row{'s' if n != 1 else ''}"


class CheckPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Check every row")
        self.setSubTitle("Nothing has been imported yet.")
        # Past this page the import is done: there is no going back to change the mapping.
        self.setCommitPage(True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName("Checking the rows")
        self.busy.hide()
        self.summary = QLabel()
        self.summary.setObjectName("checkSummary")
        self.summary.setWordWrap(True)
        self.bad_table = QTableWidget(0, 2)
        self.bad_table.setObjectName("badRows")
        self.bad_table.setAccessibleName("Rows with problems")
        self.bad_table.setHorizontalHeaderLabels(["Line", "Problem"])
        self.bad_table.verticalHeader().hide()
        self.bad_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.bad_table.setWordWrap(True)
        header = self.bad_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.extra = QLabel()
        self.extra.setObjectName("checkExtra")
        self.extra.setWordWrap(True)
        self.import_good = QRadioButton()
        self.import_good.setObjectName("importGoodRows")
        self.import_nothing = QRadioButton("Import nothing until every row is good")
        self.import_nothing.setObjectName("importNothing")
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.import_good)
        self.choice.addButton(self.import_nothing)
        self.sentence = sentence_label("checkSentence")
        layout = QVBoxLayout(self)
        layout.addWidget(self.busy)
        layout.addWidget(self.summary)
        layout.addWidget(self.bad_table, 1)
        layout.addWidget(self.extra)
        layout.addWidget(self.import_good)
        layout.addWidget(self.import_nothing)
        layout.addWidget(self.sentence)
        self.report: DryRunReport | None = None
        self.import_good.toggled.connect(self._on_choice)

    # -- running the check -----------------------------------------------------------------
    def initializePage(self) -> None:  # noqa: N802
        wizard = self.wizard()
        self.report = None
        self._show_busy(True)
        db, path, mapping = wizard.session.services.db, wizard.path, wizard.mapping
        wizard.runner.run(lambda: dry_run(db, path, mapping), len(wizard.table.rows),
                          self._show_report, self._fail)

    def _show_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        for widget in (self.bad_table, self.import_good, self.import_nothing, self.extra):
            widget.setVisible(not busy)
        if busy:
            self.summary.setText("Checking every row…")
            self.sentence.hide()
        self.completeChanged.emit()

    def _fail(self, text: str) -> None:
        self._show_busy(False)
        for widget in (self.bad_table, self.import_good, self.import_nothing, self.extra):
            widget.hide()
        self.summary.setText("The file could not be checked; nothing was imported.")
        self.sentence.setText(text)
        self.sentence.show()
        self.completeChanged.emit()

    def _show_report(self, report: DryRunReport) -> None:
        self.report = report
        self.wizard().report = report
        self._show_busy(False)
        good, bad = len(report.good_rows), len(report.bad_rows)
        self.summary.setText(
            f"Checked {rows_phrase(report.total_rows)} of {report.file} ({report.encoding}): "
            f"{good:,} good, {bad:,} with problems."
            + ("" if bad else " Every row can be imported.")
        )
        self.bad_table.setRowCount(bad)
        for row, item in enumerate(report.bad_rows):
            line = QTableWidgetItem(f"line {item.line}")
            line.setData(Qt.ItemDataRole.UserRole, item.line)
            self.bad_table.setItem(row, 0, line)
            self.bad_table.setItem(row, 1, QTableWidgetItem(item.reason))
        self.bad_table.resizeRowsToContents()
        self.bad_table.setVisible(bool(bad))
        extra = list(report.problems)  # e.g. no way to tell whose care it is: how to say it
        if report.new_people:
            extra.append(f"New people to create: {', '.join(report.new_people)}.")
        if report.new_providers:
            extra.append(f"New providers to create: {', '.join(report.new_providers)}.")
        if report.ignored_columns:
            extra.append(f"Columns not imported: {', '.join(report.ignored_columns)}.")
        self.extra.setText("\n".join(extra))
        self.extra.setVisible(bool(extra))
        self.import_good.setText(f"Import the {rows_phrase(good)} that are good now, and "
                                 "skip the others" if bad else f"Import all {rows_phrase(good)}")
        self.import_good.setEnabled(good > 0 and not report.problems)
        self.import_nothing.setVisible(bad > 0 or bool(report.problems))
        choice = self.import_good if self.import_good.isEnabled() else self.import_nothing
        choice.setChecked(True)
        self._on_choice()

    # -- the choice ------------------------------------------------------------------------
    @property
    def only_good_rows(self) -> bool:
        return self.import_good.isChecked()

    def choose_good_rows(self) -> None:
        self.import_good.setChecked(True)

    def choose_nothing(self) -> None:
        self.import_nothing.setChecked(True)

    def _on_choice(self, *_args) -> None:
        report = self.report
        if report is None:
            return
        if self.only_good_rows:
            text = f"Import {rows_phrase(len(report.good_rows))}"
        else:
            text = "Import nothing now"
        self.setButtonText(QWizard.WizardButton.CommitButton, text)
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return self.report is not None

    def validatePage(self) -> bool:  # noqa: N802
        self.wizard().only_good_rows = self.only_good_rows
        return self.report is not None
