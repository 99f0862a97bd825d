"""Claims without double counting: the claim dialog saves through ``create_claim`` and
``update_claim`` (never the raw record service), shows the treatment's money while the claim
is typed, and puts the refusal sentence beside the amount as soon as it asks for more than
is left, with Save disabled. The treatment page's claims list shows the same figures."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout

from ...core import models as m
from ...core.errors import RegenLogError, ValidationError
from ...core.reimbursement import (
    PAID_STATUSES,
    TreatmentMoney,
    check_claim,
    claim_stake,
    create_claim,
    treatment_money,
    update_claim,
)
from ..forms.record_dialog import RecordDialog, ShowsOnly

SOURCE_LABELS = (("insurer", "insurer"), ("hsa", "HSA"), ("fsa", "FSA"))
DESTINATION_NAMES = {"insurer": "the insurer", "hsa": "the HSA", "fsa": "the FSA"}


def money_lines(money: TreatmentMoney, formats) -> list[str]:
    """Paid (and by whom), reimbursed (by source), paid to the provider, awaiting an answer
    and outstanding, one line each: the core's figures, as the bundle states them."""
    f = formats
    if money.paid_cents:
        by = [f"{label} {f.money(cents)}" for label, cents in (
            ("HSA card", money.paid_with_hsa_card_cents),
            ("FSA card", money.paid_with_fsa_card_cents),
            ("financing", money.paid_with_financing_cents),
        ) if cents]
        lines = [f"Paid: {f.money(money.paid_cents)}"
                 + (f" (of which {', '.join(by)})" if by else "")]
    elif money.billed_cents:
        lines = [f"Paid: nothing recorded (billed {f.money(money.billed_cents)})"]
    else:
        lines = ["Paid: nothing recorded yet"]
    by_source = [
        f"{label} {f.money(money.reimbursed_by(source))}"
        for source, label in SOURCE_LABELS if money.reimbursed_by(source)
    ]
    lines.append(f"Reimbursed: {f.money(money.reimbursed_cents)}"
                 + (f" ({', '.join(by_source)})" if by_source else ""))
    if money.paid_to_provider_cents:
        lines.append(f"Paid to the provider by the plan: {f.money(money.paid_to_provider_cents)} "
                     "(not paid back to you)")
    if money.awaiting_cents:
        waiting = [
            f"{label} {f.money(money.awaiting_from(source))}"
            for source, label in SOURCE_LABELS if money.awaiting_from(source)
        ]
        lines.append(f"Awaiting an answer: {f.money(money.awaiting_cents)} ({', '.join(waiting)})")
    lines.append(f"Outstanding: {f.money(money.outstanding_cents)}")
    if money.inconsistency:
        lines.append(money.inconsistency)
    return lines


def claim_hint(money: TreatmentMoney, destination: str, formats) -> str:
    """What a new claim to ``destination`` may ask for; for an insurer that has already
    decided the treatment, that asking again is an appeal (the bundle refuses it too)."""
    if destination == "insurer" and money.insurer_decided:
        return (f"The insurer has already decided this treatment ({money.decisions[0].words}): "
                "to ask it again, appeal (mark the claim as appealed). Record a new claim only "
                "if the insurer asked for a corrected one.")
    room = formats.money(money.claim_room_cents(destination))
    return f"You can claim up to {room} from {DESTINATION_NAMES[destination]}."


class ClaimsMoneyLabel:
    """The money of one treatment, under its linked claims."""

    def __init__(self, services, formats):
        self.services, self.formats = services, formats
        self.widget = QLabel()
        self.widget.setObjectName("claimsMoney")
        self.widget.setWordWrap(True)
        self.widget.setAccessibleName("This treatment's money")
        self.widget.setStyleSheet("color: palette(placeholder-text);")

    def show_treatment(self, treatment_id: int | None) -> None:
        money = treatment_money(self.services, [treatment_id]).get(treatment_id) if (
            treatment_id is not None) else None
        self.widget.setText("\n".join(money_lines(money, self.formats)) if money else "")
        self.widget.setVisible(money is not None)


