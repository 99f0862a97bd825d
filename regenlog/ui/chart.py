"""Spending and reimbursement by month as a bar chart (QtCharts, imported on first use)."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class MoneyChart:
    def __init__(self, formats):
        self.formats = formats
        self.x_axis: QBarCategoryAxis | None = None
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart.setBackgroundVisible(False)
        self.view = QChartView(self.chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(280)
        self.view.setAccessibleName("Chart of spending and reimbursement by month")

    def show_points(self, points) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        spent = QBarSet("Paid")
        spent.setColor(QColor("#3d7ab8"))
        back = QBarSet("Reimbursed")
        back.setColor(QColor("#2e9e5b"))
        categories, labels = [], []
        top = 0
        for p in points:
            spent.append(p.paid_cents / 100)  # chart scale only; amounts stay cents
            back.append(p.reimbursed_cents / 100)
            top = max(top, p.paid_cents, p.reimbursed_cents)
            month = MONTHS[p.month.month - 1]  # not %b: Qt sets the C locale from the system
            categories.append(f"{month} {p.month.year}")
            # Month over year on two lines: 18 months fit the default window uncut.
            labels.append(f"{month}<br>{p.month.year}")
        series = QBarSeries()
        series.append(spent)
        series.append(back)
        self.chart.addSeries(series)
        x = QBarCategoryAxis()
        x.append(labels or [""])
        self.x_axis = x
        y = QValueAxis()
        y.setLabelFormat("$%.0f")
        y.setRange(0, max(100, top / 100 * 1.1))
        y.applyNiceNumbers()
        self.chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)
        self.view.setAccessibleDescription(
            "; ".join(f"{c}: paid {self.formats.money(p.paid_cents)}, reimbursed "
                      f"{self.formats.money(p.reimbursed_cents)}" for c, p in zip(categories, points, strict=True))
        )
