"""Running the rules: the whole check, one treatment's checklist."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from ..codes import CODE_SET_VERSION
from ..errors import NotFoundError
from ..ports import Database
from ..vocabulary import About, Destination, Severity, check_destination
from .facts import Context, Facts
from .gap import Gap, Rule
from .loader import load_facts
from .rules import RULES


@dataclass
class CheckResult:
    """The gaps, sorted errors first, then warnings, then info, then by treatment date.

    With a destination, ``gaps`` holds the bundle's paperwork and the patient's own money and
    deadlines (each Gap says which in ``about``); ``others`` counts what the rules of other
    destinations found, so no report can call the records complete while they are not."""

    gaps: list[Gap]
    code_set_version: str  # the ICD-10-CM set the diagnosis checks used ("FY2026")
    today: dt.date | None = None
    destination: Destination | None = None
    others: int = 0
    _by_treatment: dict[int | None, list[Gap]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def counts_by_severity(self) -> dict[Severity, int]:
        counts = dict.fromkeys(Severity, 0)
        for gap in self.gaps:
            counts[gap.severity] += 1
        return counts

    def for_treatment(self, treatment_id: int | None) -> list[Gap]:
        """The gaps grouped under this treatment (None: those tied to no treatment)."""
        if not self._by_treatment and self.gaps:
            for gap in self.gaps:
                self._by_treatment.setdefault(gap.treatment_id, []).append(gap)
        return list(self._by_treatment.get(treatment_id, ()))

    @property
    def has_errors(self) -> bool:
        return any(gap.severity == Severity.error for gap in self.gaps)


@dataclass(frozen=True)
class ChecklistItem:
    """One line of a treatment's checklist: done means the rule applies, found nothing, and
    what it names exists and holds; ``note`` says what is still to do when nothing is due."""

    rule: Rule
    applies: bool
    done: bool
    gaps: list[Gap]
    note: str | None = None
    about: About = About.bundle


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while the check runs.

    Loading builds ~100,000 small tuples; each few hundred allocations trigger a collection
    that walks every live container, which cost a third of the run. Nothing here makes
    reference cycles, so plain reference counting frees it all; the collector is restored
    (if it was on) as soon as the check ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _rules_for(destination: str | None) -> list[Rule]:
    return [rule for rule in RULES.values() if rule.runs_for(destination)]


def evaluate(facts: Facts, ctx: Context) -> CheckResult:
    """Run every rule over already-loaded facts and sort what they find; with a destination,
    the findings of rules it does not run are only counted (``others``)."""
    gaps: list[Gap] = []
    others: list[Gap] = []
    for rule in RULES.values():
        found = list(rule(facts, ctx))
        if not rule.runs_for(ctx.destination):
            others.extend(found)
            continue
        about = rule.about(ctx.destination)
        gaps.extend(found if about == About.bundle else [replace(g, about=about) for g in found])
    if facts.scope is not None:
        # Person-level records (calls, letters, financing) can belong to other treatments.
        def in_scope(g: Gap) -> bool:
            return g.treatment_id is None or g.treatment_id in facts.treatments

        gaps = [g for g in gaps if in_scope(g)]
        others = [g for g in others if in_scope(g)]
    # Errors, then warnings, then info; then by the treatment's date (records not tied to a
    # treatment last). The rules run in table order, so the stable sort keeps that order
    # within a treatment. Decorated in one comprehension: no Python call per comparison.
    get, far = facts.treatments.get, dt.date.max
    rank = {severity: severity.rank for severity in Severity}
    decorated = [
        (rank[g.severity],
         t.date_of_service if (t := get(g.treatment_id or 0)) is not None else far,
         g.treatment_id or 0, i)
        for i, g in enumerate(gaps)
    ]
    decorated.sort()
    gaps = [gaps[d[3]] for d in decorated]
    return CheckResult(gaps, CODE_SET_VERSION, ctx.today, ctx.destination, len(others))


def run_check(
    db: Database,
    *,
    today: dt.date,
    destination: str | None = None,
    treatment_ids: Iterable[int] | None = None,
) -> CheckResult:
    """Every gap over all live records (or the chosen treatments and their people's calls,
    letters and accounts): with a destination, what its bundle needs and what concerns the
    patient's own money and deadlines; with None, everything."""
    destination = None if destination is None else check_destination(destination)
    if not isinstance(today, dt.date) or isinstance(today, dt.datetime):
        raise TypeError(f"today must be a date, got {today!r}")
    with gc_paused():
        facts = load_facts(db, treatment_ids)
        result = evaluate(facts, Context(today, destination))
        # Free the facts by reference counting before the collector is back on, so its
        # first pass does not have to walk them.
        del facts
    return result


def treatment_checklist(
    db: Database, treatment_id: int, *, today: dt.date, destination: str | None = None
) -> list[ChecklistItem]:
    """Every rule (that runs for the destination) in table order, for one treatment: whether
    it applies, whether it is done (applies, found nothing, and what it names holds), what is
    still to do when nothing is due yet, and the gaps it found on this treatment."""
    destination = None if destination is None else check_destination(destination)
    with gc_paused():
        return _checklist(load_facts(db, [treatment_id]), treatment_id, today, destination)


def _checklist(
    facts: Facts, treatment_id: int, today: dt.date, destination: Destination | None
) -> list[ChecklistItem]:
    treatment = facts.treatments.get(treatment_id)
    if treatment is None:
        raise NotFoundError(f"There is no treatment number {treatment_id}.")
    ctx = Context(today, destination)
    items = []
    for rule in _rules_for(destination):
        about = rule.about(destination)
        gaps = [g if about == About.bundle else replace(g, about=about)
                for g in rule(facts, ctx) if g.treatment_id == treatment_id]
        applies = bool(gaps) or bool(rule.applies(facts, treatment, ctx))
        note = rule.still_open(facts, treatment, ctx) if applies and not gaps else None
        items.append(ChecklistItem(rule, applies, applies and not gaps and note is None, gaps,
                                   note, about))
    return items