class ClaimMoneySection(ShowsOnly, QObject):
    """A RecordDialog section: the chosen treatment's money, and what a claim to the chosen
    destination may still ask for."""

    changed = Signal()

    def __init__(self, services, formats, form):
        super().__init__()
        self.services, self.formats, self.form = services, formats, form
        self.widget = QGroupBox("This treatment's money")
        self.widget.setObjectName("claimMoneySection")
        self.figures = QLabel()
        self.figures.setObjectName("claimMoney")
        self.figures.setWordWrap(True)
        self.claimable = QLabel()
        self.claimable.setObjectName("claimable")
        self.claimable.setWordWrap(True)
        layout = QVBoxLayout(self.widget)
        layout.addWidget(self.figures)
        layout.addWidget(self.claimable)
        self._record = None
        form.edited.connect(self.refresh)

    def _chosen(self) -> tuple[int | None, str | None]:
        inputs = self.form.inputs
        return inputs["treatment_id"].raw(), inputs["destination"].raw()

    def refresh(self) -> None:
        treatment_id, destination = self._chosen()
        money = treatment_money(self.services, [treatment_id]).get(treatment_id) if (
            treatment_id is not None) else None
        if money is None:
            self.figures.setText("Choose the treatment this claim is for.")
            self.claimable.hide()
            return
        self.figures.setText("\n".join(money_lines(money, self.formats)))
        # For a new claim the figures are exactly what it may ask for; a claim being changed
        # is already counted in them, so only the refusal (which leaves it out) speaks then.
        show = self._record is None and destination in DESTINATION_NAMES and money.basis_cents
        if show:
            self.claimable.setText(claim_hint(money, destination, self.formats))
        self.claimable.setVisible(bool(show))

    def refusal(self) -> tuple[str, str] | None:
        """(field, sentence) when the claim as typed asks for more than is left, else None."""
        treatment_id, destination = self._chosen()
        inputs = self.form.inputs
        status = inputs["status"].raw()
        if treatment_id is None or destination is None or status is None:
            return None
        try:
            claimed = inputs["amount_claimed_cents"].value() or 0
            paid = inputs["amount_paid_cents"].value() or 0
            to_provider = inputs["amount_paid_to_provider_cents"].value() or 0
            stake = claim_stake(status, claimed, paid, to_provider)
            check_claim(self.services, treatment_id, destination, stake,
                        exclude_claim_id=self._record.id if self._record is not None else None,
                        determination_id=inputs["determination_id"].raw())
        except ValidationError as error:
            if error.field != "amount_claimed_cents":
                return None  # the form says what is wrong with the field itself
            field = "amount_paid_cents" if status in PAID_STATUSES else "amount_claimed_cents"
            return field, str(error)
        except (RegenLogError, ValueError):
            return None
        return None

    # -- Section protocol ------------------------------------------------------------------
    def load(self, record) -> None:
        self._record = record
        self.refresh()
    # problem() stays None: the refusal is shown beside the amount instead (ClaimDialog).


class ClaimDialog(RecordDialog):
    """The record dialog for a claim, saving through the no-double-counting rule."""

    def _match_payer_to_destination(self) -> None:
        """An HSA/FSA claim goes to an account, an insurer claim to a plan: clear the other
        one when the destination changes, rather than ask the patient to do it."""
        inputs = self.form.inputs
        if "destination" not in inputs:
            return
        destination = inputs["destination"].raw()
        other = {"hsa": "plan_id", "fsa": "plan_id", "insurer": "account_id"}.get(destination)
        if other in inputs and inputs[other].raw() is not None:
            inputs[other].set_value(None)

    def _write(self, values: dict[str, Any]) -> m.Record:
        if self.record is None:
            return create_claim(self.services, **values)
        changed = {k: v for k, v in values.items() if getattr(self.record, k) != v}
        return update_claim(self.services, self.record.id, **changed)

    def _update_state(self, *args) -> None:
        self._match_payer_to_destination()
        super()._update_state(*args)
        section = next((s for s in self.sections if isinstance(s, ClaimMoneySection)), None)
        found = section.refusal() if section is not None else None
        # The form clears its sentences only when it is edited: take back a refusal that no
        # longer holds (one computed while the dialog was loading the claim, for instance).
        shown = getattr(self, "_refusal_shown", None)
        if shown is not None and shown != found:
            label = self.form.sentences[shown[0]]
            if label.text() == shown[1]:
                label.setText("")
                label.hide()
        self._refusal_shown = found
        if found is None:
            return
        field, sentence = found
        label = self.form.sentences[field]
        label.setText(sentence)
        label.show()
        self.save_button.setEnabled(False)
