"""Letters of medical necessity: lmn.missing, lmn.expired.

Which treatments need a letter (a patient advocate's reading of the payers' rules; the
contract is docs/rules.md):

- stem cells (bone marrow or adipose) and PRP: payers class them as experimental, so a
  letter with the diagnosis, the physician's rationale and the expected duration is what
  makes the case to an insurer or appeal reviewer, and what shows an HSA/FSA administrator
  it treats a diagnosed condition;
- IV therapy: "could be general wellness" (Pub 502 excludes vitamins merely beneficial to
  general health), so HSA/FSA and insurers need the letter most of all;
- consultations, imaging, follow-ups and "other": ordinary medical care billed with
  standard codes; no letter is asked for (asking would bury the letters that matter).

The same categories apply for every destination that runs these rules.

A letter covers a treatment when it is the same person's, live, written on or before the
date of service, not expired by it (valid_until on or after it, or open-ended), and it names
the treatment (letter_treatment) or shares one of its diagnoses. A letter that only expired
before the service does not cover it: lmn.missing says the treatment is uncovered (error)
and lmn.expired names the letter to renew (warning), on the letter's record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...enums import Category
from ...vocabulary import Severity
from ..facts import cap
from ..gap import EVERY_BUNDLE, rule

if TYPE_CHECKING:
    from ..facts import Context, Facts, Letter
    from ..gap import Gap, Rule
    from ..rows import TreatmentRow

NEEDS_LETTER = (
    Category.stem_cell_bone_marrow.value,
    Category.stem_cell_adipose.value,
    Category.prp.value,
    Category.iv_therapy.value,
)
EXPIRY_WINDOW_DAYS = 30


def _needs_letter(_facts: Facts, t: TreatmentRow, _ctx: Context) -> bool:
    return t.category in NEEDS_LETTER


@rule(
    "lmn.missing", Severity.error,
    title="Letter of medical necessity",
    reads=("treatment", "diagnosis_code", "medical_necessity_letter", "letter_diagnosis",
           "letter_treatment"),
    why=(
        "A letter of medical necessity from the treating physician, with the diagnosis, the "
        "clinical rationale and the expected duration, significantly strengthens an HSA or "
        "FSA reimbursement and an insurer claim or appeal; it must be dated on or before the "
        "service."
    ),
    fix=(
        "Ask the treating physician for a letter of medical necessity naming the diagnosis, "
        "the rationale, the treatment and its frequency, and how long it is needed."
    ),
    destinations=EVERY_BUNDLE,
    applies=_needs_letter,
)
def lmn_missing(self: Rule, facts: Facts, ctx: Context) -> Iterator[Gap]:
    for t in facts.of_categories(*NEEDS_LETTER):
        if facts.covering_letter(t) is not None:
            continue
        letters = facts.letters_for(t)
        day = t.date_of_service
        what = cap(facts.describe(t))
        codes = facts.diagnoses.get(t.id)
        dx = f" for {', '.join(codes)}" if codes else ""
        expired = [x for x in letters if x.written_on <= day and x.valid_until and x.valid_until < day]
        later = [x for x in letters if x.written_on > day]
        if expired:
            letter = expired[-1]
            yield self.gap(
                "treatment", t.id,
                f"No letter of medical necessity covers {facts.describe(t)}: "
                f"{letter.label} expired on {letter.valid_until}, before the service.",
                treatment_id=t.id,
                fix="Ask the physician to renew the letter of medical necessity, covering this date.",
            )
        elif later:
            letter = later[0]
            yield self.gap(
                "treatment", t.id,
                f"{what} is not covered by a letter of medical necessity dated on or before "
                f"the service: {letter.label} was written after it.",
                treatment_id=t.id,
                fix=(
                    "Ask the physician to state in the letter that the need existed on the date "
                    "of service, and get letters before any further sessions."
                ),
            )
        else:
            yield self.gap(
                "treatment", t.id,
                f"No letter of medical necessity{dx} covers {facts.describe(t)}; without one it "
                "can read as general wellness rather than treatment of a diagnosed condition.",
                treatment_id=t.id,
            )


@rule(
    "lmn.expired", Severity.warning,
    title="Letter of medical necessity still valid",
    reads=("treatment", "medical_necessity_letter", "letter_diagnosis", "letter_treatment"),
    why="A letter of medical necessity covers only its stated duration; renew it when it expires.",
    fix="Ask the physician to renew the letter of medical necessity.",
    destinations=EVERY_BUNDLE,
    # Only a letter that covers the visit can be "still valid"; with none, lmn.missing speaks.
    applies=lambda facts, t, ctx: _needs_letter(facts, t, ctx)
    and facts.covering_letter(t) is not None,
)
def lmn_expired(self: Rule, facts: Facts, ctx: Context) -> Iterator[Gap]:
    """Two cases, both on the letter's record, at most once per letter.

    1. The only letters naming a treatment's diagnosis (written before it) had expired by its
       date of service: on the most recent such letter, grouped under the latest treatment it
       no longer covered (lmn.missing already speaks for each treatment).
    2. A letter expires within 30 days of today and no other letter for its diagnoses runs
       longer: a renewal reminder, grouped under the latest treatment it covers (if any).
    """
    lapsed: dict[int, list] = {}  # letter id -> [letter, treatments it no longer covered]
    for t in facts.of_categories(*NEEDS_LETTER):
        if facts.covering_letter(t) is not None:
            continue
        day = t.date_of_service
        expired = [
            x for x in facts.letters_for(t)
            if x.written_on <= day and x.valid_until and x.valid_until < day
        ]
        if expired:
            lapsed.setdefault(expired[-1].id, [expired[-1], []])[1].append(t)
    for letter, treatments in lapsed.values():
        t = max(treatments, key=lambda t: (t.date_of_service, t.id))
        later = len(treatments) - 1
        others = f" and {later} other treatment{'s' * (later != 1)}" if later else ""
        yield self.gap(
            "medical_necessity_letter", letter.id,
            f"{cap(letter.label)} expired on {letter.valid_until}, before {facts.describe(t)}"
            f"{others}; a letter covers only its stated duration.",
            treatment_id=t.id, due=letter.valid_until,
        )
    yield from _expiring_soon(self, facts, ctx)


def _expiring_soon(self: Rule, facts: Facts, ctx: Context) -> Iterator[Gap]:
    today = ctx.today
    horizon = today + dt.timedelta(days=EXPIRY_WINDOW_DAYS)
    for person_id, letters in facts.letters_by_person.items():
        for letter in letters:
            until = letter.valid_until
            if until is None or not today <= until <= horizon:  # deadlines.within, inlined
                continue
            related = {
                other.id: other
                for key in letter.codes for other in facts.letters_by_code.get((person_id, key), ())
            }
            for treatment_id in letter.treatment_ids:
                related.update((o.id, o) for o in facts.letters_by_treatment.get(treatment_id, ()))
            if any(_outlasts(other, letter, until) for other in related.values()):
                continue
            named = [facts.treatments[i] for i in letter.treatment_ids if i in facts.treatments]
            by_code = [
                t for key in letter.codes for t in facts.treatments_by_code.get((person_id, key), ())
            ]
            covered = [t for t in named + by_code
                       if t.category in NEEDS_LETTER and t.person_id == person_id]
            if facts.scope is not None and not covered:
                continue  # a scoped run reports only letters of the treatments asked about
            latest = max(covered, key=lambda t: (t.date_of_service, t.id), default=None)
            days = (until - ctx.today).days
            when = "today" if days == 0 else f"in {days} day{'s' * (days != 1)}"
            yield self.gap(
                "medical_necessity_letter", letter.id,
                f"{cap(letter.label)} expires on {until} ({when}); care after that date is not "
                "covered by it.",
                treatment_id=latest.id if latest else None, due=until,
                fix=f"If treatment continues, ask the physician to renew the letter before {until}.",
            )


def _outlasts(other: Letter, letter: Letter, until: dt.date) -> bool:
    """Another live letter for the same diagnoses or treatments that runs longer than
    ``letter``, valid until ``until``."""
    if other.id == letter.id:
        return False
    shares = not other.codes.isdisjoint(letter.codes) or not other.treatment_ids.isdisjoint(
        letter.treatment_ids
    )
    return shares and (other.valid_until is None or other.valid_until > until)
