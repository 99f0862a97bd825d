"""Insurer calls: call.incomplete, call.unconfirmed, call.not_a_guarantee, preauth.missing.

A call is the patient's evidence of what the insurer said. The seed's advice: note the
representative's name, the date and a reference number, get the answer in writing, and
never read "not currently denied" or a pre-authorization as a promise to pay.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING

from ...dates import local_time
from ...enums import CallOutcome, DeterminationKind, WrittenConfirmation
from ...vocabulary import Severity
from ..facts import cap
from ..gap import INSURER_BUNDLES, rule

if TYPE_CHECKING:
    from ..facts import Context, Facts
    from ..gap import Gap, Rule
    from ..rows import CallRow, DeterminationRow, TreatmentRow

VERBAL = (
    "a verbal statement from a customer service representative is not the same as a written "
    "coverage determination, and verbal statements are not binding in a coverage dispute"
)


def describe_call(facts: Facts, call: CallRow) -> str:
    plan = facts.plans.get(call.plan_id) if call.plan_id else None
    insurer = f" to {plan.insurer}" if plan else ""
    # Stored in UTC; the patient entered (and the app shows) local time.
    when = f" on {local_time(call.called_at).date()}" if call.called_at else " (no date noted)"
    rep = f" with {call.rep_name}" if call.rep_name else ""
    about = ""
    if call.treatment_id in facts.treatments:
        about = f" about {facts.describe(facts.treatments[call.treatment_id])}"
    return f"the call{insurer}{when}{rep}{about}"


def _has_calls(
    facts: Facts, t: TreatmentRow, _ctx: Context, outcomes: Collection[str] | None = None
) -> bool:
    return any(
        outcomes is None or c.outcome in outcomes for c in facts.calls_by_treatment.get(t.id, ())
    )


_NOT_A_PROMISE = (CallOutcome.not_currently_denied, CallOutcome.preauth_required)


@rule(
    "call.incomplete", Severity.warning,
    title="Call log: rep's name, date and reference number",
    reads=("insurer_call",),
    why=(
        "Without the representative's name, the date and a reference number the insurer has "
        "no record to check the answer against, and an appeal cannot cite it."
    ),
    fix="Fill in the rep's name, the date and time and the call's reference number from your notes.",
    destinations=INSURER_BUNDLES,
    applies=_has_calls,
)
def call_incomplete(self: Rule, facts: Facts, ctx: Context) -> Iterator[Gap]:
    for call in facts.calls:
        missing = [
            label for label, present in (
                ("the representative's name", call.rep_name),
                ("the date and time", call.called_at),
                ("a reference number", call.reference_number),
            ) if not present
        ]
        if missing:
            listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " or " + missing[-1]
            yield self.gap(
                "insurer_call", call.id,
                f"{cap(describe_call(facts, call))} has no record of {listed}; without the name, "
                "date and reference number the insurer has nothing to check the answer against.",
                treatment_id=call.treatment_id,
            )


@rule(
    "call.unconfirmed", Severity.warning,
    title="Written confirmation of the call",
    reads=("insurer_call", "determination"),
    why=cap(VERBAL) + ".",
    fix=(
        "Ask the insurer to confirm the call in writing (RegenLog drafts the letter), then "
        "record the answer as a determination linked to this call."
    ),
    destinations=INSURER_BUNDLES,
    applies=_has_calls,
)
def call_unconfirmed(self: Rule, facts: Facts, ctx: Context) -> Iterator[Gap]:
    """A call whose answer has no written confirmation: the call is not marked "received"
    and no live determination is linked to it (call_id). Any written determination linked to
    the call counts (a written call summary, coverage determination, pre-authorization or
    denial all put the answer in writing). Calls with an "unknown" outcome had no answer to
    confirm and are skipped."""
    confirmed = {d.call_id for d in facts.determinations if d.call_id is not None}
    for call in facts.calls:
        if call.outcome == CallOutcome.unknown:
            continue
        if call.written_confirmation == WrittenConfirmation.received or call.id in confirmed:
            continue
        asked = call.written_confirmation == WrittenConfirmation.requested
        since = f" on {call.confirmation_requested_on}" if call.confirmation_requested_on else ""
        yield self.gap(
            "insurer_call", call.id,
            f"{cap(describe_call(facts, call))} ({CallOutcome(call.outcome).label.lower()}) "
            + (f"was to be confirmed in writing (you asked{since}), and nothing has arrived"
               if asked else "has no written confirmation")
            + f": {VERBAL}.",
            treatment_id=call.treatment_id,
            fix=(
                "Follow up with the insurer for the written confirmation you asked for, then "
                "record it as a determination linked to this call."
            ) if asked else None,
        )


@rule(
    "call.not_a_guarantee", Severity.info,
    title="A call's answer is not a promise to pay",
    reads=("insurer_call",),
    why=(
        "\"Not currently denied\" is not the same as a pre-authorization or a guarantee of "
        "coverage; pre-authorization is a statement of intent, not a guarantee of payment."
    ),
    fix="Get the coverage decision in writing before you pay, and keep it with the treatment.",
    destinations=INSURER_BUNDLES,
    applies=lambda facts, t, ctx: _has_calls(facts, t, ctx, _NOT_A_PROMISE),
)
def call_not_a_guarantee(self: Rule, facts: Facts, ctx: Context) -> Iterator[Gap]:
    for call in facts.calls:
        if call.outcome == CallOutcome.not_currently_denied:
            yield self.gap(
                "insurer_call", call.id,
                f"On {describe_call(facts, call)} the answer was \"not currently denied\": that "
                "is not the same as a pre-authorization or a guarantee of coverage.",
                treatment_id=call.treatment_id,
                fix="Ask for a written coverage determination before relying on it.",
            )
        elif call.outcome == CallOutcome.preauth_required:
            yield self.gap(
                "insurer_call", call.id,
                f"On {describe_call(facts, call)} the insurer said pre-authorization is "
                "required; even a pre-authorization is a statement of intent based on the "
                "information available at the time, not a guarantee of payment.",
                treatment_id=call.treatment_id,
            )


def _authorizes(
    det: DeterminationRow, call: CallRow, facts: Facts, *, on_the_day: bool = True
) -> bool:
    """Does this pre-authorization answer the call: same person, the same plan and treatment
    when both sides name one, and (``on_the_day``) valid on the treatment's date when it has
    a validity?"""
    if det.kind != DeterminationKind.preauthorization or det.person_id != call.person_id:
        return False
    if call.plan_id and det.plan_id and call.plan_id != det.plan_id:
        return False
    if call.treatment_id is None:
        return True
    if det.treatment_id is not None and det.treatment_id != call.treatment_id:
        return False
    t = facts.treatments.get(call.treatment_id)
    if t is None or not on_the_day:
        return True
    day = t.date_of_service
    return (det.valid_from is None or det.valid_from <= day) and (
        det.valid_to is None or det.valid_to >= day
    )


@rule(
    "preauth.missing", Severity.error,
    title="Pre-authorization on file",
    reads=("insurer_call", "determination"),
    why=(
        "When the plan requires pre-authorization, a claim filed without it is denied whatever "
        "the merits; and a pre-authorization is itself only a statement of intent."
    ),
    fix=(
        "Ask the clinic to request pre-authorization from the insurer, and record the written "
        "answer as a pre-authorization determination."
    ),
    destinations=INSURER_BUNDLES,
    applies=lambda facts, t, ctx: _has_calls(facts, t, ctx, (CallOutcome.preauth_required,)),
)
def preauth_missing(self: Rule, facts: Facts, ctx: Context) -> Iterator[Gap]:
    """A call said pre-authorization is required and no live pre-authorization determination
    of that person answers it (see ``_authorizes``). A denied pre-authorization still counts
    as the process followed; appeal.deadline then watches the denial."""
    for call in facts.calls:
        if call.outcome != CallOutcome.preauth_required:
            continue
        if call.treatment_id is None:  # any of the person's pre-authorizations may answer it
            found = [d for (person, _t), ds in facts.preauthorizations.items()
                     if person == call.person_id for d in ds]
        else:
            found = [
                *facts.preauthorizations.get((call.person_id, call.treatment_id), ()),
                *facts.preauthorizations.get((call.person_id, None), ()),
            ]
        if any(_authorizes(d, call, facts) for d in found):
            continue
        # One that answers the call but not for the treatment's date: say so, not "none".
        other = [d for d in found if _authorizes(d, call, facts, on_the_day=False)]
        if other and call.treatment_id is not None:  # only a call about a treatment gets here
            d, t = other[-1], facts.treatments[call.treatment_id]
            ref = f" {d.reference_number}" if d.reference_number else ""
            valid = " to ".join(str(x) for x in (d.valid_from, d.valid_to) if x)
            what = (f"the pre-authorization on file{ref} (valid {valid}) does not cover the "
                    f"date of service, {t.date_of_service}")
        else:
            what = "no pre-authorization is on file"
        yield self.gap(
            "insurer_call", call.id,
            f"{cap(describe_call(facts, call))} said pre-authorization is required, and {what}; "
            "a claim without it is likely to be denied.",
            treatment_id=call.treatment_id,
        )
