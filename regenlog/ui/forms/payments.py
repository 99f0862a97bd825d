"""A financing plan's payments and what they mean: the balance, the payment needed to clear
the promotion in time and the back-interest at risk (regenlog.core.financing)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
)

from ...core.dates import parse_date
from ...core.errors import RegenLogError, ValidationError
from ...core.money import parse_money
from ..widgets import sentence_label
from .record_dialog import ShowsOnly


class PaymentsSection(ShowsOnly, QObject):
    changed = Signal()

    def __init__(self, details, formats, form, today):
        super().__init__()
        self.details, self.formats, self.form, self.today = details, formats, form, today
        self.widget = QGroupBox("Payments")
        self.summary = QLabel()
        self.summary.setObjectName("financingSummary")
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Payments made")
        self.list.setMaximumHeight(140)
        self.date_edit = QLineEdit()
        self.date_edit.setPlaceholderText("Paid on (MM/DD/YYYY)")
        self.date_edit.setAccessibleName("Payment date")
        self.amount_edit = QLineEdit()
        self.amount_edit.setPlaceholderText("Amount")
        self.amount_edit.setAccessibleName("Payment amount")
        self.add_button = QPushButton("Add payment")
        self.sentence = sentence_label("paymentSentence")
        row = QHBoxLayout()
        row.addWidget(self.date_edit)
        row.addWidget(self.amount_edit)
        row.addWidget(self.add_button)
        layout = QVBoxLayout(self.widget)
        layout.addWidget(self.summary)
        layout.addWidget(self.list)
        layout.addLayout(row)
        layout.addWidget(self.sentence)
        self.add_button.clicked.connect(self.add_payment)
        self.amount_edit.returnPressed.connect(self.add_payment)
        self._record = None

    def add_payment(self) -> None:
        if self._record is None:
            self._say("Save the plan first, then add its payments.")
            return
        try:
            day = parse_date(self.date_edit.text())
            cents = parse_money(self.amount_edit.text())
            self.details.add_payment(self._record.id, day, cents)
        except RegenLogError as error:
            self._say(str(error))
            return
        self.date_edit.clear()
        self.amount_edit.clear()
        self._say("")
        self.load(self._record)
        self.changed.emit()

    def _say(self, text: str) -> None:
        self.sentence.setText(text)
        self.sentence.setVisible(bool(text))

    def load(self, record) -> None:
        self._record = record
        self.list.clear()
        self.widget.setEnabled(True)
        if record is None:
            self.summary.setText("Add payments after the plan is saved.")
            return
        payments = self.details.payments(record.id)
        for p in payments:
            self.list.addItem(f"{self.formats.date(p.paid_on)}   {self.formats.money(p.amount_cents)}")
        self.summary.setText(self._summary(record, payments))

    def _summary(self, plan, payments) -> str:
        if plan.promo_end is None:
            return "Enter the promotion's end date to see what must be paid by then."
        from ...core.financing import FinancingTerms, summarize

        try:
            terms = FinancingTerms(
                amount_cents=plan.amount_cents, purchase_date=plan.purchase_date,
                promo_end=plan.promo_end, standard_apr_bp=plan.standard_apr_bp,
                promo_apr_bp=plan.promo_apr_bp, deferred_interest=plan.deferred_interest,
                minimum_payment_cents=plan.minimum_payment_cents,
                payments=tuple((p.paid_on, p.amount_cents) for p in payments),
            )
            s = summarize(self.today(), terms)
        except (ValidationError, TypeError) as error:
            return str(error)
        lines = [f"Balance: {self.formats.money(s.balance_cents)}."]
        if not s.promo_ended and s.balance_cents:
            lines.append(
                f"To clear it before the promotion ends on {self.formats.date(s.promo_end)}, "
                f"pay {self.formats.money(s.payment_needed_cents)} a month."
            )
        if s.warning:
            lines.append(s.warning)
        return " ".join(lines)
