"""The codes a claim is judged by: dx.missing, dx.invalid, px.missing, px.invalid.

Codes repeat across thousands of treatments, so each check is cached: diagnosis codes per
(code, code-set version for the date of service), procedure lines per their exact fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING

from ... import codes
from ...codes.icd10 import NEXT_CODE_SET_VERSION
from ...errors import ValidationError
from ...vocabulary import Severity
from ..facts import cap
from ..gap import EVERY_BUNDLE, INSURER_BUNDLES, rule

if TYPE_CHECKING:
    from ..facts import Context, Facts
    from ..gap import Gap, Rule

_POINTERS = "ABCDEFGHIJKL"


def code_set_day(day: dt.date) -> dt.date | None:
    """The date of service as far as the code check can tell dates apart: None within the
    FY2026 year (the strict check), the next set's first day after it, the day itself before
    it (the warning names that year and day). Keeps the cache to a few keys per code."""
    if codes.CODE_SET_EFFECTIVE <= day < codes.NEXT_CODE_SET_EFFECTIVE:
        return None
    return codes.NEXT_CODE_SET_EFFECTIVE if day >= codes.NEXT_CODE_SET_EFFECTIVE else day


@lru_cache(maxsize=8192)
def diagnosis_check(code: str, day_key: dt.date | None) -> codes.CodeCheck:
    """check_icd10 for a date of service reduced by ``code_set_day``."""
    return codes.check_icd10(code, day_key)


@lru_cache(maxsize=8192)
def procedure_problem(code: str, modifiers: str, pointers: str, n_diagnoses: int) -> str | None:
    """The sentence saying what is malformed on a procedure line, or None."""
    try:
        codes.check_procedure_code(code)
        codes.check_modifiers(modifiers)
        # Without diagnoses dx.missing already speaks; a pointer cannot point anywhere yet.
        if n_diagnoses:
            codes.check_pointers(pointers, n_diagnoses)
    except ValidationError as error:
        return str(error)
    return None


@rule(
    "dx.missing", Severity.error,
    title="Diagnosis code (ICD-10-CM)",
    reads=("treatment", "diagnosis_code"),
    why=(
        "A claim or reimbursement is judged against the diagnosis it treats; most HSA and FSA "
        "administrators process a reimbursement supported by a valid diagnosis code."
    ),
    fix="Copy the ICD-10-CM diagnosis codes from the clinic's superbill or visit note.",
    destinations=EVERY_BUNDLE,
)
def dx_missing(self: Rule, facts: Facts, ctx: Context) -> Iterator[Gap]:
    """Every live treatment needs at least one ICD-10-CM code, whatever its category."""
    treatments = facts.treatments
    for treatment_id in sorted(treatments.keys() - facts.diagnoses.keys()):
        t = treatments[treatment_id]
        yield self.gap(
            "treatment", t.id,
            f"{cap(facts.describe(t))} has no ICD-10-CM diagnosis code; a claim or "
            "reimbursement is judged against the diagnosis it treats.",
            treatment_id=t.id,
        )


@rule(
    "dx.invalid", Severity.error,
    title="Billable diagnosis codes",
    why="Only billable (leaf) ICD-10-CM codes valid on the date of service are accepted on a claim.",
    fix="Replace it with the billable code from your paperwork (search the code list by words).",
    destinations=EVERY_BUNDLE,
    applies=lambda facts, t, ctx: bool(facts.diagnoses.get(t.id)),
    reads=("treatment", "diagnosis_code", "medical_necessity_letter", "letter_diagnosis"),
)
def dx_invalid(self: Rule, facts: Facts, ctx: Context) -> Iterator[Gap]:
    """A code check_icd10 rejects for the treatment's date of service.

    RegenLog carries the FY2026 code set. For a date of service on or after 2026-10-01
    (FY2027) a code that FY2026 does not know may simply be new, so that one case is reported
    under this id with severity "warning" (DOMAIN.md section 7) and asks the patient to check
    it against their paperwork; headings and 7th-character mistakes stay errors. The same
    holds for a date of service before FY2026 (2025-10-01): a code FY2026 lacks or lists only
    as a heading may have been billable in that year (M51.36 was, until 2024-09-30).
    """
    treatments = facts.treatments
    # Codes billable whatever the date: most treatments are cleared by one subset test.
    distinct = set(chain.from_iterable(facts.diagnoses.values()))
    # (A code billable in FY2026 is accepted for any date; only the next set may differ.)
    after = codes.NEXT_CODE_SET_EFFECTIVE
    billable = {c for c in distinct if diagnosis_check(c, None).ok and diagnosis_check(c, after).ok}
    for treatment_id, found in facts.diagnoses.items():
        if billable.issuperset(found):
            continue
        t = treatments.get(treatment_id)
        if t is None:
            continue
        day_key = code_set_day(t.date_of_service)
        for position, code in enumerate(found):
            check = diagnosis_check(code, day_key)
            if check.ok:
                continue
            where = f"diagnosis {_POINTERS[position] if position < 12 else position + 1} of {facts.describe(t)}"
            if check.severity == "warning" and day_key == codes.NEXT_CODE_SET_EFFECTIVE:
                yield self.gap(
                    "treatment", t.id,
                    f"{check.message} ({where}, in the {NEXT_CODE_SET_VERSION} period)",
                    treatment_id=t.id, severity=Severity.warning,
                    fix=(
                        f"Compare {check.code} with the clinic's paperwork; if it is a new "
                        f"{NEXT_CODE_SET_VERSION} code, keep it."
                    ),
                )
            elif check.severity == "warning":  # an earlier code-set year
                yield self.gap(
                    "treatment", t.id, f"{check.message} ({where})",
                    treatment_id=t.id, severity=Severity.warning,
                    fix=(
                        f"Compare {check.code} with the clinic's paperwork of that year; if it "
                        "was a billable code then, keep it."
                    ),
                )
            else:
                yield self.gap(
                    "treatment", t.id,
                    f"{check.message} ({where}); a claim with a code that is not billable is "
                    "rejected.",
                    treatment_id=t.id,
                )
    yield from _letter_codes(self, facts)


def _letter_codes(self: Rule, facts: Facts) -> Iterator[Gap]:
    """A letter's diagnosis that is not even shaped like a code (kept so by an import):
    the letter cannot be matched to the visits it covers."""
    for letters in facts.letters_by_person.values():
        for letter in letters:
            for code in sorted(letter.codes):
                check = diagnosis_check(code, None)
                if check.status != "malformed":
                    continue
                covered = [facts.treatments[i] for i in letter.treatment_ids
                           if i in facts.treatments]
                latest = max(covered, key=lambda t: (t.date_of_service, t.id), default=None)
                yield self.gap(
                    "medical_necessity_letter", letter.id,
                    f'{cap(letter.label)} names "{code}", which is not an ICD-10-CM code (a '
                    "letter, two more characters, then up to four after a dot, e.g. M17.11); a "
                    "reviewer cannot match the letter to the visits it covers.",
                    treatment_id=latest.id if latest else None,
                    fix="Open the letter and correct the code from the physician's letter.",
                )


@rule(
    "px.missing", Severity.error,
    title="Procedure code (CPT/HCPCS)",
    reads=("treatment", "procedure_line"),
    why=(
        "The superbill (CMS-1500 box 24D) needs a CPT or HCPCS code for each service, and how "
        "a plan responds depends on the codes submitted."
    ),
    fix="Copy the CPT/HCPCS codes, modifiers and units from the clinic's superbill.",
    destinations=INSURER_BUNDLES,
)
def px_missing(self: Rule, facts: Facts, ctx: Context) -> Iterator[Gap]:
    """Every live treatment needs at least one procedure line (a consultation too: its E/M
    code is what may be reimbursable even when the procedure is cash-pay)."""
    treatments = facts.treatments
    for treatment_id in sorted(treatments.keys() - facts.procedure_lines.keys()):
        t = treatments[treatment_id]
        yield self.gap(
            "treatment", t.id,
            f"{cap(facts.describe(t))} has no CPT or HCPCS procedure code; the claim form "
            "needs one per service, and the plan's answer depends on the codes submitted.",
            treatment_id=t.id,
        )


@rule(
    "px.invalid", Severity.error,
    title="Well-formed procedure codes, modifiers and pointers",
    reads=("procedure_line", "diagnosis_code"),
    why="A malformed code, modifier or diagnosis pointer gets the claim line rejected unread.",
    fix="Correct the procedure line from the clinic's superbill.",
    destinations=INSURER_BUNDLES,
    applies=lambda facts, t, ctx: bool(facts.procedure_lines.get(t.id)),
)
def px_invalid(self: Rule, facts: Facts, ctx: Context) -> Iterator[Gap]:
    """A line whose code, modifiers or diagnosis pointers are malformed (checked by format:
    CPT descriptors are licensed, so RegenLog cannot say whether a code exists)."""
    treatments, diagnoses = facts.treatments, facts.diagnoses
    for treatment_id, lines in facts.procedure_lines.items():
        t = treatments.get(treatment_id)
        if t is None:
            continue
        n_dx = len(diagnoses.get(treatment_id, ()))
        for line in lines:
            # Cached per distinct line: the same few codes repeat across thousands of lines.
            problem = procedure_problem(line.code, line.modifiers or "", line.pointers or "", n_dx)
            if problem:
                yield self.gap(
                    "treatment", t.id,
                    f"Line {line.position + 1} ({line.code}) of {facts.describe(t)}: {problem} "
                    "A malformed line is rejected unread.",
                    treatment_id=t.id,
                )
