"""The payoff chart of a financing plan (QtCharts, imported on first use): the balance so far,
then the projected balance at the current pace, at the pace needed and at the "what if"
amount, with the promotion's end marked by a vertical line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QDateTime, QPointF, Qt, QTime
from PySide6.QtGui import QColor, QPainter, QPen

# A projection that never pays off, or pays off decades later, would squash the promotion
# into a sliver of the chart: show at most this many months after it.
MONTHS_AFTER_PROMO = 36


@dataclass(frozen=True)
class Line:
    name: str
    color: str
    points: tuple[tuple[dt.date, int], ...]  # (date, balance in cents)
    dashed: bool = False


def _msecs(day: dt.date) -> float:
    return float(QDateTime(day, QTime(12, 0)).toMSecsSinceEpoch())


class PayoffChart:
    def __init__(self, formats):
        self.formats = formats
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart.setBackgroundVisible(False)
        self.chart.setMargins(self.chart.margins() * 0)
        self.view = QChartView(self.chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(300)
        self.view.setAccessibleName("Chart of the projected balance")
        self.series: dict[str, QLineSeries] = {}

    def show_lines(self, lines: list[Line], promo_end: dt.date) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        self.series = {}
        last_day = _add_months(promo_end, MONTHS_AFTER_PROMO)
        first = min((p[0] for line in lines for p in line.points), default=promo_end)
        end = max((p[0] for line in lines for p in line.points if p[0] <= last_day),
                  default=promo_end)
        end = max(end, promo_end + dt.timedelta(days=15))
        top = max((p[1] for line in lines for p in line.points if p[0] <= end), default=0)
        for line in lines:
            series = QLineSeries()
            series.setName(line.name)
            pen = QPen(QColor(line.color))
            pen.setWidthF(2.4)
            if line.dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            series.setPen(pen)
            for day, cents in line.points:
                if day <= end:
                    series.append(QPointF(_msecs(day), cents / 100))  # chart scale only
            self.chart.addSeries(series)
            self.series[line.name] = series
        marker = QLineSeries()
        marker.setName(f"Promotion ends {self.formats.date(promo_end)}")
        pen = QPen(QColor("#b3261e"))
        pen.setWidthF(1.6)
        pen.setStyle(Qt.PenStyle.DotLine)
        marker.setPen(pen)
        self.chart.addSeries(marker)
        self.series["promo_end"] = marker

        x = QDateTimeAxis()
        x.setFormat("MMM yy")
        x.setRange(QDateTime(first, QTime(0, 0)), QDateTime(end, QTime(23, 59)))
        x.setTickCount(min(8, max(3, (end - first).days // 45 + 1)))
        y = QValueAxis()
        y.setLabelFormat("$%.0f")
        y.setRange(0, max(100.0, top / 100 * 1.1))
        y.applyNiceNumbers()
        # The promotion's end, from the bottom of the chart to its top.
        marker.append(QPointF(_msecs(promo_end), 0))
        marker.append(QPointF(_msecs(promo_end), y.max()))
        self.chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        for series in self.chart.series():
            series.attachAxis(x)
            series.attachAxis(y)
        self.view.setAccessibleDescription("; ".join(
            f"{line.name}: " + ", ".join(
                f"{self.formats.date(d)} {self.formats.money(c)}" for d, c in line.points[:24]
            ) for line in lines
        ))


def _add_months(day: dt.date, months: int) -> dt.date:
    from ...core.dates import add_months

    return add_months(day, months)
