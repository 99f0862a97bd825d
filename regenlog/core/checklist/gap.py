"""What the documentation check produces: a Gap, and the Rule that declares it.

A ``Rule`` is a small declared unit: its id and severity (PRODUCT.md's table), the record
types it reads, the sentence that says why it matters, the one action that fixes it, the
bundle destinations it matters for, the checklist line, and two functions over the loaded
``Facts``: ``check`` yields the gaps, ``applies`` says whether the rule concerns a treatment
(so the treatment's checklist can show it as done).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only
    from .facts import Context, Facts

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)
SEVERITY_RANK = {ERROR: 0, WARNING: 1, INFO: 2}

INSURER, HSA, FSA, APPEAL = "insurer", "hsa", "fsa", "appeal"
DESTINATIONS = (INSURER, HSA, FSA, APPEAL)

# The PRODUCT.md table, in its order: RULES follows it and tests compare against it.
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
    severity: str
    record_type: str
    record_id: int
    message: str
    fix: str
    treatment_id: int | None
    due: dt.date | None = None

    def as_json(self) -> dict:
        """The ``check --json`` shape, exactly (PRODUCT.md)."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "record_type": self.record_type,
            "record_id": self.record_id,
            "message": self.message,
            "fix": self.fix,
        }


CheckFn = Callable[["Rule", "Facts", "Context"], Iterable[Gap]]
AppliesFn = Callable[["Facts", Any, "Context"], bool]


def _always(_facts, _treatment, _ctx) -> bool:
    return True


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    reads: tuple[str, ...]
    why: str
    fix: str
    destinations: frozenset[str]
    title: str  # the checklist line
    check: CheckFn
    applies: AppliesFn = _always

    def gap(
        self,
        record_type: str,
        record_id: int,
        message: str,
        *,
        treatment_id: int | None,
        fix: str | None = None,
        due: dt.date | None = None,
        severity: str | None = None,
    ) -> Gap:
        """A gap of this rule; ``fix`` and ``severity`` default to the rule's own."""
        return Gap(
            self.id, severity or self.severity, record_type, record_id, message,
            fix or self.fix, treatment_id, due,
        )

    def runs_for(self, destination: str | None) -> bool:
        """Without a destination every rule runs; with one, only the rules it needs."""
        return destination is None or destination in self.destinations

    def __call__(self, facts: Facts, ctx: Context) -> Iterator[Gap]:
        yield from self.check(self, facts, ctx)


def rule(
    id: str,
    severity: str,
    *,
    title: str,
    reads: tuple[str, ...],
    why: str,
    fix: str,
    destinations: Iterable[str] = (),
    applies: AppliesFn = _always,
) -> Callable[[CheckFn], Rule]:
    """Declare a rule over the function that finds its gaps.

    The function is called as ``check(rule, facts, ctx)`` and yields ``rule.gap(...)``.
    """
    if id not in RULE_IDS:
        raise ValueError(f"{id} is not a rule id of PRODUCT.md's table")
    if severity not in SEVERITIES:
        raise ValueError(f"{severity} is not a severity")
    unknown = set(destinations) - set(DESTINATIONS)
    if unknown:
        raise ValueError(f"unknown destinations {sorted(unknown)}")

    def declare(check: CheckFn) -> Rule:
        return Rule(
            id=id, severity=severity, reads=tuple(reads), why=why, fix=fix,
            destinations=frozenset(destinations), title=title, check=check, applies=applies,
        )

    return declare
