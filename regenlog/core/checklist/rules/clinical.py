"""Medical necessity in the clinical record: iv.no_lab, imaging.no_indication."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...enums import Category
from ...vocabulary import Severity
from ..facts import cap
from ..gap import EVERY_BUNDLE, INSURER_BUNDLES, rule

if TYPE_CHECKING:
    from ..facts import Context, Facts
    from ..gap import AppliesFn, Gap, Rule

LAB_LOOKBACK = dt.timedelta(days=365)


def _is(category: str) -> AppliesFn:
    return lambda facts, t, ctx: t.category == category


@rule(
    "iv.no_lab", Severity.error,
    title="Lab result documenting the deficiency",
    reads=("treatment", "lab_result"),
    why=(
        "IV therapy for a deficiency documented by laboratory testing is a defensible medical "
        "expense; the same infusion without it reads as general wellness, which insurers and "
        "the IRS do not cover."
    ),
    fix=(
        "Record the lab result that showed the deficiency (test, value, reference range, date "
        "collected) and attach the lab report."
    ),
    destinations=EVERY_BUNDLE,
    applies=_is(Category.iv_therapy),
)
def iv_no_lab(self: Rule, facts: Facts, ctx: Context) -> Iterator[Gap]:
    """An IV therapy treatment with no lab result of the same person collected on or before
    the date of service and at most 12 months earlier that documents a deficiency: marked
    abnormal, or linked to this treatment by the patient. A normal, unlinked result documents
    nothing to treat; a result collected after the infusion cannot have justified it."""
    for t in facts.of_categories(Category.iv_therapy.value):
        day = t.date_of_service
        labs = facts.labs_by_person.get(t.person_id, ())  # sorted by collection date
        dates = facts.lab_dates(t.person_id)
        recent = labs[bisect_left(dates, day - LAB_LOOKBACK):bisect_right(dates, day)]
        if any(lab.abnormal or lab.treatment_id == t.id for lab in recent):
            continue
        if recent:
            tests = ", ".join(f"{lab.test} on {lab.collected_on}" for lab in recent[-3:])
            message = (
                f"The lab results before {facts.describe(t)} ({tests}) are not marked abnormal "
                "or linked to it, so none documents the deficiency the infusion treats."
            )
        else:
            message = (
                f"{cap(facts.describe(t))} has no lab result documenting the deficiency it "
                "treats; a deficiency confirmed by laboratory testing is what makes IV therapy "
                "a medical expense rather than general wellness."
            )
        yield self.gap("treatment", t.id, message, treatment_id=t.id)


@rule(
    "imaging.no_indication", Severity.warning,
    title="Diagnostic indication for the imaging",
    reads=("treatment", "diagnosis_code"),
    why=(
        "Imaging is covered for its diagnostic purpose, not for the treatment plan downstream; "
        "imaging documented as guiding an investigational procedure may be questioned."
    ),
    fix="Enter the clinical indication from the imaging order and the diagnosis code it evaluated.",
    destinations=INSURER_BUNDLES,
    applies=_is(Category.imaging),
)
def imaging_no_indication(self: Rule, facts: Facts, ctx: Context) -> Iterator[Gap]:
    for t in facts.of_categories(Category.imaging.value):
        missing = []
        if not (t.indication or "").strip():
            missing.append("diagnostic indication")
        if not facts.diagnoses.get(t.id):
            missing.append("diagnosis code")
        if missing:
            yield self.gap(
                "treatment", t.id,
                f"{cap(facts.describe(t))} has no {' or '.join(missing)}; coverage applies to "
                "the diagnostic purpose, so the record must show the condition it was ordered to "
                "evaluate.",
                treatment_id=t.id,
            )
