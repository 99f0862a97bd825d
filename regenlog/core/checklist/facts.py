"""Everything the rules read (``Facts``), indexed for lookups; ``loader.py`` fills it.

Rows are the named tuples of ``rows.py``, one per table, with the selected columns; enum
columns hold their string values, booleans 0/1, dates ``date`` objects. Diagnosis codes are
compared as stored: the services and the importer store every code (treatment or letter) in
one normal form.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple, Protocol

from ..enums import Category
from ..vocabulary import Destination
from .rows import (
    AccountRow,
    CallRow,
    ClaimRow,
    DeterminationRow,
    EstimateRow,
    FinancingPlanRow,
    LabRow,
    PlanRow,
    ProcedureLineRow,
    ProviderRow,
    ReceiptRow,
    TreatmentRow,
)


@dataclass(frozen=True)
class Context:
    """What a run is asked: the day it is (never read from the clock inside rules) and the
    destination the paperwork is for (None: everything)."""

    today: dt.date
    destination: Destination | None = None


class Letter(NamedTuple):
    """A live letter of medical necessity with the diagnoses and treatments it names.

    A named tuple rather than a dataclass: thousands are built per check."""

    id: int
    person_id: int
    physician_name: str
    written_on: dt.date
    valid_until: dt.date | None
    codes: frozenset[str]  # ICD-10-CM codes as stored (normalised, "M17.11")
    treatment_ids: frozenset[int]

    def covers_date(self, day: dt.date) -> bool:
        return self.written_on <= day and (self.valid_until is None or self.valid_until >= day)

    @property
    def label(self) -> str:
        who = f" from {self.physician_name}" if self.physician_name else ""
        return f"the letter of medical necessity{who} dated {self.written_on}"


# How messages name a treatment: the category in words, and how a body site attaches to it.
_PHRASES = {
    Category.stem_cell_bone_marrow.value: ("bone-marrow stem-cell injection", "into"),
    Category.stem_cell_adipose.value: ("adipose stem-cell injection", "into"),
    Category.prp.value: ("PRP injection", "into"),
    Category.iv_therapy.value: ("IV therapy", "for"),
    Category.consultation.value: ("consultation", "for"),
    Category.imaging.value: ("imaging", "of"),
    Category.follow_up.value: ("follow-up visit", "for"),
}


def cap(text: str) -> str:
    """Upper-case the first letter only ("the PRP ..." -> "The PRP ...")."""
    return text[:1].upper() + text[1:]


class Treated(Protocol):
    """What naming a treatment reads: a model, a checklist row, a money row."""

    @property
    def category(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def body_site(self) -> str: ...
    @property
    def side(self) -> str | None: ...
    @property
    def date_of_service(self) -> dt.date: ...


def describe_treatment(treatment: Treated) -> str:
    """'the PRP injection into the right knee on 2026-03-14': how the check and the bundle's
    sentences name a treatment (a model or a row with its columns)."""
    what, into = _PHRASES.get(treatment.category, ("", "for"))
    what = what or treatment.description or "treatment"
    # A side means nothing without the site it is the side of.
    where = (treatment.body_site or "").strip()
    if where and treatment.side not in (None, "none"):
        where = f"{treatment.side} {where}"
    return f"the {what}{f' {into} the {where}' if where else ''} on {treatment.date_of_service}"


@dataclass
class Facts:
    treatments: dict[int, TreatmentRow] = field(default_factory=dict)
    providers: dict[int, ProviderRow] = field(default_factory=dict)
    plans: dict[int, PlanRow] = field(default_factory=dict)
    accounts: list[AccountRow] = field(default_factory=list)
    diagnoses: dict[int, list[str]] = field(default_factory=dict)  # treatment -> codes in order
    procedure_lines: dict[int, list[ProcedureLineRow]] = field(default_factory=dict)
    receipts: list[ReceiptRow] = field(default_factory=list)
    receipt_lines: dict[int, tuple[int, int]] = field(default_factory=dict)  # id -> (n, sum)
    receipts_with_documents: set[int] = field(default_factory=set)
    receipts_by_treatment: dict[int, list[ReceiptRow]] = field(default_factory=dict)
    treatments_with_payment_documents: set[int] = field(default_factory=set)
    labs_by_person: dict[int, list[LabRow]] = field(default_factory=dict)
    calls: list[CallRow] = field(default_factory=list)
    determinations: list[DeterminationRow] = field(default_factory=list)
    letters_by_person: dict[int, list[Letter]] = field(default_factory=dict)
    letters_by_code: dict[tuple[int, str], list[Letter]] = field(default_factory=dict)
    letters_by_treatment: dict[int, list[Letter]] = field(default_factory=dict)
    claims_by_treatment: dict[int, list[ClaimRow]] = field(default_factory=dict)
    financing_plans: list[FinancingPlanRow] = field(default_factory=list)
    financing_payments: dict[int, list[tuple[dt.date, int]]] = field(default_factory=dict)
    estimates: list[EstimateRow] = field(default_factory=list)
    scope: frozenset[int] | None = None
    _described: dict[int, str] = field(default_factory=dict, repr=False)
    _letters: dict[int, list[Letter]] = field(default_factory=dict, repr=False)
    _by_category: dict[str, list[TreatmentRow]] = field(default_factory=dict, repr=False)
    _lab_dates: dict[int, list[dt.date]] = field(default_factory=dict, repr=False)
    _covering: dict[int, Letter | None] = field(default_factory=dict, repr=False)

    # -- indexes built on first use (each rule family needs a different one) ----------------
    def of_categories(self, *categories: str) -> list[TreatmentRow]:
        """The treatments of these categories, so a rule about IV therapy or letters does
        not walk every treatment."""
        by_category = self._by_category
        if not by_category:
            for t in self.treatments.values():
                by_category.setdefault(t.category, []).append(t)
        return [t for c in categories for t in by_category.get(c, ())]

    @cached_property
    def treatments_by_person(self) -> dict[int, list[TreatmentRow]]:
        out: dict[int, list[TreatmentRow]] = defaultdict(list)
        for t in self.treatments.values():
            out[t.person_id].append(t)
        return dict(out)

    @cached_property
    def determinations_by_person(self) -> dict[int, list[DeterminationRow]]:
        out: dict[int, list[DeterminationRow]] = defaultdict(list)
        for d in self.determinations:
            out[d.person_id].append(d)
        return dict(out)

    @cached_property
    def accounts_by_person(self) -> dict[int, list[AccountRow]]:
        out: dict[int, list[AccountRow]] = defaultdict(list)
        for a in self.accounts:
            out[a.person_id].append(a)
        return dict(out)

    @cached_property
    def claims_by_determination(self) -> dict[int, list[ClaimRow]]:
        out: dict[int, list[ClaimRow]] = defaultdict(list)
        for claims in self.claims_by_treatment.values():
            for c in claims:
                if c.determination_id is not None:
                    out[c.determination_id].append(c)
        return dict(out)

    @cached_property
    def preauthorizations(self) -> dict[tuple[int, int | None], list[DeterminationRow]]:
        """Pre-authorization determinations by (person, treatment or None)."""
        out: dict[tuple[int, int | None], list[DeterminationRow]] = defaultdict(list)
        for d in self.determinations:
            if d.kind == "preauthorization":
                out[d.person_id, d.treatment_id].append(d)
        return dict(out)

    def lab_dates(self, person_id: int) -> list[dt.date]:
        """Collection dates of the person's labs, sorted, for bisecting a window."""
        found = self._lab_dates.get(person_id)
        if found is None:
            found = self._lab_dates[person_id] = [
                lab.collected_on for lab in self.labs_by_person.get(person_id, ())
            ]
        return found

    @cached_property
    def treatments_by_code(self) -> dict[tuple[int, str], list[TreatmentRow]]:
        """Treatments by (person, diagnosis key), to find what a letter covers."""
        out: dict[tuple[int, str], list[TreatmentRow]] = defaultdict(list)
        treatments = self.treatments
        for treatment_id, codes in self.diagnoses.items():
            t = treatments.get(treatment_id)
            if t is not None:
                for code in codes:
                    out[t.person_id, code].append(t)
        return dict(out)

    @cached_property
    def determinations_by_treatment(self) -> dict[int, list[DeterminationRow]]:
        out: dict[int, list[DeterminationRow]] = defaultdict(list)
        for d in self.determinations:
            if d.treatment_id is not None:
                out[d.treatment_id].append(d)
        return dict(out)

    @cached_property
    def calls_by_treatment(self) -> dict[int, list[CallRow]]:
        out: dict[int, list[CallRow]] = defaultdict(list)
        for c in self.calls:
            if c.treatment_id is not None:
                out[c.treatment_id].append(c)
        return dict(out)

    # -- helpers the rules share ----------------------------------------------------------
    def describe(self, treatment: TreatmentRow) -> str:
        """'the PRP injection into the right knee on 2026-03-14', for messages."""
        found = self._described.get(treatment.id)
        if found is None:
            found = self._described[treatment.id] = self._describe(treatment)
        return found

    def _describe(self, treatment: TreatmentRow) -> str:
        return describe_treatment(treatment)

    def covering_letter(self, treatment: TreatmentRow) -> Letter | None:
        """A letter that covers the treatment's date and names it or one of its diagnoses.

        The usual case (a letter naming the treatment, valid that day) is answered without
        building the full list of candidates."""
        if treatment.id in self._covering:
            return self._covering[treatment.id]
        found = self._covering[treatment.id] = self._find_covering(treatment)
        return found

    def _find_covering(self, treatment: TreatmentRow) -> Letter | None:
        day, person = treatment.date_of_service, treatment.person_id
        for letter in self.letters_by_treatment.get(treatment.id, ()):
            if letter.person_id == person and letter.covers_date(day):
                return letter
        for key in self.diagnoses.get(treatment.id, ()):
            for letter in self.letters_by_code.get((person, key), ()):
                if letter.covers_date(day):
                    return letter
        return None

    def letters_for(self, treatment: TreatmentRow) -> list[Letter]:
        """Live letters of the same person naming the treatment or one of its diagnoses,
        oldest first."""
        found = self._letters.get(treatment.id)
        if found is None:
            found = self._letters[treatment.id] = self._letters_for(treatment)
        return found

    def _letters_for(self, treatment: TreatmentRow) -> list[Letter]:
        seen: dict[int, Letter] = {}
        for letter in self.letters_by_treatment.get(treatment.id, ()):
            seen[letter.id] = letter
        for key in self.diagnoses.get(treatment.id, ()):
            for letter in self.letters_by_code.get((treatment.person_id, key), ()):
                seen[letter.id] = letter
        same_person = [x for x in seen.values() if x.person_id == treatment.person_id]
        return sorted(same_person, key=lambda letter: (letter.written_on, letter.id))
