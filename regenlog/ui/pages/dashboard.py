"""The dashboard: what is still missing (by severity), what is due next, the money so far,
and a chart of spending and reimbursement by month (QtCharts, loaded after the figures)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..icons import icon
from ..widgets import heading, scroll_page

SEVERITY_TITLES = {"error": "Errors", "warning": "Warnings", "info": "Notes"}
SEVERITY_ICONS = {"error": "missing", "warning": "warning", "info": "info"}
# (title, key, what it counts): the core's money figures, summed over every treatment.
FIGURES = (
    ("Paid for treatment", "paid", "Every receipt, whoever paid it (card, HSA or FSA card, "
     "financing)."),
    ("Reimbursed", "reimbursed", "Paid back to you by the insurer, the HSA or the FSA. What an "
     "insurer paid the provider directly is not counted here."),
    ("Awaiting an answer", "awaiting", "Asked for on claims still open."),
    ("Outstanding", "outstanding", "Paid and not paid back by anyone."),
    ("Still claimable", "claimable", "Paid, not paid back and not yet asked for, that the "
     "insurer (unless it has decided the treatment), the HSA or the FSA could still be asked "
     "for: what a bundle would ask."),
)


def figure_card(title: str, object_name: str) -> tuple[QFrame, QLabel]:
    card = QFrame()
    card.setObjectName("card")
    card.setFrameShape(QFrame.Shape.StyledPanel)
    value = QLabel("…")
    value.setObjectName(object_name)
    font = value.font()
    font.setPointSizeF(font.pointSizeF() * 1.6)
    font.setBold(True)
    value.setFont(font)
    caption = QLabel(title)
    caption.setStyleSheet("color: palette(placeholder-text);")
    layout = QVBoxLayout(card)
    layout.addWidget(caption)
    layout.addWidget(value)
    value.setAccessibleName(title)
    return card, value


class DashboardView(QWidget):
    def __init__(self):
        super().__init__()
        grid = QGridLayout()
        self.figures: dict[str, QLabel] = {}
        for n, (title, key, tip) in enumerate(FIGURES):
            card, value = figure_card(title, f"figure_{key}")
            card.setToolTip(tip)
            self.figures[key] = value
            grid.addWidget(card, 0, n)
        self.severity_labels: dict[str, QLabel] = {}
        counts = QHBoxLayout()
        for severity, title in SEVERITY_TITLES.items():
            label = QLabel()
            label.setObjectName(f"count_{severity}")
            label.setAccessibleName(title)
            icon_label = QLabel()
            icon_label.setPixmap(icon(SEVERITY_ICONS[severity]).pixmap(18, 18))
            counts.addWidget(icon_label)
            counts.addWidget(label)
            counts.addSpacing(16)
            self.severity_labels[severity] = label
        counts.addStretch(1)
        self.gaps = QListWidget()
        self.gaps.setAccessibleName("Open gaps")
        # At most MAX_GAPS rows: wrapping them whole reads better than a sideways scroll.
        self.gaps.setWordWrap(True)
        self.gaps.setSpacing(3)
        self.gaps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.fix_button = QPushButton("Go to the record")
        self.fix_button.setAccessibleName("Open the record of the selected gap")
        self.deadlines = QListWidget()
        self.deadlines.setAccessibleName("Deadlines coming")
        self.deadlines.setWordWrap(True)
        self.deadlines.setSpacing(3)
        self.deadlines.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.calendar_button = QPushButton("Export to calendar (.ics)…")
        self.calendar_button.setAccessibleName("Export the deadlines to a calendar file")
        self.chart_holder = QVBoxLayout()
        self.chart_placeholder = QLabel("Spending and reimbursement by month…")
        self.chart_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.chart_placeholder.setMinimumHeight(260)
        self.chart_holder.addWidget(self.chart_placeholder)

        left = QVBoxLayout()
        left.addWidget(heading("What is still missing", 2))
        left.addLayout(counts)
        left.addWidget(self.gaps, 1)
        left.addWidget(self.fix_button, 0, Qt.AlignmentFlag.AlignLeft)
        right = QVBoxLayout()
        right.addWidget(heading("Deadlines coming", 2))
        right.addWidget(self.deadlines, 1)
        right.addWidget(self.calendar_button, 0, Qt.AlignmentFlag.AlignLeft)
        lists = QHBoxLayout()
        lists.addLayout(left, 3)
        lists.addLayout(right, 2)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading("Dashboard"))
        layout.addLayout(grid)
        layout.addLayout(lists, 1)
        layout.addWidget(heading("Spending and reimbursement by month", 2))
        layout.addLayout(self.chart_holder)
        scroll_page(self, body)


class DashboardController(QObject):
    MAX_GAPS = 300

    def __init__(self, session, formats, editors, open_gap):
        super().__init__()
        self.session, self.formats, self.open_gap = session, formats, open_gap
        self.view = DashboardView()
        self.result = None
        self.chart = None
        self._stale = True
        self.view.gaps.itemActivated.connect(lambda _item: self.fix_selected())
        self.view.fix_button.clicked.connect(self.fix_selected)
        self.view.deadlines.itemActivated.connect(self._open_deadline)
        session.bus.changed.connect(self._on_changed)

    def load(self) -> None:
        if self._stale:
            self.refresh()

    def _on_changed(self, _kind: str) -> None:
        self._stale = True
        if self.view.isVisible():
            self.refresh()

    def refresh(self) -> None:
        from ...core.checklist import run_check
        from ...core.reports import report_rows, totals
        from ...core.upcoming import upcoming_deadlines

        db, today, f = self.session.services.db, self.session.today(), self.formats
        total = totals(report_rows(db))
        for key, cents in (
            ("paid", total.paid_cents), ("reimbursed", total.reimbursed_cents),
            ("awaiting", total.awaiting_cents), ("outstanding", total.outstanding_cents),
            ("claimable", total.still_claimable_cents),
        ):
            self.view.figures[key].setText(f.money(cents))
        self.result = run_check(db, today=today)
        counts = self.result.counts_by_severity()
        for severity, label in self.view.severity_labels.items():
            label.setText(f"{counts.get(severity, 0):,} {SEVERITY_TITLES[severity].lower()}")
        self.view.gaps.clear()
        for gap in self.result.gaps[: self.MAX_GAPS]:
            item = QListWidgetItem(icon(SEVERITY_ICONS[gap.severity]), gap.message)
            item.setToolTip(f"{gap.message}\n\nTo fix: {gap.fix}")
            item.setData(Qt.ItemDataRole.UserRole, gap)
            self.view.gaps.addItem(item)
        self.view.deadlines.clear()
        for upcoming in upcoming_deadlines(db, today)[:100]:
            days = upcoming.days_left(today)
            when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
            item = QListWidgetItem(f"{f.date(upcoming.due)} ({when}): {upcoming.title}")
            item.setToolTip(upcoming.detail or upcoming.title)
            item.setData(Qt.ItemDataRole.UserRole, (upcoming.record_type, upcoming.record_id))
            self.view.deadlines.addItem(item)
        if not self.view.deadlines.count():
            self.view.deadlines.addItem("Nothing due in the next 120 days.")
        self._stale = False
        # The chart module is heavy: load it once the figures are on screen.
        QTimer.singleShot(0, self.refresh_chart)

    def refresh_chart(self) -> None:
        from ...core.reports import monthly_series
        from ..chart import MoneyChart

        points = monthly_series(self.session.services.db)
        if self.chart is None:
            self.chart = MoneyChart(self.formats)
            self.view.chart_holder.replaceWidget(self.view.chart_placeholder, self.chart.view)
            self.view.chart_placeholder.hide()
        self.chart.show_points(points[-18:])

    def fix_selected(self) -> None:
        item = self.view.gaps.currentItem()
        if item is not None:
            self.open_gap(item.data(Qt.ItemDataRole.UserRole))

    def _open_deadline(self, item) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if data:
            record_type, record_id = data
            from types import SimpleNamespace

            self.open_gap(SimpleNamespace(treatment_id=record_id if record_type == "treatment"
                                          else None, record_type=record_type, record_id=record_id))
