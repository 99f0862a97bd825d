"""Checking each spreadsheet row: a good row ready to import, or a bad row and why.

Every problem in a row is reported, each prefixed with its column's header, so the patient
fixes the row once. A row that matches a treatment already recorded (same patient, date of
service, category and amount) is bad too: importing a file twice, or again after fixing some
rows, must not record the same care twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from .. import codes
from .. import models as m
from ..enums import Category, PaymentMethod, Side
from ..errors import ValidationError
from ..money import format_money
from ..services.details import normalize_diagnoses
from ..sql import select_columns
from .mapping import FIELDS, Mapping
from .parse import (
    Row,
    Table,
    parse_category,
    parse_cell_date,
    parse_cell_money,
    parse_payment_method,
    parse_side,
    split_codes,
)

# Short names for the tables the queries below read.
P, V, T, R = m.Person, m.Provider, m.Treatment, m.Receipt


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str


@dataclass(frozen=True)
class GoodRow:
    """A row that will become a treatment (and a receipt when ``amount_cents`` is > 0)."""

    line: int
    person: str
    provider: str
    date_of_service: dt.date
    category: Category
    description: str = ""
    body_site: str = ""
    side: Side = Side.none
    notes: str = ""
    diagnoses: tuple[str, ...] = ()
    procedures: tuple[str, ...] = ()
    modifiers: tuple[str, ...] = ()
    amount_cents: int | None = None
    paid_to_provider_cents: int | None = None  # by the insurer, straight to the provider
    paid_on: dt.date | None = None
    payment_method: PaymentMethod = PaymentMethod.card
    receipt_number: str = ""


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def patient_needed_sentence(people: list[str]) -> str:
    """What to do when no column names the patient and the folder does not hold exactly one
    person. With no one yet, the file is one patient's own record of their care: its rows
    become one new person, named once by the patient (never a made-up name, which would
    reach claim forms and cover letters)."""
    default = (
        "the “Patient for rows without one” (in a mapping file, \"person\" under \"defaults\")"
    )
    if not people:
        return (
            f"No column names the patient, and this data folder has no one yet: enter the "
            f"patient's name as {default}, and every row will be recorded for that one new "
            "person."
        )
    shown = ", ".join(people[:5]) + (", ..." if len(people) > 5 else "")
    return (
        f"No column names the patient, and this data folder holds {len(people)} people "
        f"({shown}): choose the column that names the patient, or enter one of them as "
        f"{default}."
    )


# -- checking ------------------------------------------------------------------------------
class RowChecker:
    """Turns the table's rows into good and bad rows against the records in ``session``."""

    def __init__(self, session: Session, table: Table, mapping: Mapping):
        self.table, self.mapping = table, mapping
        self.index = mapping.indexes(table.headers)
        self.people: dict[str, int] = {}
        names: dict[int, str] = {}
        for pid, name in session.exec(
            select(P.id, P.name).where(col(P.deleted_at).is_(None)).order_by(col(P.id))
        ):
            self.people.setdefault(name_key(name), pid)
            names[pid] = name
        self.providers: dict[str, int] = {}
        for vid, name in session.exec(
            select(V.id, V.name).where(col(V.deleted_at).is_(None)).order_by(col(V.id))
        ):
            self.providers.setdefault(name_key(name), vid)
        self.sole_person: str | None = None
        # Said once for the whole file, after every row has been checked for the rest.
        self.patient_needed: str | None = None
        if "person" not in self.index and not mapping.default_person.strip():
            ids = sorted(set(self.people.values()))
            if len(ids) == 1:
                self.sole_person = names[ids[0]]
            else:
                self.patient_needed = patient_needed_sentence([names[pid] for pid in ids])
        self.existing = self._existing(session)

    def _existing(self, session: Session) -> dict[tuple, int]:
        """(person id, date of service, category, amount or None) -> a treatment's id."""
        totals = dict(session.exec(
            select(R.treatment_id, func.sum(R.total_cents)).where(col(R.deleted_at).is_(None))
            .group_by(col(R.treatment_id))
        ).all())
        out: dict[tuple[Any, ...], int] = {}
        for tid, pid, day, category in session.exec(
            select_columns(T.id, T.person_id, T.date_of_service, T.category).where(
                col(T.deleted_at).is_(None))
        ):
            out.setdefault((pid, day, Category(category), totals.get(tid) or None), tid)
        return out

    def cell(self, row: Row, name: str) -> str:
        i = self.index.get(name)
        return row.cells[i].strip() if i is not None and i < len(row.cells) else ""

    def check(self, row: Row) -> GoodRow | BadRow:
        problems: list[str] = []

        def column(name: str) -> str:
            return self.table.headers[self.index[name]] if name in self.index else FIELDS[name]

        def parsed(name: str, parse, default=None):
            text = self.cell(row, name)
            if not text:
                return default
            try:
                return parse(text)
            except ValidationError as error:
                problems.append(f"{column(name)}: {error}")
                return default

        extra = [c for c in row.cells[len(self.table.headers):] if c.strip()]
        if extra:
            problems.append(
                f"the row has {len(row.cells)} values but the header names "
                f"{len(self.table.headers)} columns; a value with a comma (like 1,234.56) needs "
                "quotes around it."
            )
        day = parsed("date_of_service", parse_cell_date)
        if day is None and not self.cell(row, "date_of_service"):
            problems.append(f"{column('date_of_service')}: the date of service is empty.")
        person = self.cell(row, "person") or self.mapping.default_person.strip() or (
            self.sole_person or ""
        )
        if not person and not self.patient_needed:
            problems.append(f"{column('person')}: the patient's name is empty.")
        category = parsed("category", parse_category, Category(self.mapping.default_category))
        method = parsed(
            "payment_method", parse_payment_method, PaymentMethod(self.mapping.default_payment_method)
        )
        side = parsed("side", parse_side, Side.none)
        amount = parsed("amount", parse_cell_money)
        to_provider = parsed("paid_to_provider", parse_cell_money)
        paid_on = parsed("payment_date", parse_cell_date)
        diagnoses = self._diagnoses(row, day, problems, column("diagnosis_codes"))
        procedures = self._procedures(row, problems, column("procedure_codes"))
        modifiers = parsed("modifiers", codes.check_modifiers, [])
        if modifiers and not procedures:
            problems.append(
                f"{column('modifiers')}: modifiers go with a procedure code, and this row has none."
            )
        if problems:
            return BadRow(row.line, " ".join(problems))
        good = GoodRow(
            line=row.line, person=" ".join(person.split()),
            provider=" ".join(self.cell(row, "provider").split()), date_of_service=day,
            category=category, description=self.cell(row, "description"),
            body_site=self.cell(row, "body_site"), side=side, notes=self.cell(row, "notes"),
            diagnoses=tuple(diagnoses), procedures=tuple(procedures), modifiers=tuple(modifiers),
            amount_cents=amount, paid_to_provider_cents=to_provider, paid_on=paid_on or day,
            payment_method=method,
            receipt_number=self.cell(row, "receipt_number"),
        )
        pid = self.people.get(name_key(good.person))
        twin = self.existing.get((pid, day, category, amount or None)) if pid else None
        if twin is not None:
            paid = f", {format_money(amount)}" if amount else ""
            return BadRow(row.line, (
                f"this is already recorded as treatment {twin} ({good.person}, {day}, "
                f"{category.label}{paid}); remove the row, or that treatment, to import it."
            ))
        return good

    def _diagnoses(self, row: Row, day, problems: list[str], column: str) -> list[str]:
        found = []
        for code in split_codes(self.cell(row, "diagnosis_codes")):
            check = codes.check_icd10(code, day)
            if check.severity == "error":
                problems.append(f"{column}: {check.message}")
            else:
                found.append(check.code)
        try:
            return normalize_diagnoses(found)
        except ValidationError as error:
            problems.append(f"{column}: {error}")
            return []

    def _procedures(self, row: Row, problems: list[str], column: str) -> list[str]:
        found = []
        for code in split_codes(self.cell(row, "procedure_codes")):
            try:
                found.append(codes.check_procedure_code(code))
            except ValidationError as error:
                problems.append(f"{column}: {error}")
        return found
