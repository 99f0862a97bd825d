"""How much each treatment cost, how much came back and from whom, in a few bulk queries.

The dashboard runs this over every treatment (5,000 and more), so nothing here loads one
record at a time: each table is one grouped ``select`` and the figures are put together in
Python. Only live records count; the trash is not money anyone paid or received.

The rules, and why:

- Paid: the sum of the treatment's receipts. Billed: the sum of its procedure-line charges,
  used only as the amount that can be claimed when nothing is recorded as paid (a visit
  billed and not yet paid can still be claimed from the insurer).
- Reimbursed, per source (insurer, HSA, FSA): the amount paid on claims whose status is
  ``paid`` or ``partly_paid``; for the insurer also the amount paid on each EOB of the
  treatment that no live claim links. A claim that links an EOB speaks for it (the patient
  keeps the claim's status and amount current), so the same dollars are never counted twice.
- Awaiting: the amount asked on claims still open (draft, submitted, pending, appealed).
  A denied claim asks for nothing any more; a paid one counts by what it paid.
- Outstanding: paid minus reimbursed, never below zero. More reimbursed than paid is an
  inconsistency the patient should see, not a negative figure. When nothing was paid an
  insurer payment went to the provider, so it is not an inconsistency then.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import String, func, type_coerce
from sqlmodel import Session, col, select

from .. import models as m
from ..enums import ClaimDestination, ClaimStatus, DeterminationKind, PaymentMethod
from ..money import format_money

SOURCES = (ClaimDestination.insurer, ClaimDestination.hsa, ClaimDestination.fsa)
SOURCE_NAMES = {"insurer": "the insurer", "hsa": "the HSA", "fsa": "the FSA"}
# Plain text values, so rows read as text and enum members both match.
PAID_STATUSES = frozenset(s.value for s in (ClaimStatus.paid, ClaimStatus.partly_paid))
OPEN_STATUSES = frozenset(
    s.value for s in
    (ClaimStatus.draft, ClaimStatus.submitted, ClaimStatus.pending, ClaimStatus.appealed)
)
# Above this many ids an IN (...) list is slower than reading everything and filtering.
_IN_LIMIT = 900


@dataclass(frozen=True)
class TreatmentMoney:
    """The money of one treatment, in cents. See the module docstring for the rules."""

    treatment_id: int
    person_id: int
    date_of_service: dt.date
    category: str
    paid_cents: int = 0
    billed_cents: int = 0
    paid_with_hsa_card_cents: int = 0
    paid_with_fsa_card_cents: int = 0
    reimbursed_insurer_cents: int = 0
    reimbursed_hsa_cents: int = 0
    reimbursed_fsa_cents: int = 0
    awaiting_insurer_cents: int = 0
    awaiting_hsa_cents: int = 0
    awaiting_fsa_cents: int = 0

    def reimbursed_by(self, source: str) -> int:
        return getattr(self, f"reimbursed_{ClaimDestination(source).value}_cents")

    def awaiting_from(self, source: str) -> int:
        return getattr(self, f"awaiting_{ClaimDestination(source).value}_cents")

    @property
    def reimbursed_cents(self) -> int:
        return self.reimbursed_insurer_cents + self.reimbursed_hsa_cents + self.reimbursed_fsa_cents

    @property
    def awaiting_cents(self) -> int:
        return self.awaiting_insurer_cents + self.awaiting_hsa_cents + self.awaiting_fsa_cents

    @property
    def outstanding_cents(self) -> int:
        """Paid and not (yet) reimbursed by anyone; never negative."""
        return max(0, self.paid_cents - self.reimbursed_cents)

    @property
    def paid_from_accounts_cents(self) -> int:
        """Paid with an HSA or FSA card: tax-free money already, so not claimable from either."""
        return self.paid_with_hsa_card_cents + self.paid_with_fsa_card_cents

    @property
    def basis_cents(self) -> int:
        """The most that can ever be claimed in all: what was paid, else what was billed."""
        return self.paid_cents or self.billed_cents

    def claimable_cents(self, destination: str) -> int:
        """What a new claim to ``destination`` may still ask for: the basis less what was
        reimbursed, what open claims ask for and, for the HSA or FSA, what an HSA or FSA card
        already paid."""
        taken = self.reimbursed_cents + self.awaiting_cents
        if ClaimDestination(destination) is not ClaimDestination.insurer:
            taken += self.paid_from_accounts_cents
        return max(0, self.basis_cents - taken)

    @property
    def inconsistency(self) -> str | None:
        """One sentence when more was reimbursed than the patient paid, else None."""
        over = self.reimbursed_cents - self.paid_cents
        if self.paid_cents == 0 or over <= 0:
            return None
        return (
            f"Reimbursements of {format_money(self.reimbursed_cents)} are recorded for this "
            f"{format_money(self.paid_cents)} treatment, {format_money(over)} more than was "
            "paid; check its claims and EOBs."
        )


def treatment_money(db, treatment_ids: Iterable[int] | None = None) -> dict[int, TreatmentMoney]:
    """The money of every live treatment (or of ``treatment_ids``), keyed by treatment id.

    Accepts a Database or a Services. Ids that are unknown or in the trash are left out.
    """
    db = getattr(db, "db", db)
    with db.session() as session:
        return load_money(session, treatment_ids)


def load_money(
    session: Session, treatment_ids: Iterable[int] | None = None
) -> dict[int, TreatmentMoney]:
    """``treatment_money`` inside a caller's session (five queries whatever the count)."""
    scope = None if treatment_ids is None else frozenset(int(t) for t in treatment_ids)
    if scope is not None and not scope:
        return {}
    narrow = scope is not None and len(scope) <= _IN_LIMIT

    def scoped(statement, column):
        return statement.where(col(column).in_(scope)) if narrow else statement

    def text(column):
        # Choice columns read as plain text: building thousands of enum members is slow, and
        # StrEnum members compare equal to their text anyway.
        return type_coerce(column, String)

    T, R, L, C, E = m.Treatment, m.Receipt, m.ProcedureLine, m.Claim, m.Determination
    treatments = {
        row.id: row
        for row in session.exec(scoped(
            select(T.id, T.person_id, T.date_of_service, text(T.category)).where(_live(T)), T.id
        ))
        if scope is None or row.id in scope
    }
    figures: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    for tid, method, total in session.exec(scoped(
        select(R.treatment_id, text(R.payment_method), func.sum(R.total_cents))
        .where(_live(R)).group_by(R.treatment_id, R.payment_method), R.treatment_id
    )):
        figures[tid]["paid"] += total
        if method == PaymentMethod.hsa_card:
            figures[tid]["paid_with_hsa_card"] += total
        elif method == PaymentMethod.fsa_card:
            figures[tid]["paid_with_fsa_card"] += total

    for tid, total in session.exec(scoped(
        select(L.treatment_id, func.sum(L.charge_cents)).group_by(L.treatment_id), L.treatment_id
    )):
        figures[tid]["billed"] += total

    linked_eobs: set[int] = set()
    for tid, destination, status, claimed, paid, determination_id in session.exec(scoped(
        select(
            C.treatment_id, text(C.destination), text(C.status), C.amount_claimed_cents,
            C.amount_paid_cents, C.determination_id,
        ).where(_live(C)), C.treatment_id
    )):
        if determination_id is not None:
            linked_eobs.add(determination_id)
        source = destination
        if status in PAID_STATUSES:
            figures[tid][f"reimbursed_{source}"] += paid
        elif status in OPEN_STATUSES:
            figures[tid][f"awaiting_{source}"] += claimed

    for eob_id, tid, paid in session.exec(scoped(
        select(E.id, E.treatment_id, E.amount_paid_cents).where(
            _live(E), E.kind == DeterminationKind.eob, col(E.treatment_id).is_not(None),
            col(E.amount_paid_cents).is_not(None),
        ), E.treatment_id
    )):
        if eob_id not in linked_eobs:
            figures[tid]["reimbursed_insurer"] += paid

    return {
        tid: TreatmentMoney(
            treatment_id=tid, person_id=row[1], date_of_service=row[2], category=row[3],
            **{f"{key}_cents": value for key, value in figures.get(tid, {}).items()},
        )
        for tid, row in treatments.items()
    }


def _live(model):
    return col(model.deleted_at).is_(None)
