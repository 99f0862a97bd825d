"""The Reports page: the household's money per year and person (paid, reimbursed by source,
awaiting, outstanding, what the HSA could still reimburse), filtered by year and person, a
bar chart by month, and "Export CSV…" for a tax adviser or a spreadsheet."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.reports import monthly_series, report_rows, write_report_csv
from ..widgets import configure_table, heading, scroll_page, sentence_label
from .report_model import COLUMNS, ReportTableModel

CHART_MONTHS = 18  # all years at once: the most recent months, as many as the labels fit


class ReportsPageView(QWidget):
    """Layout only."""

    def __init__(self):
        super().__init__()
        self.year_box = QComboBox()
        self.year_box.setAccessibleName("Year")
        self.year_box.setMinimumWidth(120)
        self.person_box = QComboBox()
        self.person_box.setAccessibleName("Person")
        self.person_box.setMinimumWidth(180)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setAccessibleName("Export the report as a CSV file")
        self.table = QTableView()
        self.table.setAccessibleName("Money by year and person")
        self.status = QLabel()
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)
        self.error = sentence_label("reportError")
        self.empty = QLabel("No treatments yet: the report fills in as you record them.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self.chart_title = heading("By month", 2)
        self.chart_holder = QVBoxLayout()
        self.chart_placeholder = QLabel("Paid and reimbursed by month…")
        self.chart_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.chart_placeholder.setMinimumHeight(280)
        self.chart_holder.addWidget(self.chart_placeholder)

        tools = QHBoxLayout()
        tools.addWidget(heading("Reports"))
        tools.addStretch(1)
        for label, box in (("Year", self.year_box), ("Person", self.person_box)):
            caption = QLabel(label)
            caption.setBuddy(box)
            tools.addWidget(caption)
            tools.addWidget(box)
        tools.addSpacing(12)
        tools.addWidget(self.export_button)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(tools)
        layout.addWidget(QLabel(
            "Grouped by the date each treatment was received. Outstanding is what was paid "
            "and not yet reimbursed by anyone."
        ))
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addWidget(self.chart_title)
        layout.addLayout(self.chart_holder, 1)
        scroll_page(self, body)


class ReportsPageController(QObject):
    def __init__(self, session, formats):
        super().__init__()
        self.session, self.formats = session, formats
        self.view = ReportsPageView()
        self.model = ReportTableModel(formats, self.view)
        self.view.table.setModel(self.model)
        configure_table(self.view.table)
        header = self.view.table.horizontalHeader()
        header.setStretchLastSection(False)
        # A row per year and person, so measuring the cells is cheap: every amount (the bold
        # total too) and every two-line header shows whole; the person's name takes the rest.
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setMinimumHeight(header.fontMetrics().height() * 2 + 12)
        self.chart = None
        self._stale = True
        self.view.year_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.view.person_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.view.export_button.clicked.connect(self.export_csv)
        session.bus.changed.connect(self._on_changed)

    @property
    def rows(self):
        return self.model.rows

    def load(self) -> None:
        if self._stale:
            self.fill_filters()
            self.refresh()

    def _on_changed(self, _kind: str) -> None:
        self._stale = True
        if self.view.isVisible():
            self.load()

    # -- filters ---------------------------------------------------------------------------
    def fill_filters(self) -> None:
        """Years and people that have treatments; the current choice kept when it still can."""
        everything = report_rows(self.session.services.db)
        years = sorted({r.year for r in everything}, reverse=True)
        people = sorted({(r.person_name, r.person_id) for r in everything},
                        key=lambda p: (p[0].casefold(), p[1]))
        self._refill(self.view.year_box, "All years", [(str(y), y) for y in years])
        self._refill(self.view.person_box, "Everyone", people)

    @staticmethod
    def _refill(box: QComboBox, everything: str, choices) -> None:
        current = box.currentData()
        blocked = box.blockSignals(True)
        box.clear()
        box.addItem(everything, None)
        for label, value in choices:
            box.addItem(label, value)
        box.setCurrentIndex(max(0, box.findData(current)) if current is not None else 0)
        box.blockSignals(blocked)

    # -- showing ---------------------------------------------------------------------------
    def refresh(self) -> None:
        year, person = self.view.year_box.currentData(), self.view.person_box.currentData()
        rows = report_rows(self.session.services.db, year=year, person_id=person)
        self.model.set_rows(rows)
        table = self.view.table
        height = table.horizontalHeader().minimumHeight() + 4
        height += table.verticalHeader().defaultSectionSize() * max(1, self.model.rowCount())
        table.setFixedHeight(min(height, 420))
        table.setVisible(bool(rows))
        self.view.empty.setVisible(not rows)
        self.view.export_button.setEnabled(bool(rows))
        self._stale = False
        QTimer.singleShot(0, self.refresh_chart)  # QtCharts loads after the table is shown

    def refresh_chart(self) -> None:
        from ..chart import MoneyChart

        year, person = self.view.year_box.currentData(), self.view.person_box.currentData()
        points = monthly_series(self.session.services.db, year=year, person_id=person)
        if self.chart is None:
            self.chart = MoneyChart(self.formats)
            self.view.chart_holder.replaceWidget(self.view.chart_placeholder, self.chart.view)
            self.view.chart_placeholder.hide()
        shown = points if year is not None else points[-CHART_MONTHS:]
        self.chart.show_points(shown)
        if year is not None:
            self.view.chart_title.setText(f"By month, {year}")
        elif len(points) > CHART_MONTHS:
            self.view.chart_title.setText(f"By month, the last {CHART_MONTHS} months")
        else:
            self.view.chart_title.setText("By month")

    # -- export ----------------------------------------------------------------------------
    def default_file_name(self) -> str:
        year = self.view.year_box.currentData()
        return f"regenlog-report-{year if year is not None else 'all-years'}.csv"

    def export_csv(self) -> Path | None:
        if not self.rows:
            return None
        name, _ = QFileDialog.getSaveFileName(
            self.view, "Export the report", str(Path.home() / self.default_file_name()),
            "CSV spreadsheet (*.csv)",
        )
        if not name:
            return None
        target = Path(name)
        if target.suffix.lower() != ".csv":
            target = target.with_name(target.name + ".csv")
        return self.write_csv(target)

    def write_csv(self, target: Path) -> Path | None:
        self.view.error.hide()
        try:
            write_report_csv(self.rows, target)
        except OSError as error:
            self.view.error.setText(
                f"The report could not be saved to {target}: {error.strerror or error}."
            )
            self.view.error.show()
            self.view.status.clear()
            return None
        n = len(self.rows)
        self.view.status.setText(f"Saved {n} row{'s' if n != 1 else ''} and the total to {target}.")
        return target
