"""The payoff panel of a financing plan: the four figures that matter (the balance today, the
payment needed each month, the back-interest at risk, the total cost at the current pace),
the warning sentence, a "what if I pay $X a month" box that re-projects as it changes, and
the payoff chart. The math is ``regenlog.core.financing``'s; this only shows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core.dates import add_months
from ...core.errors import ValidationError
from ...core.financing import (
    FinancingSummary,
    FinancingTerms,
    Projection,
    balance_on,
    projection,
    summarize,
)
from ...core.money import format_percent_bp
from ..icons import icon
from ..pages.dashboard import figure_card

CARDS = (
    ("balance", "Balance today"),
    ("needed", "Payment needed a month"),
    ("at_risk", "Back-interest at risk"),
    ("total", "Total cost at your pace"),
)
COLORS = {"so_far": "#7a7a7a", "pace": "#d9822b", "needed": "#2e9e5b", "what_if": "#3d7ab8"}
INCOMPLETE = (
    "Enter the amount financed, the purchase date and when the promotion ends (or its "
    "length in months) to see the payoff."
)


def plan_terms(plan: Mapping[str, Any] | Any, payments: Iterable[Any] = ()) -> FinancingTerms:
    """The terms of a plan (a FinancingPlan record, or the form's values as a dict) with its
    payments. The promotion ends on ``promo_end``, else ``promo_months`` after the purchase.
    Raises ValidationError with the sentence to show when the plan cannot be projected."""
    get = plan.get if isinstance(plan, Mapping) else (lambda name: getattr(plan, name, None))
    amount, purchase = get("amount_cents"), get("purchase_date")
    end = get("promo_end")
    if end is None and get("promo_months") and purchase is not None:
        end = add_months(purchase, get("promo_months"))
    if not isinstance(amount, int) or purchase is None or end is None:
        raise ValidationError(INCOMPLETE)
    try:
        return FinancingTerms(
            amount_cents=amount, purchase_date=purchase, promo_end=end,
            standard_apr_bp=get("standard_apr_bp") or 0, promo_apr_bp=get("promo_apr_bp") or 0,
            deferred_interest=bool(get("deferred_interest")),
            minimum_payment_cents=get("minimum_payment_cents") or 0,
            payments=tuple((p.paid_on, p.amount_cents) for p in payments),
        )
    except TypeError:
        raise ValidationError(INCOMPLETE) from None


def _dollars_up(cents: int) -> int:
    return -(-cents // 100)


class PayoffPanelView(QWidget):
    """Layout only."""

    def __init__(self):
        super().__init__()
        self.setObjectName("payoffPanel")
        self.message = QLabel()
        self.message.setObjectName("payoffMessage")
        self.message.setWordWrap(True)
        self.message.hide()

        self.figures: dict[str, QLabel] = {}
        grid = QGridLayout()
        for n, (key, title) in enumerate(CARDS):
            card, value = figure_card(title, f"payoff_{key}")
            self.figures[key] = value
            grid.addWidget(card, 0, n)

        self.warning_box = QFrame()
        self.warning_box.setObjectName("payoffWarning")
        self.warning_box.setStyleSheet(
            "#payoffWarning { background: #fff4ce; border: 1px solid #e0c36c; border-radius: 4px; }"
            "#payoffWarning QLabel { color: #5c4400; }"
        )
        self.warning = QLabel()
        self.warning.setObjectName("payoffWarningText")
        self.warning.setWordWrap(True)
        self.warning.setAccessibleName("Financing warning")
        font = self.warning.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.warning.setFont(font)
        warning_icon = QLabel()
        warning_icon.setPixmap(icon("warning").pixmap(22, 22))
        box = QHBoxLayout(self.warning_box)
        box.setContentsMargins(10, 8, 10, 8)
        box.addWidget(warning_icon, 0, Qt.AlignmentFlag.AlignTop)
        box.addWidget(self.warning, 1)

        self.pace_note = QLabel()
        self.pace_note.setObjectName("payoffPaceNote")
        self.pace_note.setWordWrap(True)

        self.what_if = QSpinBox()
        self.what_if.setObjectName("whatIf")
        self.what_if.setPrefix("$")
        self.what_if.setSuffix(" a month")
        self.what_if.setRange(0, 9_999_999)
        self.what_if.setSingleStep(25)
        self.what_if.setGroupSeparatorShown(True)
        self.what_if.setAccessibleName("What if I pay this much a month")
        self.what_if.setMinimumWidth(150)
        self.what_if_result = QLabel()
        self.what_if_result.setObjectName("whatIfResult")
        self.what_if_result.setWordWrap(True)
        what_if_row = QHBoxLayout()
        what_if_row.addWidget(QLabel("What if I pay"))
        what_if_row.addWidget(self.what_if)
        what_if_row.addWidget(self.what_if_result, 1)

        self.chart_holder = QVBoxLayout()
        self.chart_placeholder = QLabel("Payoff chart…")
        self.chart_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.chart_placeholder.setMinimumHeight(300)
        self.chart_holder.addWidget(self.chart_placeholder)

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(grid)
        body.addWidget(self.warning_box)
        body.addWidget(self.pace_note)
        body.addLayout(what_if_row)
        body.addLayout(self.chart_holder, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addWidget(self.body, 1)


class PayoffPanel(QObject):
    """Shows one plan's terms; re-projects when the "what if" amount changes."""

    def __init__(self, formats, today: Callable[[], dt.date], view: PayoffPanelView | None = None):
        super().__init__()
        self.formats, self.today = formats, today
        self.view = view or PayoffPanelView()
        self.terms: FinancingTerms | None = None
        self.summary: FinancingSummary | None = None
        self.what_if: Projection | None = None
        self.chart = None
        self._key: object = None
        self._touched = False
        self.view.what_if.valueChanged.connect(self._on_what_if)

    # -- showing ---------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        self.terms = self.summary = self.what_if = None
        self.view.message.setText(text)
        self.view.message.show()
        self.view.body.hide()

    def show_plan(self, plan, payments: Iterable[Any] = (), key: object = None) -> None:
        """Show a plan (record or form values); ``key`` says whether it is the same plan as
        before, so a "what if" amount the patient typed survives a change of its payments."""
        try:
            terms = plan_terms(plan, payments)
        except ValidationError as error:
            self.show_message(str(error))
            return
        self.show_terms(terms, key)

    def show_terms(self, terms: FinancingTerms, key: object = None) -> None:
        f = self.formats
        today = self.today()
        s = summarize(today, terms)
        self.terms, self.summary = terms, s
        v = self.view
        v.message.hide()
        v.body.show()
        v.figures["balance"].setText(f.money(s.balance_cents))
        if s.promo_ended:
            v.figures["needed"].setText("—")
            v.figures["needed"].setToolTip(f"The promotion ended on {f.date(s.promo_end)}.")
        else:
            v.figures["needed"].setText(f.money(s.payment_needed_cents))
            v.figures["needed"].setToolTip(
                f"To clear the balance by {f.date(s.promo_end)}, over {s.months_left} "
                f"payment{'s' if s.months_left != 1 else ''}."
            )
        v.figures["at_risk"].setText(f.money(s.interest_at_risk_cents))
        total = s.total_cost_at_pace_cents
        v.figures["total"].setText(f.money(total) if total is not None else "Never paid off")
        # The core writes dates as 2026-12-20; show them as every other date on screen.
        warning = (s.warning or "").replace(s.promo_end.isoformat(), f.date(s.promo_end))
        v.warning.setText(warning)
        v.warning_box.setVisible(bool(s.warning))
        v.pace_note.setText(self._pace_note(terms, s))

        keep = key is not None and key == self._key and self._touched
        self._key = key
        blocked = v.what_if.blockSignals(True)
        v.what_if.setMaximum(max(_dollars_up(s.balance_cents), _dollars_up(terms.amount_cents), 1))
        if not keep:
            v.what_if.setValue(_dollars_up(s.current_pace_cents))
            self._touched = False
        v.what_if.blockSignals(blocked)
        v.what_if.setEnabled(s.balance_cents > 0)
        self._project()

    # -- helpers ---------------------------------------------------------------------------
    def _pace_note(self, terms: FinancingTerms, s: FinancingSummary) -> str:
        f = self.formats
        if s.balance_cents == 0:
            return "Paid off: nothing is left to pay."
        paid = any(day <= self.today() for day, _ in terms.payments)
        source = "the average of your payments so far" if paid else "the minimum payment"
        pace = f"Your pace: {f.money(s.current_pace_cents)} a month ({source})."
        if s.promo_ended:
            return pace
        if s.cleared_at_pace:
            return f"{pace} At that pace the balance is cleared by {f.date(s.promo_end)}."
        if not terms.deferred_interest:
            return f"{pace} This plan does not charge interest back to the purchase date."
        return pace

    def _on_what_if(self, _value: int) -> None:
        self._touched = True
        self._project()

    def _project(self) -> None:
        if self.terms is None or self.summary is None:
            return
        cents = self.view.what_if.value() * 100
        today = self.today()
        self.what_if = projection(today, cents, self.terms)
        self.view.what_if_result.setText(self._what_if_sentence(self.what_if))
        self._draw(today)

    def _what_if_sentence(self, p: Projection) -> str:
        f, terms = self.formats, self.terms
        pay = f"Paying {f.money(p.monthly_payment_cents)} a month"
        if self.summary.balance_cents == 0:
            return ""
        if p.payoff_date is None:
            return f"{pay} never pays it off: the interest grows faster than the payments."
        total = f.money(p.total_cost_cents)
        if self.summary.promo_ended:
            return f"{pay} pays it off on {f.date(p.payoff_date)}; {total} in all."
        if p.cleared_in_time:
            return (f"{pay} clears it by {f.date(p.payoff_date)}, before the promotion ends: "
                    f"no back-interest, {total} in all.")
        if p.deferred_interest_cents:
            return (f"{pay} leaves {f.money(balance_after(p, terms))} unpaid on "
                    f"{f.date(terms.promo_end)}, so {f.money(p.deferred_interest_cents)} of "
                    f"back-interest is charged; paid off {f.date(p.payoff_date)}, {total} in all.")
        apr = format_percent_bp(terms.standard_apr_bp)
        return (f"{pay} leaves a balance after {f.date(terms.promo_end)}, at {apr} APR; paid "
                f"off {f.date(p.payoff_date)}, {total} in all.")

    def _draw(self, today: dt.date) -> None:
        from .payoff_chart import Line, PayoffChart

        if self.chart is None:
            self.chart = PayoffChart(self.formats)
            self.view.chart_holder.replaceWidget(self.view.chart_placeholder, self.chart.view)
            self.view.chart_placeholder.hide()
        terms, s, f = self.terms, self.summary, self.formats
        lines = [Line("So far", COLORS["so_far"], history(terms, today))]
        paces: dict[int, tuple[str, str, bool]] = {}
        if s.balance_cents:
            paces[s.current_pace_cents] = (
                f"At your pace ({f.money(s.current_pace_cents)} a month)", "pace", False)
            if s.payment_needed_cents:
                paces.setdefault(s.payment_needed_cents, (
                    f"Needed ({f.money(s.payment_needed_cents)} a month)", "needed", False))
            paces.setdefault(self.what_if.monthly_payment_cents, (
                f"What if ({f.money(self.what_if.monthly_payment_cents)} a month)", "what_if", True))
        for cents, (name, color, dashed) in paces.items():
            plan = self.what_if if cents == self.what_if.monthly_payment_cents else (
                projection(today, cents, terms))
            lines.append(Line(name, COLORS[color], plan.schedule, dashed))
        self.chart.show_lines(lines, terms.promo_end)


def balance_after(p: Projection, terms: FinancingTerms) -> int:
    """The principal a projection leaves on the promotion's last day (before back-interest)."""
    at_end = [cents for day, cents in p.schedule if day == terms.promo_end]
    return (at_end[-1] - p.deferred_interest_cents) if at_end else 0


def history(terms: FinancingTerms, today: dt.date) -> tuple[tuple[dt.date, int], ...]:
    """The balance from the purchase to today (or to the promotion's end), as steps."""
    stop = min(today, terms.promo_end)
    points = [(terms.purchase_date, terms.amount_cents)]
    for day, _cents in terms.payments:
        if day > stop:
            break
        points.append((day, points[-1][1]))
        points.append((day, balance_on(day, terms)))
    if stop > points[-1][0]:
        points.append((stop, balance_on(stop, terms)))
    return tuple(points)
