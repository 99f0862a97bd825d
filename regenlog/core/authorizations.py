"""Which pre-authorizations on file cover a treatment (CMS-1500 box 23, FHIR
``Claim.insurance.preAuthRef``).

A pre-authorization often approves a series ("two injections of 0232T from 2026-03-05 to
2026-06-30") but is filed with one visit, so the link alone is not the answer. One covers a
treatment when it is the same person's, approved (or partly approved), for the same plan
when both name one, and:

- valid on the date of service, when it has dates (valid from / valid to, either may be
  open); without dates, only the treatment it is filed with;
- for one of the treatment's procedure or diagnosis codes, when it lists codes.

A denied or pending pre-authorization authorizes nothing. Works on models and on rows alike.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from .enums import Decision, DeterminationKind

_APPROVED = (Decision.approved, Decision.partial)


def code_key(code: str) -> str:
    """0232T, "0232t " and M17.11 / m1711 compare equal."""
    return code.strip().upper().replace(".", "")


def listed_codes(text: str | None) -> set[str]:
    """The codes a determination lists ("0232T, M77.11" or "0232T; 76942")."""
    return {code_key(c) for c in re.split(r"[\s,;/]+", text or "") if c.strip()}


def covers(det, *, person_id: int, plan_id: int | None, treatment_id: int,
           day: dt.date, codes: Iterable[str]) -> bool:
    """Does this pre-authorization cover the treatment (its person, plan, id, date, codes)?"""
    if det.kind != DeterminationKind.preauthorization or det.decision not in _APPROVED:
        return False
    if det.person_id != person_id or (det.plan_id and plan_id and det.plan_id != plan_id):
        return False
    if det.valid_from is None and det.valid_to is None:
        if det.treatment_id != treatment_id:
            return False
    elif (det.valid_from and day < det.valid_from) or (det.valid_to and day > det.valid_to):
        return False
    listed = listed_codes(det.codes_covered)
    return not listed or not listed.isdisjoint(code_key(c) for c in codes)


def covering(determinations: Iterable, treatment, codes: Iterable[str]) -> list:
    """The pre-authorizations among ``determinations`` that cover ``treatment``, oldest first
    (``codes``: its procedure and diagnosis codes)."""
    codes = list(codes)
    found = [
        d for d in determinations
        if covers(d, person_id=treatment.person_id, plan_id=treatment.plan_id,
                  treatment_id=treatment.id, day=treatment.date_of_service, codes=codes)
    ]
    return sorted(found, key=lambda d: (d.received_on, d.id))


def authorization_label(det) -> str:
    """The number to write in box 23, or how to find an approval that gave none."""
    return det.reference_number or f"approval of {det.received_on} (no number given)"
