"""The parts a record owns, replaced as a whole list: a treatment's diagnosis codes and
procedure lines, a receipt's lines, a letter's diagnoses and treatments, a plan's payments.

Each ``set_*`` validates the whole list first and writes it in one transaction.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from .. import codes
from .. import models as m
from ..enums import ReceiptLineKind
from ..errors import ValidationError
from ..money import MAX_CENTS, format_money
from ..ports import Database
from .records import Records, now

# Short names for the tables the queries below read.
T, D, N, L = m.Treatment, m.DiagnosisCode, m.MedicalNecessityLetter, m.LetterDiagnosis

MAX_DIAGNOSES = 12  # CMS-1500 box 21 holds A-L


@dataclass
class ProcedureInput:
    code: str
    charge_cents: int = 0
    units: int = 1
    modifiers: str | Sequence[str] = ""
    pointers: str = "A"
    description: str = ""


@dataclass
class ReceiptLineInput:
    kind: ReceiptLineKind | str
    amount_cents: int
    description: str = ""


class Details:
    def __init__(self, db: Database):
        self.db = db
        self.records = Records(db)

    # -- treatments ------------------------------------------------------------------------
    def diagnoses(self, treatment_id: int) -> list[m.DiagnosisCode]:
        return self._children(m.DiagnosisCode, "treatment_id", treatment_id)

    def procedure_lines(self, treatment_id: int) -> list[m.ProcedureLine]:
        return self._children(m.ProcedureLine, "treatment_id", treatment_id)

    def household_diagnosis_codes(self) -> list[str]:
        """The codes on live treatments and letters, most used first, then most recent: a
        code search lists them first, since a household's care keeps returning to them."""
        uses: dict[str, list] = {}
        with self.db.session() as session:
            for rows in (
                session.exec(select(D.code, func.count(), func.max(T.date_of_service))
                             .join(T, col(T.id) == D.treatment_id)
                             .where(col(T.deleted_at).is_(None)).group_by(D.code)),
                session.exec(select(L.code, func.count(), func.max(N.written_on))
                             .join(N, col(N.id) == L.letter_id)
                             .where(col(N.deleted_at).is_(None)).group_by(L.code)),
            ):
                for code, count, last in rows:
                    used = uses.setdefault(code, [0, dt.date.min])
                    used[0] += count
                    used[1] = max(used[1], last or dt.date.min)
        return sorted(uses, key=lambda code: (-uses[code][0], -uses[code][1].toordinal(), code))

    def set_diagnoses(
        self, treatment_id: int, entered: Sequence[str], *, replaced: dict[str, str] | None = None
    ) -> list[m.DiagnosisCode]:
        """Replace the treatment's codes. Procedure lines keep pointing at the same codes: a
        pointer is a letter for a position, so reordering or removing codes re-letters them
        (a line pointing at a code that goes away is refused). ``replaced`` maps an old code
        to the code that corrects it: lines pointing at the old one point at the new one."""
        normalized = normalize_diagnoses(entered)
        new_letter = {code: _POINTERS[i] for i, code in enumerate(normalized)}
        renamed = {_as_stored(old): codes.normalize_icd10(new)
                   for old, new in (replaced or {}).items()}
        with self.db.session() as session:
            self._owner(session, m.Treatment, treatment_id)
            old = [d.code for d in session.exec(
                select(m.DiagnosisCode).where(m.DiagnosisCode.treatment_id == treatment_id)
                .order_by(col(m.DiagnosisCode.position))
            )]
            lines = list(session.exec(
                select(m.ProcedureLine).where(m.ProcedureLine.treatment_id == treatment_id)
            ))
            for line in lines:
                pointers = ""
                for letter in line.pointers:
                    if letter not in _POINTERS:  # kept as imported: px.invalid asks for a fix
                        pointers += letter
                        continue
                    index = _POINTERS.index(letter)
                    code = old[index] if index < len(old) else None
                    if code is not None:
                        code = renamed.get(code, code)
                    if code not in new_letter:
                        raise ValidationError(
                            f"Procedure line {line.position + 1} points at a diagnosis that "
                            "would no longer exist; change its pointers first."
                        )
                    pointers += new_letter[code]
                if not pointers and normalized:
                    # Lines entered before any code point at the primary one once it exists.
                    pointers = "A"
                if pointers != line.pointers:
                    line.pointers = pointers
                    session.add(line)
            self._replace(session, m.DiagnosisCode, "treatment_id", treatment_id, [
                m.DiagnosisCode(
                    treatment_id=treatment_id, position=i, code=code,
                    description=(info.description if (info := codes.lookup(code)) else ""),
                )
                for i, code in enumerate(normalized)
            ])
            self._touch(session, m.Treatment, treatment_id)
            session.commit()
        return self.diagnoses(treatment_id)

    def set_procedure_lines(
        self, treatment_id: int, lines: Sequence[ProcedureInput]
    ) -> list[m.ProcedureLine]:
        n_dx = len(self.diagnoses(treatment_id))
        rows = []
        for i, line in enumerate(lines):
            where = f"Line {i + 1}: "
            try:
                code = codes.check_procedure_code(line.code)
                modifiers = codes.check_modifiers(line.modifiers)
                pointers = codes.check_pointers(line.pointers, n_dx) if n_dx else ""
            except ValidationError as error:
                raise ValidationError(where + str(error)) from None
            if not _whole(line.units) or line.units < 1 or line.units > 999:
                raise ValidationError(where + "units must be a whole number from 1 to 999.")
            if not _whole(line.charge_cents) or line.charge_cents < 0:
                raise ValidationError(where + "the charge cannot be negative.")
            if line.charge_cents > MAX_CENTS:
                raise ValidationError(where + f"the charge is {_TOO_MUCH}")
            rows.append(m.ProcedureLine(
                treatment_id=treatment_id, position=i, code=code, modifiers=",".join(modifiers),
                units=line.units, charge_cents=line.charge_cents, pointers=pointers,
                description=(line.description or "").strip(),
            ))
        with self.db.session() as session:
            self._owner(session, m.Treatment, treatment_id)
            self._replace(session, m.ProcedureLine, "treatment_id", treatment_id, rows)
            self._touch(session, m.Treatment, treatment_id)
            session.commit()
        return self.procedure_lines(treatment_id)

    # -- receipts --------------------------------------------------------------------------
    def receipt_lines(self, receipt_id: int) -> list[m.ReceiptLine]:
        return self._children(m.ReceiptLine, "receipt_id", receipt_id)

    def set_receipt_lines(
        self, receipt_id: int, lines: Sequence[ReceiptLineInput]
    ) -> list[m.ReceiptLine]:
        rows = []
        for i, line in enumerate(lines):
            try:
                kind = ReceiptLineKind(line.kind)
            except ValueError:
                raise ValidationError(f'Line {i + 1}: "{line.kind}" is not a kind of charge.') from None
            if not _whole(line.amount_cents) or line.amount_cents < 0:
                raise ValidationError(f"Line {i + 1}: the amount cannot be negative.")
            if line.amount_cents > MAX_CENTS:
                raise ValidationError(f"Line {i + 1}: the amount is {_TOO_MUCH}")
            rows.append(m.ReceiptLine(
                receipt_id=receipt_id, position=i, kind=kind, amount_cents=line.amount_cents,
                description=(line.description or "").strip(),
            ))
        with self.db.session() as session:
            self._owner(session, m.Receipt, receipt_id)
            self._replace(session, m.ReceiptLine, "receipt_id", receipt_id, rows)
            self._touch(session, m.Receipt, receipt_id)
            session.commit()
        return self.receipt_lines(receipt_id)

    # -- letters of medical necessity ------------------------------------------------------
    def letter_diagnoses(self, letter_id: int) -> list[str]:
        return [d.code for d in self._children(m.LetterDiagnosis, "letter_id", letter_id)]

    def letter_treatments(self, letter_id: int) -> list[int]:
        with self.db.session() as session:
            return list(session.exec(
                select(m.LetterTreatment.treatment_id)
                .where(m.LetterTreatment.letter_id == letter_id)
                .order_by(col(m.LetterTreatment.treatment_id))
            ))

    def set_letter_coverage(
        self, letter_id: int, diagnoses: Sequence[str], treatment_ids: Sequence[int] = ()
    ) -> None:
        normalized = normalize_diagnoses(diagnoses)
        with self.db.session() as session:
            letter = self._owner(session, m.MedicalNecessityLetter, letter_id)
            for tid in treatment_ids:
                treatment = session.get(m.Treatment, tid)
                if treatment is None or treatment.deleted_at is not None:
                    raise ValidationError(f"There is no treatment number {tid} to cover.")
                if treatment.person_id != letter.person_id:
                    raise ValidationError(
                        f"Treatment {tid} is for someone else; a letter covers one patient."
                    )
            self._replace(session, m.LetterDiagnosis, "letter_id", letter_id, [
                m.LetterDiagnosis(letter_id=letter_id, position=i, code=c)
                for i, c in enumerate(normalized)
            ])
            self._replace(session, m.LetterTreatment, "letter_id", letter_id, [
                m.LetterTreatment(letter_id=letter_id, treatment_id=t)
                for t in sorted(set(treatment_ids))
            ])
            self._touch(session, m.MedicalNecessityLetter, letter_id)
            session.commit()

    # -- financing -------------------------------------------------------------------------
    def payments(self, plan_id: int) -> list[m.FinancingPayment]:
        with self.db.session() as session:
            return list(session.exec(
                select(m.FinancingPayment).where(m.FinancingPayment.plan_id == plan_id)
                .order_by(col(m.FinancingPayment.paid_on), col(m.FinancingPayment.id))
            ))

    def add_payment(self, plan_id: int, paid_on, amount_cents: int) -> m.FinancingPayment:
        with self.db.session() as session:
            plan = self._owner(session, m.FinancingPlan, plan_id)
            if not isinstance(paid_on, dt.date) or isinstance(paid_on, dt.datetime):
                raise ValidationError("The payment date must be a date.")
            if not _whole(amount_cents):
                raise ValidationError("A payment must be a whole number of cents.")
            if amount_cents <= 0:
                raise ValidationError("A payment must be more than $0.00.")
            if amount_cents > MAX_CENTS:
                raise ValidationError(f"The payment is {_TOO_MUCH}")
            if paid_on < plan.purchase_date:
                raise ValidationError("A payment cannot be dated before the purchase.")
            payment = m.FinancingPayment(plan_id=plan_id, paid_on=paid_on, amount_cents=amount_cents)
            session.add(payment)
            self._touch(session, m.FinancingPlan, plan_id)
            session.commit()
            session.refresh(payment)
            return payment

    def remove_payment(self, payment_id: int) -> None:
        with self.db.session() as session:
            payment = session.get(m.FinancingPayment, payment_id)
            if payment is None:
                raise ValidationError(f"There is no payment number {payment_id}.")
            self._owner(session, m.FinancingPlan, payment.plan_id)  # not on a trashed plan
            session.delete(payment)
            self._touch(session, m.FinancingPlan, payment.plan_id)
            session.commit()

    # -- helpers ---------------------------------------------------------------------------
    def _children(self, model, field: str, owner_id: int):
        with self.db.session() as session:
            order = col(model.position) if hasattr(model, "position") else col(model.id)
            return list(session.exec(
                select(model).where(getattr(model, field) == owner_id).order_by(order)
            ))

    def _owner(self, session: Session, model, owner_id: int):
        return self.records._get(session, model, owner_id)

    @staticmethod
    def _replace(session: Session, model, field: str, owner_id: int, rows) -> None:
        session.exec(delete(model).where(getattr(model, field) == owner_id))
        session.flush()
        session.add_all(rows)
        session.flush()

    def _touch(self, session: Session, model: type[m.Record], owner_id: int) -> None:
        record = self.records._get(session, model, owner_id)  # found live by _owner already
        record.updated_at = now()
        session.add(record)


_POINTERS = "ABCDEFGHIJKL"  # CMS-1500 box 21: diagnoses A to L
_TOO_MUCH = f"more than {format_money(MAX_CENTS)}; check the amount."


def _whole(value) -> bool:
    """An int that is not a bool (True is an int in Python, never an amount)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _as_stored(code: str) -> str:
    """A code as it is stored: normalised, or as written when an import kept a malformed one
    (which is what ``replaced`` corrects)."""
    try:
        return codes.normalize_icd10(code)
    except ValidationError:
        return (code or "").strip()


def normalize_diagnoses(entered: Sequence[str]) -> list[str]:
    """Normalise, drop blanks, refuse duplicates and more than twelve codes."""
    out: list[str] = []
    for text in entered:
        if not (text or "").strip():
            continue
        code = codes.normalize_icd10(text)
        if code in out:
            raise ValidationError(f"{code} is listed twice.")
        out.append(code)
    if len(out) > MAX_DIAGNOSES:
        raise ValidationError("A claim form holds at most 12 diagnosis codes (A to L).")
    return out
