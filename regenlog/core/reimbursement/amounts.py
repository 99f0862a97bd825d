"""The money rules: what each treatment cost, who paid it, what came back to whom, what is
claimed, and so what is still claimable from each payer. One place, read by the dashboard,
the reports, the claim form, the check and the bundle's statement, cover letter and FHIR.

The dashboard runs this over every treatment (5,000 and more), so nothing here loads one
record at a time: each table is one grouped ``select`` and the figures are put together in
Python. Only live records count; the trash is not money anyone paid or received.

The rules, and why:

- Paid: the sum of the treatment's receipts, by method (card or cash, HSA card, FSA card,
  financing); all of it is the patient's own money. Billed: the sum of its procedure-line
  charges (CMS-1500 box 28), the cost a claim can stand on when nothing is paid yet.
- Payments by a payer (insurer, HSA, FSA) come from claims that are paid, partly paid or
  appealed, and, for the insurer, from EOBs that no live claim links (a claim that links an
  EOB speaks for it, so the same dollars are never counted twice). Each payment went to the
  patient (money paid back) or straight to the provider: the second is the payer's payment,
  never money paid back to the patient.
- Open claims (draft, submitted, pending, appealed) ask for what they claim less what they
  have already paid: that money is awaited, and nothing else may ask for it. A denied claim
  asks for nothing any more.
- Outstanding: paid minus paid back, never below zero. More paid back than paid is an
  inconsistency the patient should see, not a negative figure.
- Overpaid: when the insurer paid the provider and, with the patient's payments, that is
  more than the charges, the provider owes the patient the difference; nobody else is asked
  for it.
- Claimable from a payer (what a bundle asks it to pay back to the patient, and what the
  dashboard counts): what the patient paid, less overpaid, less what was paid back, less what
  any open claim asks, and for an HSA or FSA less what an HSA or FSA card paid (that money is
  tax-free already). Once an HSA or FSA claim counts on the rest, the insurer is not asked
  for the card money either: paying it would leave that claim counting on card money. Nothing from an insurer that has already decided the treatment (an EOB,
  a denial, an appeal decision or a decided claim on file): asking it again is an appeal.
  An appeal asks the insurer for what is left once the HSA and FSA claims are counted.
- Claim room (what a claim typed into the claim form may ask or be paid): the same, counted
  on what was paid or, when nothing was, on what was billed (a claim for a visit not yet
  paid); the insurer's decision does not stop a corrected claim being recorded.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import String, func, type_coerce
from sqlmodel import Session, col

from .. import models as m
from ..enums import ClaimDestination, ClaimStatus, Decision, DeterminationKind, PaymentMethod
from ..money import format_money
from ..ports import Database, HasDatabase, database_of
from ..sql import select_columns
from ..vocabulary import Destination

# Short names for the tables the queries below read.
T, R, L, C, E = m.Treatment, m.Receipt, m.ProcedureLine, m.Claim, m.Determination

SOURCES = (ClaimDestination.insurer, ClaimDestination.hsa, ClaimDestination.fsa)
# Plain text values, so rows read as text and enum members both match.
PAID_STATUSES = frozenset(s.value for s in (ClaimStatus.paid, ClaimStatus.partly_paid))
OPEN_STATUSES = frozenset(
    s.value for s in
    (ClaimStatus.draft, ClaimStatus.submitted, ClaimStatus.pending, ClaimStatus.appealed)
)
# An insurer claim in one of these has the insurer's answer on it.
DECIDED_STATUSES = frozenset(
    s.value for s in
    (ClaimStatus.paid, ClaimStatus.partly_paid, ClaimStatus.denied, ClaimStatus.appealed)
)
_DECIDING_KINDS = (DeterminationKind.eob, DeterminationKind.denial,
                   DeterminationKind.appeal_decision)
_PAYERS = frozenset(ClaimDestination)
_KIND_WORDS = {"eob": "the EOB", "denial": "the denial", "appeal_decision": "the appeal decision"}
# Above this many ids an IN (...) list is slower than reading everything and filtering.
_IN_LIMIT = 900


@dataclass(frozen=True)
class Payment:
    """Money a payer paid for the treatment, to the patient or straight to the provider."""

    source: str  # "insurer", "hsa", "fsa"
    cents: int
    to_provider: bool
    paid_on: dt.date | None
    reference: str  # "EOB GPH-CLM-2603-1185203", "claim 4"
    record: tuple[str, int]  # ("claim", 4) or ("determination", 3)


@dataclass(frozen=True)
class OpenClaim:
    """A claim still waiting for its answer, and what it still asks."""

    claim_id: int
    destination: str
    status: str
    submitted_on: dt.date | None
    cents: int


@dataclass(frozen=True)
class InsurerDecision:
    """A written answer of the insurer on this treatment: after it, asking again is an appeal."""

    words: str  # "the EOB GPH-CLM-2603-1185203 of 2026-04-22"
    record: tuple[str, int]


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
    paid_with_financing_cents: int = 0
    payments: tuple[Payment, ...] = ()
    open_claims: tuple[OpenClaim, ...] = ()
    decisions: tuple[InsurerDecision, ...] = field(default=())
    # Added up by __post_init__ from the payments and open claims.
    _sums: dict[tuple[str, str], int] = field(init=False, repr=False, compare=False)
    _totals: dict[str, int] = field(init=False, repr=False, compare=False)

    # -- who paid, what came back -----------------------------------------------------------
    @property
    def paid_from_accounts_cents(self) -> int:
        """Paid with an HSA or FSA card: tax-free money already, so not claimable from either."""
        return self.paid_with_hsa_card_cents + self.paid_with_fsa_card_cents

    @property
    def paid_out_of_pocket_cents(self) -> int:
        """Paid by card or cash: neither an account nor a lender paid it at the visit."""
        return self.paid_cents - self.paid_from_accounts_cents - self.paid_with_financing_cents

    def __post_init__(self) -> None:
        # Added up once, as plain attributes: the dashboard reads these for thousands of
        # treatments. Sources are plain text ("insurer"); StrEnum members look up the same.
        sums: dict[tuple[str, str], int] = {}
        totals = {"back": 0, "provider": 0, "awaiting": 0}
        for p in self.payments:
            kind = "provider" if p.to_provider else "back"
            sums[kind, p.source] = sums.get((kind, p.source), 0) + p.cents
            totals[kind] += p.cents
        for c in self.open_claims:
            sums["awaiting", c.destination] = sums.get(("awaiting", c.destination), 0) + c.cents
            totals["awaiting"] += c.cents
        object.__setattr__(self, "_sums", sums)
        object.__setattr__(self, "_totals", totals)

    def reimbursed_by(self, source: str) -> int:
        """Paid back to the patient by ``source``."""
        return self._sums.get(("back", source), 0)

    def paid_to_provider_by(self, source: str) -> int:
        return self._sums.get(("provider", source), 0)

    def awaiting_from(self, source: str) -> int:
        return self._sums.get(("awaiting", source), 0)

    @property
    def reimbursed_cents(self) -> int:
        return self._totals["back"]

    @property
    def paid_to_provider_cents(self) -> int:
        return self._totals["provider"]

    @property
    def awaiting_cents(self) -> int:
        return self._totals["awaiting"]

    @property
    def outstanding_cents(self) -> int:
        """Paid and not (yet) paid back by anyone; never negative."""
        return max(0, self.paid_cents - self.reimbursed_cents)

    @property
    def overpaid_cents(self) -> int:
        """What the patient and the insurer together paid the provider beyond the charges:
        the provider owes it back to the patient, so no payer is asked for it."""
        if not self.billed_cents or not self.paid_to_provider_cents:
            return 0
        return max(0, min(self.paid_cents,
                          self.paid_cents + self.paid_to_provider_cents - self.billed_cents))

    @property
    def basis_cents(self) -> int:
        """The most a claim can stand on: what was paid, else what was billed."""
        return self.paid_cents or self.billed_cents

    # -- what can still be asked ------------------------------------------------------------
    @property
    def insurer_decided(self) -> bool:
        return bool(self.decisions)

    @property
    def account_claims_cents(self) -> int:
        """What HSA and FSA claims paid back or still ask."""
        return sum(self.reimbursed_by(s) + self.awaiting_from(s) for s in ("hsa", "fsa"))

    def cards_excluded(self, destination: str) -> bool:
        """Is what an HSA or FSA card paid out of reach of a claim to ``destination``?"""
        return destination in ("hsa", "fsa") or bool(
            self.paid_from_accounts_cents and self.account_claims_cents)

    def _taken(self, destination: str) -> int:
        taken = self.overpaid_cents + self.reimbursed_cents + self.awaiting_cents
        if self.cards_excluded(destination):
            taken += self.paid_from_accounts_cents
        return taken

    def claimable_cents(self, destination: str) -> int:
        """What a bundle to ``destination`` (insurer, hsa, fsa or appeal) asks to be paid back
        to the patient, and what the dashboard counts as still claimable from it."""
        if destination == Destination.appeal:
            # An appeal asks again for what the insurer's own claims were refused or left
            # unpaid; only the HSA's and FSA's open claims are someone else's.
            left = self.paid_cents - self.overpaid_cents - self.reimbursed_cents
            return max(0, left - self.awaiting_from("hsa") - self.awaiting_from("fsa"))
        if destination not in _PAYERS:
            raise ValueError(f"{destination!r} is not a payer")
        if destination == "insurer" and self.decisions:
            return 0
        return max(0, self.paid_cents - self._taken(destination))

    @property
    def still_claimable_cents(self) -> int:
        """The most any one payer could still be asked for (the dashboard's figure). The HSA
        and the FSA are never asked for more than the insurer (they also leave out what their
        cards paid), so that is the insurer's figure, or the HSA's once the insurer decided."""
        return self.claimable_cents("hsa" if self.decisions else "insurer")

    def claim_room_cents(self, destination: str) -> int:
        """What a new claim to ``destination`` may still ask for (the claim form's limit)."""
        target = ClaimDestination(destination).value
        return max(0, self.basis_cents - self._taken(target))

    # -- changed copies, for checking a claim before it is saved ------------------------------
    def without(self, record: tuple[str, int] | None) -> TreatmentMoney:
        """The figures as if this claim (and what it says) or this EOB were not on file."""
        if record is None:
            return self
        return replace(
            self,
            payments=tuple(p for p in self.payments if p.record != record),
            open_claims=tuple(c for c in self.open_claims
                              if ("claim", c.claim_id) != record),
            decisions=tuple(d for d in self.decisions if d.record != record),
        )

    def with_claim(self, claim) -> TreatmentMoney:
        """The figures with ``claim`` (a Claim or a row with its columns) counted in."""
        payments, open_claim, decision = claim_items(claim)
        return replace(
            self, payments=self.payments + payments,
            open_claims=self.open_claims + ((open_claim,) if open_claim else ()),
            decisions=self.decisions + ((decision,) if decision else ()),
        )

    @property
    def inconsistency(self) -> str | None:
        """One sentence when more was paid back than the patient paid, or when the provider
        was paid more than it charged, else None."""
        over = self.reimbursed_cents - self.paid_cents
        if self.paid_cents and over > 0:
            return (
                f"Reimbursements of {format_money(self.reimbursed_cents)} are recorded for this "
                f"{format_money(self.paid_cents)} treatment, {format_money(over)} more than was "
                "paid; check its claims and EOBs."
            )
        if self.overpaid_cents:
            return (
                f"The insurer paid the provider {format_money(self.paid_to_provider_cents)} and "
                f"you paid {format_money(self.paid_cents)}, {format_money(self.overpaid_cents)} "
                f"more than the {format_money(self.billed_cents)} charged: ask the provider to "
                "refund you the difference."
            )
        return None


def claim_stake(status: str, amount_claimed_cents: int, amount_paid_cents: int,
                amount_paid_to_provider_cents: int = 0) -> int:
    """The patient's dollars a claim takes: what it paid back once paid; while open, what it
    asks (an appealed claim: what it paid back plus what it still asks); 0 if denied."""
    status = ClaimStatus(status).value
    if status in PAID_STATUSES:
        return amount_paid_cents
    if status == ClaimStatus.appealed:
        rest = amount_claimed_cents - amount_paid_cents - amount_paid_to_provider_cents
        return amount_paid_cents + max(0, rest)
    if status in OPEN_STATUSES:
        return amount_claimed_cents
    return 0


def claim_items(
    c, reference: str = ""
) -> tuple[tuple[Payment, ...], OpenClaim | None, InsurerDecision | None]:
    """What one claim says: its payments, what it still asks while open, and whether it
    carries the insurer's answer. ``c`` has the Claim's columns (a model or a row);
    ``reference`` names its payments (the linked EOB's number) for a reviewer."""
    destination, status = ClaimDestination(c.destination).value, ClaimStatus(c.status).value
    record = ("claim", c.id)
    if not reference:
        reference = f"your claim of {c.submitted_on}" if c.submitted_on else f"claim {c.id}"
    payments: list[Payment] = []
    if status in PAID_STATUSES or status == ClaimStatus.appealed:
        for cents, to_provider in ((c.amount_paid_cents, False),
                                   (c.amount_paid_to_provider_cents or 0, True)):
            if cents > 0:
                payments.append(Payment(destination, cents, to_provider, c.paid_on,
                                        reference, record))
    open_claim = None
    if status in OPEN_STATUSES:
        asks = claim_stake(status, c.amount_claimed_cents, c.amount_paid_cents,
                           c.amount_paid_to_provider_cents or 0)
        if status == ClaimStatus.appealed:
            asks -= c.amount_paid_cents
        if asks > 0:
            open_claim = OpenClaim(c.id, destination, status, c.submitted_on, asks)
    decision = None
    if destination == "insurer" and status in DECIDED_STATUSES:
        when = f" submitted on {c.submitted_on}" if c.submitted_on else f" (number {c.id})"
        decision = InsurerDecision(
            f"your claim{when}, {ClaimStatus(status).label.lower()}", record)
    return tuple(payments), open_claim, decision


def determination_items(d) -> tuple[tuple[Payment, ...], InsurerDecision | None]:
    """What an EOB, a denial or an appeal decision of the treatment says about money."""
    kind = DeterminationKind(d.kind).value
    record = ("determination", d.id)
    reference = f" {d.reference_number}" if d.reference_number else ""
    payments: list[Payment] = []
    if kind == DeterminationKind.eob:
        for cents, to_provider in ((d.amount_paid_cents, False),
                                   (d.amount_paid_to_provider_cents, True)):
            if cents:
                payments.append(Payment("insurer", cents, to_provider, d.received_on,
                                        f"EOB{reference}", record))
    decided = not (kind == DeterminationKind.eob and Decision(d.decision) == Decision.pending)
    decision = InsurerDecision(
        f"{_KIND_WORDS[kind]}{reference} of {d.received_on}", record) if decided else None
    return tuple(payments), decision


def treatment_money(db: Database | HasDatabase, treatment_ids: Iterable[int] | None = None) -> dict[int, TreatmentMoney]:
    """The money of every live treatment (or of ``treatment_ids``), keyed by treatment id.

    Accepts a Database or a Services. Ids that are unknown or in the trash are left out.
    """
    db = database_of(db)
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

    def scoped(statement: Any, column: Any) -> Any:
        return statement.where(col(column).in_(scope or ())) if narrow else statement

    def text(column: Any) -> Any:
        # Choice columns read as plain text: building thousands of enum members is slow, and
        # StrEnum members compare equal to their text anyway.
        return type_coerce(column, String)

    treatments = {
        row.id: row
        for row in session.exec(scoped(
            select_columns(T.id, T.person_id, T.date_of_service, text(T.category)).where(
                _live(T)), T.id
        ))
        if scope is None or row.id in scope
    }
    figures: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    payments: dict[int, list[Payment]] = defaultdict(list)
    open_claims: dict[int, list[OpenClaim]] = defaultdict(list)
    decisions: dict[int, list[InsurerDecision]] = defaultdict(list)
    by_method = {PaymentMethod.hsa_card: "paid_with_hsa_card",
                 PaymentMethod.fsa_card: "paid_with_fsa_card",
                 PaymentMethod.financing: "paid_with_financing"}

    for tid, method, total in session.exec(scoped(
        select_columns(R.treatment_id, text(R.payment_method), func.sum(R.total_cents))
        .where(_live(R)).group_by(col(R.treatment_id), col(R.payment_method)), R.treatment_id
    )):
        figures[tid]["paid"] += total
        if method in by_method:
            figures[tid][by_method[method]] += total

    for tid, total in session.exec(scoped(
        select_columns(L.treatment_id, func.sum(L.charge_cents)).group_by(col(L.treatment_id)),
        L.treatment_id
    )):
        figures[tid]["billed"] += total

    claims = list(session.exec(scoped(
        select_columns(
            C.id, C.treatment_id, text(C.destination).label("destination"),
            text(C.status).label("status"), C.amount_claimed_cents, C.amount_paid_cents,
            C.amount_paid_to_provider_cents, C.determination_id, C.submitted_on, C.paid_on,
        ).where(_live(C)), C.treatment_id
    )))
    linked = {c.determination_id for c in claims if c.determination_id is not None}
    references: dict[int, str] = {}
    for d in session.exec(scoped(
        select_columns(
            E.id, E.treatment_id, text(E.kind).label("kind"), text(E.decision).label("decision"),
            E.reference_number, E.received_on, E.amount_paid_cents,
            E.amount_paid_to_provider_cents,
        ).where(_live(E), col(E.kind).in_(_DECIDING_KINDS), col(E.treatment_id).is_not(None))
        .order_by(col(E.received_on), col(E.id)), E.treatment_id
    )):
        paid, decision = determination_items(d)
        if d.id not in linked:  # a claim linking this EOB already speaks for its money
            payments[d.treatment_id].extend(paid)
        elif d.reference_number:
            references[d.id] = f"EOB {d.reference_number}"
        if decision is not None:
            decisions[d.treatment_id].append(decision)

    claim_decisions: dict[int, list[InsurerDecision]] = defaultdict(list)
    for c in claims:
        paid, waiting, decision = claim_items(c, references.get(c.determination_id, ""))
        payments[c.treatment_id].extend(paid)
        if waiting is not None:
            open_claims[c.treatment_id].append(waiting)
        if decision is not None:
            claim_decisions[c.treatment_id].append(decision)

    return {
        tid: TreatmentMoney(
            treatment_id=tid, person_id=row[1], date_of_service=row[2], category=row[3],
            payments=tuple(payments.get(tid, ())), open_claims=tuple(open_claims.get(tid, ())),
            # The insurer's written answers first: they are what a reviewer looks up.
            decisions=tuple(decisions.get(tid, ())) + tuple(claim_decisions.get(tid, ())),
            **{f"{key}_cents": value for key, value in figures.get(tid, {}).items()},
        )
        for tid, row in treatments.items()
    }


def _live(model: type[m.Record]) -> Any:
    return col(model.deleted_at).is_(None)
