"""What the documentation check produces: a Gap, and the Rule that declares it.

A ``Rule`` is a small declared unit: its id and severity (the table in docs/rules.md), the
record types it reads, the sentence that says why it matters, the one action that fixes it, the
bundle destinations it matters for, whether it is about the patient's own money and
deadlines (then it runs whatever the destination, since no bundle makes those go away), the
checklist line, and functions over the loaded ``Facts``: ``check`` yields the gaps,
``applies`` says whether the rule concerns a treatment, and ``pending`` says, when nothing
is due yet, why the line is still not done (a claim not filed, a balance not paid off): a
checklist line is "Done" only when what it names exists and holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..vocabulary import About, Destination, Severity

if TYPE_CHECKING:  # annotations only
    from .facts import Context, Facts
    from .rows import TreatmentRow

# The bundles a rule's paperwork matters for, as the rules name them.
EVERY_BUNDLE = tuple(Destination)
# A claim to any payer; an appeal reuses the paperwork of the claim it appeals.
CLAIM_BUNDLES = (Destination.insurer, Destination.hsa, Destination.fsa)
# What the insurer reads, on the first claim or on appeal.
INSURER_BUNDLES = (Destination.insurer, Destination.appeal)

# The table of docs/rules.md, in its order: RULES follows it and tests compare against it.
RULE_IDS = (
    "receipt.missing",
    "receipt.not_itemized",
    "payment.no_proof",
    "dx.missing",
    "dx.invalid",
    "px.missing",
    "px.invalid",
    "provider.incomplete",
    "lmn.missing",
    "lmn.expired",
    "call.incomplete",
    "call.unconfirmed",
    "call.not_a_guarantee",
    "preauth.missing",
    "iv.no_lab",
    "imaging.no_indication",
    "claim.filing_deadline",
    "appeal.deadline",
    "hsa.before_opened",
    "fsa.deadline",
    "financing.promo_ending",
    "gfe.overage",
)

@dataclass(frozen=True)
class Gap:
    """One missing or wrong piece of paperwork, on one record."""

    rule: str
    severity: Severity
    record_type: str
    record_id: int
    message: str
    fix: str
    treatment_id: int | None
    due: dt.date | None = None
    about: About = About.bundle

    def as_json(self) -> dict[str, object]:
        """The ``check --json`` shape (docs/command-line.md: six keys, then what it is
        about); the enums are written as their strings."""
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "record_type": self.record_type,
            "record_id": self.record_id,
            "message": self.message,
            "fix": self.fix,
            "about": str(self.about),
        }


CheckFn = Callable[["Rule", "Facts", "Context"], Iterable[Gap]]
AppliesFn = Callable[["Facts", "TreatmentRow", "Context"], bool]
PendingFn = Callable[["Facts", "TreatmentRow", "Context"], "str | None"]


def _always(_facts: Facts, _treatment: TreatmentRow, _ctx: Context) -> bool:
    return True


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    reads: tuple[str, ...]
    why: str
    fix: str
    destinations: frozenset[Destination]
    title: str  # the checklist line
    check: CheckFn
    applies: AppliesFn = _always
    patient: bool = False  # about the patient's own money and deadlines
    pending: PendingFn | None = None

    def gap(
        self,
        record_type: str,
        record_id: int,
        message: str,
        *,
        treatment_id: int | None,
        fix: str | None = None,
        due: dt.date | None = None,
        severity: Severity | None = None,
    ) -> Gap:
        """A gap of this rule; ``fix`` and ``severity`` default to the rule's own."""
        return Gap(
            self.id, severity or self.severity, record_type, record_id, message,
            fix or self.fix, treatment_id, due,
        )

    def runs_for(self, destination: str | None) -> bool:
        """Without a destination every rule runs; with one, the rules its bundle needs and
        every rule about the patient's own money and deadlines."""
        return destination is None or destination in self.destinations or self.patient

    def about(self, destination: str | None) -> About:
        """``bundle`` for paperwork (the chosen bundle's, or any bundle's without one),
        ``patient`` for the patient's own money and deadlines outside the chosen bundle."""
        if destination is not None and destination in self.destinations:
            return About.bundle
        return About.patient if self.patient else About.bundle

    def still_open(self, facts: Facts, treatment: TreatmentRow, ctx: Context) -> str | None:
        """Why this applying line with no gap is not done yet, or None when it holds."""
        return self.pending(facts, treatment, ctx) if self.pending else None

    def __call__(self, facts: Facts, ctx: Context) -> Iterator[Gap]:
        yield from self.check(self, facts, ctx)


def rule(
    id: str,
    severity: Severity,
    *,
    title: str,
    reads: tuple[str, ...],
    why: str,
    fix: str,
    destinations: Iterable[Destination] = (),
    applies: AppliesFn = _always,
    patient: bool = False,
    pending: PendingFn | None = None,
) -> Callable[[CheckFn], Rule]:
    """Declare a rule over the function that finds its gaps.

    The function is called as ``check(rule, facts, ctx)`` and yields ``rule.gap(...)``.
    """
    if id not in RULE_IDS:
        raise ValueError(f"{id} is not a rule id of the table in docs/rules.md")
    severity = Severity(severity)  # raises for anything that is not one
    destinations = frozenset(Destination(d) for d in destinations)

    def declare(check: CheckFn) -> Rule:
        return Rule(
            id=id, severity=severity, reads=tuple(reads), why=why, fix=fix,
            destinations=destinations, title=title, check=check, applies=applies,
            patient=patient, pending=pending,
        )

    return declare
