"""What is due next: the deadlines the records imply, for the dashboard and the calendar.

The date arithmetic is ``deadlines.py``'s; this module decides which records start a clock
and which clocks have stopped. The documentation check reports the same rules as gaps with
severities; this is the plain list, sorted by date, of everything due from ``today`` up to
``horizon_days`` later (a deadline already past cannot be met any more, so it is not listed).

Which records start a clock, and why:

- Internal appeal (180 days): a live denial (a determination of kind denial, or any written
  answer whose decision is "denied") that is not final, unless a later appeal decision on
  the same treatment (or plan) is on file or a claim it concerns is marked appealed.
- External review (4 months): a final internal denial (``is_final``), unless a later
  appeal decision on the same treatment (or plan) is on file: that is the review's answer.
- Claim filing: a treatment linked to a plan with a filing limit (Medicare: 12 months, or
  the plan's own limit if shorter), with something paid or billed, and no insurer claim
  beyond a draft.
- FSA: each live FSA with a plan-year end; a setting the deadline arithmetic refuses (a
  run-out with no days) falls back to the plan-year end, the earliest the money can expire.
- Good Faith Estimate dispute: an estimate linked to a treatment whose bill (what was paid,
  else what was billed) is at least $400 over it; 120 days from the first payment (for
  cash-pay care the receipt is the bill), else from the date of service. The bill's own date
  is not recorded, so the detail sentence says to count from it if it is earlier.
- Letter of medical necessity: a letter's ``valid_until``, unless a later-expiring letter of
  the same person names every diagnosis it names (it has been renewed).
- Financing: a deferred-interest promotion's end while a balance is left.

An HSA expense dated before the HSA was opened is not a date to act by: the documentation
check reports it (``hsa.before_opened``), and it is not listed here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col

from . import deadlines as dl
from . import models as m
from .dates import add_months
from .enums import (
    AccountKind,
    Category,
    ClaimDestination,
    ClaimStatus,
    Decision,
    DeterminationKind,
    PlanType,
    Side,
)
from .errors import ValidationError
from .financing import FinancingTerms, balance_on, summarize
from .money import format_money
from .ports import Database, HasDatabase, database_of
from .reimbursement.amounts import load_money
from .sql import select_columns

# Short names for the tables the queries below read.
T, P, C, E, A = m.Treatment, m.InsurancePlan, m.Claim, m.Determination, m.Account
G, R, N, ND = m.GoodFaithEstimate, m.Receipt, m.MedicalNecessityLetter, m.LetterDiagnosis
F, FP = m.FinancingPlan, m.FinancingPayment

_KIND_ORDER = {
    kind: i for i, kind in enumerate((
        "internal_appeal", "external_review", "claim_filing", "medicare_filing", "fsa_claims",
        "gfe_dispute", "promo_end", "lmn_expiry",
    ))
}
_SHORT: dict[str, str] = {
    Category.stem_cell_bone_marrow: "bone-marrow stem-cell",
    Category.stem_cell_adipose: "adipose stem-cell",
    Category.prp: "PRP",
    Category.iv_therapy: "IV therapy",
    Category.consultation: "consultation",
    Category.imaging: "imaging",
    Category.follow_up: "follow-up",
}


@dataclass(frozen=True)
class UpcomingDeadline:
    """One date to act by, the record that starts its clock and whose it is.

    ``title`` is the short line a list or a calendar shows ("Appeal deadline: right knee PRP
    denial (ref 12345)"); ``detail`` is an optional extra sentence (e.g. the back-interest
    warning); ``deadline.rule`` says where the rule comes from.
    """

    deadline: dl.Deadline
    record_type: str
    record_id: int
    person_name: str
    title: str
    detail: str = ""

    @property
    def kind(self) -> str:
        return self.deadline.kind

    @property
    def due(self) -> dt.date:
        return self.deadline.due

    def days_left(self, today: dt.date) -> int:
        return (self.deadline.due - today).days


def upcoming_deadlines(db: Database | HasDatabase, today: dt.date, horizon_days: int = 120) -> list[UpcomingDeadline]:
    """Every deadline due from ``today`` to ``today + horizon_days``, soonest first."""
    if not isinstance(today, dt.date) or isinstance(today, dt.datetime):
        raise TypeError(f"today must be a date, got {today!r}")
    if not isinstance(horizon_days, int) or horizon_days < 0:
        raise ValidationError("Look ahead a whole number of days, 0 or more.")
    db = database_of(db)
    with db.session() as session:
        found = _Finder(session, today, horizon_days).all()
    kept = [u for u in found if dl.within(today, u.deadline, horizon_days)]
    return sorted(kept, key=lambda u: (
        u.due, _KIND_ORDER.get(u.kind, 99), u.person_name, u.record_type, u.record_id,
    ))


def treatment_phrase(category: str, body_site: str = "", side: str = "", description: str = "") -> str:
    """"right knee PRP": what the patient calls it, with no more medical detail than that."""
    what = _SHORT.get(category) or (description.strip() or "treatment")
    side_text = side if side and side != Side.none else ""
    return " ".join(part for part in (side_text, body_site.strip(), what) if part)


def _live(model: type[m.Record]) -> Any:
    return col(model.deleted_at).is_(None)


def _answered(denial, decisions) -> bool:
    """A later appeal decision on the same treatment (or plan) answers the denial."""
    for a in decisions:
        if a.id == denial.id or a.received_on < denial.received_on:
            continue
        if denial.treatment_id is not None:
            if a.treatment_id == denial.treatment_id:
                return True
        elif denial.plan_id is None or a.plan_id == denial.plan_id:
            return True
    return False


class _Finder:
    """Loads the records once, then each ``_kind`` method turns some of them into deadlines."""

    def __init__(self, session: Session, today: dt.date, horizon: int):
        self.s, self.today, self.horizon = session, today, horizon
        self.people = dict(session.exec(select_columns(m.Person.id, m.Person.name)).all())
        self.treatments = {r.id: r for r in session.exec(select_columns(
            T.id, T.person_id, T.plan_id, T.date_of_service, T.category, T.body_site, T.side,
            T.description,
        ).where(_live(T)))}
        self.plans = {r.id: r for r in session.exec(
            select_columns(P.id, P.insurer, P.plan_type, P.filing_limit_days).where(_live(P))
        )}
        self.claims = list(session.exec(select_columns(
            C.id, C.treatment_id, C.destination, C.status, C.determination_id,
        ).where(_live(C))))

    def all(self) -> list[UpcomingDeadline]:
        return [
            *self._appeals(), *self._claim_filing(), *self._fsa(), *self._estimates(),
            *self._letters(), *self._financing(),
        ]

    def _item(self, deadline, record_type, record_id, person_id, title, detail=""):
        return UpcomingDeadline(
            deadline, record_type, record_id, self.people.get(person_id, ""), title, detail
        )

    def _subject(self, treatment_id: int | None, plan_id: int | None) -> str:
        t = self.treatments.get(treatment_id) if treatment_id else None
        if t is not None:
            return treatment_phrase(t.category, t.body_site, t.side, t.description)
        plan = self.plans.get(plan_id) if plan_id else None
        return plan.insurer if plan is not None else "insurer"

    # -- appeals -------------------------------------------------------------------------
    def _appeals(self) -> list[UpcomingDeadline]:
        answers = list(self.s.exec(select_columns(
            E.id, E.person_id, E.plan_id, E.treatment_id, E.kind, E.decision,
            E.reference_number, E.received_on, E.is_final,
        ).where(_live(E))))
        decisions: dict[int, list] = defaultdict(list)  # person -> appeal decisions
        for a in answers:
            if a.kind == DeterminationKind.appeal_decision:
                decisions[a.person_id].append(a)
        appealed = [c for c in self.claims if c.status == ClaimStatus.appealed]
        appealed_answers = {c.determination_id for c in appealed}
        appealed_treatments = {c.treatment_id for c in appealed}
        out = []
        for d in answers:
            adverse = d.kind == DeterminationKind.denial or d.decision == Decision.denied
            if not adverse or d.kind == DeterminationKind.call_summary:
                continue
            if _answered(d, decisions[d.person_id]):
                continue
            if not d.is_final and (
                d.id in appealed_answers or d.treatment_id in appealed_treatments
            ):
                continue  # a claim it concerns is marked appealed
            subject = self._subject(d.treatment_id, d.plan_id)
            ref = f" (ref {d.reference_number})" if d.reference_number else ""
            if d.is_final:
                deadline = dl.external_review_deadline(d.received_on)
                title = f"External review deadline: {subject} final denial{ref}"
            else:
                deadline = dl.internal_appeal_deadline(d.received_on)
                title = f"Appeal deadline: {subject} denial{ref}"
            out.append(self._item(deadline, "determination", d.id, d.person_id, title))
        return out

    # -- claim filing --------------------------------------------------------------------
    def _claim_filing(self) -> list[UpcomingDeadline]:
        filed = {
            c.treatment_id for c in self.claims
            if c.destination == ClaimDestination.insurer and c.status != ClaimStatus.draft
        }
        due: dict[int, dl.Deadline] = {}
        for tid, t in self.treatments.items():
            plan = self.plans.get(t.plan_id)
            if plan is None or tid in filed:
                continue
            options = []
            if plan.filing_limit_days:
                options.append(dl.claim_filing_deadline(t.date_of_service, plan.filing_limit_days))
            if plan.plan_type == PlanType.medicare:
                options.append(dl.medicare_filing_deadline(t.date_of_service))
            if options:
                deadline = min(options, key=lambda d: d.due)
                if dl.within(self.today, deadline, self.horizon):
                    due[tid] = deadline
        # Only then the money: a treatment with nothing paid or billed needs no claim.
        money = load_money(self.s, due) if due else {}
        out = []
        for tid, deadline in due.items():
            if money.get(tid) is None or money[tid].basis_cents == 0:
                continue
            t = self.treatments[tid]
            subject = treatment_phrase(t.category, t.body_site, t.side, t.description)
            insurer = self.plans[t.plan_id].insurer
            title = f"Claim filing deadline: {subject} on {t.date_of_service} ({insurer})"
            out.append(self._item(deadline, "treatment", tid, t.person_id, title))
        return out

    # -- FSA -----------------------------------------------------------------------------
    def _fsa(self) -> list[UpcomingDeadline]:
        out = []
        for a in self.s.exec(select_columns(
            A.id, A.person_id, A.administrator, A.plan_year_end, A.extension,
            A.grace_period_end, A.run_out_days,
        ).where(_live(A), A.kind == AccountKind.fsa, col(A.plan_year_end).is_not(None))):
            try:
                deadline = dl.fsa_claims_deadline(
                    a.plan_year_end, str(a.extension), a.grace_period_end, a.run_out_days
                )
            except ValidationError:
                deadline = dl.fsa_claims_deadline(a.plan_year_end)
            who = f" ({a.administrator})" if a.administrator else ""
            out.append(self._item(deadline, "account", a.id, a.person_id, f"{deadline.label}{who}"))
        return out

    # -- Good Faith Estimates ------------------------------------------------------------
    def _estimates(self) -> list[UpcomingDeadline]:
        estimates = [
            g for g in self.s.exec(select_columns(
                G.id, G.person_id, G.treatment_id, G.total_cents,
            ).where(_live(G), col(G.treatment_id).is_not(None)))
            if g.treatment_id in self.treatments
        ]
        if not estimates:
            return []
        tids = {g.treatment_id for g in estimates}
        money = load_money(self.s, tids)
        first_paid = dict(self.s.exec(
            select_columns(R.treatment_id, func.min(R.paid_on))
            .where(_live(R), col(R.treatment_id).in_(tids)).group_by(R.treatment_id)
        ).all())
        out = []
        for g in estimates:
            t, spent = self.treatments[g.treatment_id], money[g.treatment_id]
            bill = dl.gfe_billed_cents(spent.billed_cents, spent.paid_cents)
            if not dl.gfe_overage(bill, g.total_cents):
                continue
            paid_on = first_paid.get(t.id)
            deadline = dl.gfe_dispute_deadline(paid_on or t.date_of_service)
            subject = treatment_phrase(t.category, t.body_site, t.side, t.description)
            over = format_money(bill - g.total_cents)
            title = f"Good Faith Estimate dispute: {subject} billed {over} over the estimate"
            counted = f"the first payment on {paid_on}" if paid_on else (
                f"the date of service, {t.date_of_service}"
            )
            detail = (
                f"The bill of {format_money(bill)} is {over} more than the estimate of "
                f"{format_money(g.total_cents)}; counted from {counted} (if the bill is dated "
                "earlier, count from the bill's date)."
            )
            out.append(self._item(deadline, "good_faith_estimate", g.id, g.person_id, title, detail))
        return out

    # -- letters of medical necessity ----------------------------------------------------
    def _letters(self) -> list[UpcomingDeadline]:
        letters = list(self.s.exec(select_columns(
            N.id, N.person_id, N.physician_name, N.written_on, N.valid_until,
        ).where(_live(N))))
        codes: dict[int, set[str]] = defaultdict(set)
        for lid, code in self.s.exec(select_columns(ND.letter_id, ND.code)):
            codes[lid].add(code.strip().upper().replace(".", ""))

        def renewed(letter) -> bool:
            return any(
                other.id != letter.id and other.person_id == letter.person_id
                and (other.valid_until is None or other.valid_until > letter.valid_until)
                and codes[letter.id] <= codes[other.id]
                for other in letters
            )

        out = []
        for letter in letters:
            if letter.valid_until is None or letter.valid_until < self.today or renewed(letter):
                continue
            deadline = dl.lmn_expiry_warning(letter.valid_until, self.today, self.horizon)
            if deadline is None:
                continue
            doctor = f" from {letter.physician_name}" if letter.physician_name else ""
            title = f"Renew the letter of medical necessity{doctor} (written {letter.written_on})"
            out.append(self._item(deadline, "medical_necessity_letter", letter.id, letter.person_id, title))
        return out

    # -- financing -----------------------------------------------------------------------
    def _financing(self) -> list[UpcomingDeadline]:
        plans = list(self.s.exec(select_columns(
            F.id, F.person_id, F.lender, F.amount_cents, F.purchase_date, F.promo_months,
            F.promo_end, F.promo_apr_bp, F.standard_apr_bp, F.minimum_payment_cents,
        ).where(_live(F), col(F.deferred_interest).is_(True))))
        if not plans:
            return []
        payments: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
        for pid, day, cents in self.s.exec(select_columns(FP.plan_id, FP.paid_on, FP.amount_cents)):
            payments[pid].append((day, cents))
        out = []
        for p in plans:
            end = p.promo_end or (
                add_months(p.purchase_date, p.promo_months) if p.promo_months else None
            )
            if end is None:
                continue
            try:
                terms = FinancingTerms(
                    amount_cents=p.amount_cents, purchase_date=p.purchase_date, promo_end=end,
                    standard_apr_bp=p.standard_apr_bp, promo_apr_bp=p.promo_apr_bp,
                    minimum_payment_cents=p.minimum_payment_cents,
                    payments=tuple(payments.get(p.id, ())),
                )
            except ValidationError:
                continue  # the financing page says what is wrong with the plan
            balance = balance_on(self.today, terms)
            if balance == 0:
                continue
            deadline = dl.promo_end_deadline(end, p.purchase_date)
            title = f"Promotion ends: pay the {format_money(balance)} left on {p.lender}"
            detail = summarize(self.today, terms).warning or ""
            out.append(self._item(deadline, "financing_plan", p.id, p.person_id, title, detail))
        return out
