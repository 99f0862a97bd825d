"""Importing treatments and receipts from a spreadsheet: a dry run first, then one transaction.

``dry_run`` reads the file, applies the mapping and checks every row, changing nothing: each
bad row is reported with its line number and every reason it is bad, and the people and
providers that importing would create are listed; a file that names no patient, in a folder
that does not hold exactly one person, is checked all the same and the report says how to
name the patient. ``import_csv`` runs the same checks again inside the writing transaction
(the data may have changed since the dry run) and then either imports the good rows only,
or imports nothing unless every row is good: the patient chooses.

Each row becomes a Treatment with its diagnosis codes and procedure lines and, when it has a
non-zero amount, a Receipt for it (paid on the payment date if a column holds one, else on
the date of service). No receipt lines are invented: the checklist will still ask for the
clinic's itemized receipt. A row with an amount of 0 creates no receipt and marks the
treatment as not paid by the patient. What the insurer paid the provider (its own column)
becomes an EOB of the treatment recording that payment: the insurer's payment, never money
paid back to the patient, and a decision on file, so no bundle asks the insurer again. People and providers are matched by name, ignoring case
and extra spaces (the oldest record wins when two share a name), and created when new.

The row checks themselves are in ``rows.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from .. import codes
from .. import models as m
from ..enums import Decision, DeterminationKind
from ..errors import ValidationError
from ..ports import Database, HasDatabase, database_of
from ..services.records import Records
from .mapping import Mapping
from .parse import Table, read_table
from .rows import BadRow, GoodRow, RowChecker, name_key

_POINTERS = "ABCD"  # a line points at up to four diagnoses, primary first (CMS-1500 24E)


@dataclass(frozen=True)
class DryRunReport:
    file: str
    encoding: str
    good_rows: list[GoodRow]
    bad_rows: list[BadRow]
    new_people: list[str]  # created by importing the good rows
    new_providers: list[str]
    ignored_columns: list[str]  # headers no field is taken from
    # Sentences about the whole file that stop any import (no way to tell the patient).
    problems: list[str] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return len(self.good_rows) + len(self.bad_rows)

    @property
    def all_good(self) -> bool:
        return not self.bad_rows and not self.problems

    def lines(self) -> list[str]:
        """The report as the CLI prints it and the GUI can show it."""
        out = [
            f"Checked {self.total_rows} row{'s' * (self.total_rows != 1)} of {self.file} "
            f"({self.encoding}): {len(self.good_rows)} good, {len(self.bad_rows)} with problems."
        ]
        out += [f"  line {bad.line}: {bad.reason}" for bad in self.bad_rows]
        out += self.problems
        if self.new_people:
            out.append(f"New people to create: {', '.join(self.new_people)}.")
        if self.new_providers:
            out.append(f"New providers to create: {', '.join(self.new_providers)}.")
        if self.ignored_columns:
            out.append(f"Columns not imported: {', '.join(self.ignored_columns)}.")
        return out


@dataclass(frozen=True)
class ImportResult:
    treatments: int
    receipts: int
    people_created: list[str]
    providers_created: list[str]
    skipped: list[BadRow]
    treatment_ids: list[int]
    eobs: int = 0  # payments the insurer made to a provider, recorded as EOBs

    def summary(self) -> str:
        created = [
            f"{len(names)} new {what if len(names) == 1 else plural}"
            for names, what, plural in (
                (self.people_created, "person", "people"),
                (self.providers_created, "provider", "providers"),
            ) if names
        ]
        text = (
            f"Imported {self.treatments} treatment{'s' * (self.treatments != 1)} and "
            f"{self.receipts} receipt{'s' * (self.receipts != 1)}"
        )
        if created:
            text += f", with {' and '.join(created)}"
        if self.eobs:
            text += (f", and {self.eobs} payment{'s' * (self.eobs != 1)} the insurer made to "
                     f"the provider (as {'its EOB' if self.eobs == 1 else 'their EOBs'})")
        if self.skipped:
            lines = ", ".join(str(b.line) for b in self.skipped)
            text += f"; skipped line{'s' * (len(self.skipped) != 1)} {lines}"
        return text + "."


def _report(checker: RowChecker, results: list[GoodRow | BadRow]) -> DryRunReport:
    good = [r for r in results if isinstance(r, GoodRow)]
    new_people: dict[str, str] = {}
    new_providers: dict[str, str] = {}
    for row in good:
        if row.person and name_key(row.person) not in checker.people:
            new_people.setdefault(name_key(row.person), row.person)
        if row.provider and name_key(row.provider) not in checker.providers:
            new_providers.setdefault(name_key(row.provider), row.provider)
    used = set(checker.index.values())
    table = checker.table
    return DryRunReport(
        file=table.name, encoding=table.encoding, good_rows=good,
        bad_rows=[r for r in results if isinstance(r, BadRow)],
        new_people=list(new_people.values()), new_providers=list(new_providers.values()),
        ignored_columns=[h for i, h in enumerate(table.headers) if h and i not in used],
        problems=[checker.patient_needed] if checker.patient_needed else [],
    )


def _run_checks(session: Session, table: Table, mapping: Mapping) -> tuple[RowChecker, DryRunReport]:
    checker = RowChecker(session, table, mapping)
    return checker, _report(checker, [checker.check(row) for row in table.rows])


def dry_run(db: Database | HasDatabase, path: Path, mapping: Mapping) -> DryRunReport:
    """Check every row of the file against the mapping and the records; change nothing.

    Raises ValidationError for a file that cannot be read as rows (unreadable, no header, a
    mapped column missing). Every row is checked even when the file does not say whose care
    it is: that is one sentence in ``problems``, with the way to say it.
    """
    db = database_of(db)
    table = read_table(path)
    with db.session() as session:
        return _run_checks(session, table, mapping)[1]


# -- importing -----------------------------------------------------------------------------
def import_csv(db: Database | HasDatabase, path: Path, mapping: Mapping, *, only_good_rows: bool) -> ImportResult:
    """Import in ONE transaction: the good rows only, or nothing unless all rows are good.

    Raises ValidationError, with nothing stored, when a bad row forbids the import, when no
    row can be imported, or when writing fails.
    """
    db = database_of(db)
    table = read_table(path)
    records = Records(db)
    with db.session() as session:
        checker, report = _run_checks(session, table, mapping)
        if report.problems:
            raise ValidationError(report.problems[0][:-1] + "; nothing was imported.")
        if report.bad_rows and not only_good_rows:
            first = report.bad_rows[0]
            n = len(report.bad_rows)
            raise ValidationError(
                f"{n} of {report.total_rows} rows {'has' if n == 1 else 'have'} problems "
                f"(the first, line {first.line}: {first.reason}); nothing was imported. Fix "
                f"{'it' if n == 1 else 'them'}, or import the good rows only."
            )
        if not report.good_rows:
            raise ValidationError(
                f"{table.name} has no row that can be imported; nothing was imported."
            )
        writer = _Writer(session, records, checker)
        for row in report.good_rows:
            try:
                writer.write(row)
            except ValidationError as error:
                raise ValidationError(f"Line {row.line}: {error} Nothing was imported.") from None
        try:
            session.commit()
        except IntegrityError as error:
            raise ValidationError(
                "The import would break a link between records, so nothing was imported."
            ) from error
    return ImportResult(
        treatments=len(writer.treatment_ids), receipts=writer.receipts,
        people_created=writer.people_created, providers_created=writer.providers_created,
        skipped=report.bad_rows, treatment_ids=writer.treatment_ids, eobs=writer.eobs,
    )


class _Writer:
    def __init__(self, session: Session, records: Records, checker: RowChecker):
        self.s, self.records = session, records
        self.people, self.providers = dict(checker.people), dict(checker.providers)
        self.people_created: list[str] = []
        self.providers_created: list[str] = []
        self.treatment_ids: list[int] = []
        self.receipts = 0
        self.eobs = 0

    def _find_or_create(self, model, known: dict[str, int], created: list[str], name: str) -> int:
        key = name_key(name)
        if key not in known:
            known[key] = self.records.create_in(self.s, model, name=name).id
            created.append(name)
        return known[key]

    def write(self, row: GoodRow) -> None:
        person_id = self._find_or_create(m.Person, self.people, self.people_created, row.person)
        provider_id = None
        if row.provider:
            provider_id = self._find_or_create(
                m.Provider, self.providers, self.providers_created, row.provider
            )
        treatment = self.records.create_in(
            self.s, m.Treatment, person_id=person_id, provider_id=provider_id,
            date_of_service=row.date_of_service, category=row.category,
            description=row.description, body_site=row.body_site, side=row.side, notes=row.notes,
            paid_by_patient=row.amount_cents != 0,
        )
        self.treatment_ids.append(treatment.id)
        for position, code in enumerate(row.diagnoses):
            info = codes.lookup(code)
            self.s.add(m.DiagnosisCode(
                treatment_id=treatment.id, position=position, code=code,
                description=info.description if info else "",
            ))
        pointers = _POINTERS[: min(len(_POINTERS), len(row.diagnoses))]
        single = len(row.procedures) == 1 and row.amount_cents
        for position, code in enumerate(row.procedures):
            self.s.add(m.ProcedureLine(
                treatment_id=treatment.id, position=position, code=code,
                # The modifiers column speaks for the primary (first) service line.
                modifiers=",".join(row.modifiers) if position == 0 else "",
                # The amount is the line's charge only when there is one line to give it to.
                charge_cents=(row.amount_cents or 0) if single else 0,
                pointers=pointers,
            ))
        if row.amount_cents:
            self.records.create_in(
                self.s, m.Receipt, treatment_id=treatment.id, paid_on=row.paid_on,
                total_cents=row.amount_cents, payment_method=row.payment_method,
                receipt_number=row.receipt_number,
            )
            self.receipts += 1
        if row.paid_to_provider_cents:
            self.records.create_in(
                self.s, m.Determination, person_id=person_id, treatment_id=treatment.id,
                kind=DeterminationKind.eob, decision=Decision.informational,
                received_on=row.paid_on or row.date_of_service,
                amount_paid_to_provider_cents=row.paid_to_provider_cents,
                notes=f"From line {row.line} of the spreadsheet: what the insurer paid the "
                      "provider.",
            )
            self.eobs += 1
        self.s.flush()
