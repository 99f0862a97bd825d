"""A financing plan's payments and what they mean: the balance, the payment needed to clear
the promotion in time and the back-interest at risk (regenlog.core.financing)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from ...core.dates import parse_date
from ...core.errors import RegenLogError, ValidationError
from ...core.money import parse_money
from ..widgets import ask, sentence_label
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
        self.remove_button = QPushButton("Remove selected payment")
        self.remove_button.setAccessibleName("Remove the selected payment")
        self.sentence = sentence_label("paymentSentence")
        row = QHBoxLayout()
        row.addWidget(self.date_edit)
        row.addWidget(self.amount_edit)
        row.addWidget(self.add_button)
        remove_row = QHBoxLayout()
        remove_row.addWidget(self.remove_button)
        remove_row.addStretch(1)
        layout = QVBoxLayout(self.widget)
        layout.addWidget(self.summary)
        layout.addWidget(self.list)
        layout.addLayout(remove_row)
        layout.addLayout(row)
        layout.addWidget(self.sentence)
        self.add_button.clicked.connect(self.add_payment)
        self.amount_edit.returnPressed.connect(self.add_payment)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.currentRowChanged.connect(lambda _row: self._update_remove())
        self._record = None
        self._update_remove()

    def add_payment(self) -> None:
        if self._record is None:
            self._say("Save the plan first, then add its payments.")
            return
        try:
            day = parse_date(self.date_edit.text())
            cents = parse_money(self.amount_edit.text())
            if not self._confirm_over_balance(cents):
                return
            self.details.add_payment(self._record.id, day, cents)
        except RegenLogError as error:
            self._say(str(error))
            return
        self.date_edit.clear()
        self.amount_edit.clear()
        self._say("")
        self.load(self._record)
        self.changed.emit()

    def balance_left(self) -> int:
        """The plan's principal not yet paid by the payments recorded (never below 0)."""
        from ...core.financing import principal_left

        payments = self.details.payments(self._record.id)
        return principal_left(self._record.amount_cents,
                              [(p.paid_on, p.amount_cents) for p in payments])

    def _confirm_over_balance(self, cents: int) -> bool:
        # More than is left is usually a typo (an extra zero), but can be real (a payment
        # refunded later): ask, naming the balance, rather than refuse.
        left = self.balance_left()
        if cents <= left:
            return True
        money = self.formats.money
        if left:
            text = (f"Only {money(left)} is left to pay on this plan, and this payment is "
                    f"{money(cents)}. Recording it marks the plan as paid off. Record it anyway?")
        else:
            text = (f"Nothing is left to pay on this plan ({money(0)} balance left). "
                    f"Record a payment of {money(cents)} anyway?")
        return ask(
            self.widget, "More than the balance left?", text,
        )

    def remove_selected(self) -> None:
        item = self.list.currentItem()
        if item is None or self._record is None:
            return
        payment_id = item.data(Qt.ItemDataRole.UserRole)
        if not ask(
            self.widget, "Remove the payment?",
            f"Remove the payment {item.text().strip()} from this plan? Its balance and payoff "
            "are worked out again without it.",
        ):
            return
        try:
            self.details.remove_payment(payment_id)
        except RegenLogError as error:
            self._say(str(error))
            return
        self._say("")
        self.load(self._record)
        self.changed.emit()

    def _update_remove(self) -> None:
        self.remove_button.setEnabled(self.list.currentItem() is not None)

    def _say(self, text: str) -> None:
        self.sentence.setText(text)
        self.sentence.setVisible(bool(text))

    def load(self, record) -> None:
        self._record = record
        self.list.clear()
        self.widget.setEnabled(True)
        if record is None:
            self.summary.setText("Add payments after the plan is saved.")
            self._update_remove()
            return
        payments = self.details.payments(record.id)
        for p in payments:
            item = QListWidgetItem(
                f"{self.formats.date(p.paid_on)}   {self.formats.money(p.amount_cents)}")
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            self.list.addItem(item)
        self.summary.setText(self._summary(record, payments))
        self._update_remove()

    def _summary(self, plan, payments) -> str:
        if plan.promo_end is None:
            return "Enter the promotion's end date to see what must be paid by then."
        from ...core.financing import summarize
        from ..money.financing_panel import plan_terms

        try:
            s = summarize(self.today(), plan_terms(plan, payments))
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
