"""What a patient may still take from their HSA later, tax-free.

An HSA has no deadline to reimburse yourself (IRS Notice 2004-50 Q&A-39), so a paid,
unreimbursed medical expense is money the patient can take out any year, as long as:

- it was incurred on or after the day the HSA was opened (Notice 2004-2 Q&A-26): the
  person's earliest live HSA with an ``opened_on`` date counts; without one, nothing does;
- it is medical care, which RegenLog takes to mean the treatment has a diagnosis code
  (Pub 502: diagnosis, cure, mitigation, treatment or prevention of a condition);
- for IV therapy, which can look like general wellness ("merely beneficial to general
  health, such as vitamins"), a letter of medical necessity also covers it: same person,
  written on or before the date of service, not expired on it, and naming the treatment or
  one of its diagnoses;
- and only what is still claimable from the HSA (``TreatmentMoney.claimable_cents``): the
  part nobody paid back, no open claim asks for, and no HSA or FSA card paid.

This is a documentation test, not tax advice: the administrator and a tax adviser decide.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import func
from sqlmodel import Session, col, select

from .. import models as m
from ..enums import AccountKind, Category
from ..sql import select_columns
from .amounts import TreatmentMoney

# Short names for the tables the queries below read.
A, DX, N, ND = m.Account, m.DiagnosisCode, m.MedicalNecessityLetter, m.LetterDiagnosis
NT = m.LetterTreatment


def hsa_eligible_ids(session: Session, money: dict[int, TreatmentMoney]) -> set[int]:
    """The treatments in ``money`` that meet the rules above (five queries at most)."""
    if not money:
        return set()
    opened: dict[int, dt.date] = dict(session.exec(
        select_columns(A.person_id, func.min(A.opened_on)).where(
            col(A.deleted_at).is_(None), A.kind == AccountKind.hsa, col(A.opened_on).is_not(None)
        ).group_by(col(A.person_id))
    ).all())
    candidates = {
        tid for tid, t in money.items()
        if t.person_id in opened and t.date_of_service >= opened[t.person_id]
    }
    if not candidates:
        return set()
    codes: dict[int, set[str]] = defaultdict(set)
    for tid, code in session.exec(select(DX.treatment_id, DX.code)):
        if tid in candidates:
            codes[tid].add(_key(code))
    eligible = {tid for tid in candidates if codes.get(tid)}
    infusions = {tid for tid in eligible if money[tid].category == Category.iv_therapy}
    if infusions:
        eligible -= infusions - _covered_by_letters(session, money, infusions, codes)
    return eligible


def _covered_by_letters(
    session: Session, money: dict[int, TreatmentMoney], wanted: set[int], codes: dict[int, set[str]]
) -> set[int]:
    letters = {
        row.id: row for row in session.exec(
            select_columns(N.id, N.person_id, N.written_on, N.valid_until).where(
                col(N.deleted_at).is_(None))
        )
    }
    letter_codes: dict[int, set[str]] = defaultdict(set)
    for lid, code in session.exec(select(ND.letter_id, ND.code)):
        letter_codes[lid].add(_key(code))
    letter_treatments: dict[int, set[int]] = defaultdict(set)
    for lid, tid in session.exec(select(NT.letter_id, NT.treatment_id)):
        letter_treatments[lid].add(tid)
    covered = set()
    for tid in wanted:
        t = money[tid]
        for lid, letter in letters.items():
            in_time = letter.written_on <= t.date_of_service and (
                letter.valid_until is None or letter.valid_until >= t.date_of_service
            )
            names_it = tid in letter_treatments[lid] or bool(letter_codes[lid] & codes[tid])
            if letter.person_id == t.person_id and in_time and names_it:
                covered.add(tid)
                break
    return covered


def _key(code: str) -> str:
    """M17.11, m1711 and ' M17.11 ' compare equal."""
    return code.strip().upper().replace(".", "")
