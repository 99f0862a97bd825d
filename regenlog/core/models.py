"""The records RegenLog keeps, as sqlmodel tables.

Money is integer cents (``*_cents``), rates are basis points (``*_bp``: 29.99% -> 2999),
dates are ``date``. Top-level records carry ``deleted_at``: deleting moves them to the trash,
from which they can be restored; nothing cascades silently.
"""

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import MetaData, Table, UniqueConstraint
from sqlmodel import Field, SQLModel

from .enums import (
    AccountKind,
    CallOutcome,
    Category,
    ClaimDestination,
    ClaimStatus,
    Decision,
    DeterminationKind,
    DocumentKind,
    FsaExtension,
    PaymentMethod,
    PlanType,
    ReceiptLineKind,
    RegulatoryNote,
    Side,
    WrittenConfirmation,
)

# Named constraints let Alembic's batch mode alter SQLite tables reliably.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(SQLModel):
    """Shared metadata with the naming convention (kept off SQLModel's global metadata)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    if TYPE_CHECKING:
        # Every table here names itself (``__tablename__ = "person"``) and SQLAlchemy gives
        # it its ``__table__``: said once, so the checker knows both of any model.
        __tablename__: ClassVar[str]
        __table__: ClassVar[Table]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _fk(target: str, *, nullable: bool = False, index: bool = True) -> Any:
    return Field(
        default=None, foreign_key=target, ondelete="RESTRICT", index=index, nullable=nullable
    )


class Record(Base):
    """Columns every top-level record has."""

    # Typed as what every stored record has: a new one gets its id on insert, and the
    # default None is never read.
    id: int = Field(default=None, primary_key=True)
    notes: str = ""
    created_at: dt.datetime = Field(default_factory=_now)
    updated_at: dt.datetime = Field(default_factory=_now)
    deleted_at: dt.datetime | None = Field(default=None, index=True)


class Person(Record, table=True):
    __tablename__ = "person"
    name: str
    date_of_birth: dt.date | None = None
    sex: str = ""
    address: str = ""


class InsurancePlan(Record, table=True):
    __tablename__ = "insurance_plan"
    person_id: int = _fk("person.id")
    insurer: str
    plan_name: str = ""
    plan_type: PlanType = PlanType.commercial
    member_id: str = ""
    group_number: str = ""
    phone: str = ""
    claims_address: str = ""
    # Days from the date of service to file a claim (out-of-network plans: often 90 or 365).
    filing_limit_days: int | None = None


class Account(Record, table=True):
    """An HSA or FSA."""

    __tablename__ = "account"
    person_id: int = _fk("person.id")
    kind: AccountKind
    administrator: str = ""
    account_number: str = ""
    opened_on: dt.date | None = None
    plan_year_start: dt.date | None = None
    plan_year_end: dt.date | None = None
    extension: FsaExtension = FsaExtension.none
    grace_period_end: dt.date | None = None
    run_out_days: int | None = None


class Provider(Record, table=True):
    __tablename__ = "provider"
    name: str
    credentials: str = ""
    is_organization: bool = False
    npi: str = ""
    tax_id: str = ""
    address: str = ""
    phone: str = ""
    place_of_service: str = ""


class Treatment(Record, table=True):
    __tablename__ = "treatment"
    person_id: int = _fk("person.id")
    provider_id: int | None = _fk("provider.id", nullable=True)
    plan_id: int | None = _fk("insurance_plan.id", nullable=True)
    date_of_service: dt.date = Field(index=True)
    category: Category
    description: str = ""
    body_site: str = ""
    side: Side = Side.none
    indication: str = ""
    regulatory_note: RegulatoryNote = RegulatoryNote.none
    # Cash-pay care is paid by the patient; False for a visit billed and not yet paid.
    paid_by_patient: bool = True
    # The physician who sent the patient (CMS-1500 boxes 17/17b); added in schema 0003.
    referring_provider_id: int | None = _fk("provider.id", nullable=True)


class DiagnosisCode(Base, table=True):
    """An ICD-10-CM code on a treatment; ``position`` 0 is the primary (CMS-1500 box 21 A)."""

    __tablename__ = "diagnosis_code"
    __table_args__ = (UniqueConstraint("treatment_id", "position"),)
    id: int = Field(default=None, primary_key=True)  # see Record.id
    treatment_id: int = Field(foreign_key="treatment.id", ondelete="CASCADE", index=True)
    position: int
    code: str
    description: str = ""


class ProcedureLine(Base, table=True):
    """A CPT/HCPCS service line (CMS-1500 box 24)."""

    __tablename__ = "procedure_line"
    __table_args__ = (UniqueConstraint("treatment_id", "position"),)
    id: int = Field(default=None, primary_key=True)  # see Record.id
    treatment_id: int = Field(foreign_key="treatment.id", ondelete="CASCADE", index=True)
    position: int
    code: str
    description: str = ""
    # Up to four two-character modifiers, comma-separated ("RT,GA").
    modifiers: str = ""
    units: int = 1
    charge_cents: int = 0
    # Diagnosis pointers, letters A-L into the treatment's codes, primary first ("AB").
    pointers: str = "A"


class GoodFaithEstimate(Record, table=True):
    __tablename__ = "good_faith_estimate"
    person_id: int = _fk("person.id")
    provider_id: int | None = _fk("provider.id", nullable=True)
    treatment_id: int | None = _fk("treatment.id", nullable=True)
    issued_on: dt.date
    total_cents: int


class Receipt(Record, table=True):
    __tablename__ = "receipt"
    treatment_id: int = _fk("treatment.id")
    paid_on: dt.date
    total_cents: int
    payment_method: PaymentMethod = PaymentMethod.card
    receipt_number: str = ""


class ReceiptLine(Base, table=True):
    __tablename__ = "receipt_line"
    __table_args__ = (UniqueConstraint("receipt_id", "position"),)
    id: int = Field(default=None, primary_key=True)  # see Record.id
    receipt_id: int = Field(foreign_key="receipt.id", ondelete="CASCADE", index=True)
    position: int
    kind: ReceiptLineKind
    description: str = ""
    amount_cents: int


class LabResult(Record, table=True):
    __tablename__ = "lab_result"
    person_id: int = _fk("person.id")
    treatment_id: int | None = _fk("treatment.id", nullable=True)
    test: str
    value: str
    unit: str = ""
    reference_range: str = ""
    collected_on: dt.date
    abnormal: bool = False


class InsurerCall(Record, table=True):
    __tablename__ = "insurer_call"
    person_id: int = _fk("person.id")
    plan_id: int | None = _fk("insurance_plan.id", nullable=True)
    treatment_id: int | None = _fk("treatment.id", nullable=True)
    called_at: dt.datetime | None = None
    rep_name: str = ""
    reference_number: str = ""
    questions: str = ""
    answer: str = ""
    outcome: CallOutcome = CallOutcome.unknown
    written_confirmation: WrittenConfirmation = WrittenConfirmation.none
    confirmation_requested_on: dt.date | None = None


class Determination(Record, table=True):
    """A written answer from the insurer: coverage, pre-authorization, denial, EOB, appeal."""

    __tablename__ = "determination"
    person_id: int = _fk("person.id")
    plan_id: int | None = _fk("insurance_plan.id", nullable=True)
    treatment_id: int | None = _fk("treatment.id", nullable=True)
    call_id: int | None = _fk("insurer_call.id", nullable=True)
    kind: DeterminationKind
    decision: Decision = Decision.informational
    reference_number: str = ""
    received_on: dt.date
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    codes_covered: str = ""
    # A final internal denial starts the 4-month external-review clock.
    is_final: bool = False
    amount_allowed_cents: int | None = None
    # An EOB's payment to the patient, and (schema 0004) to the provider directly: both are
    # the insurer's payment, but only the first is money paid back to the patient.
    amount_paid_cents: int | None = None
    amount_paid_to_provider_cents: int | None = None


class MedicalNecessityLetter(Record, table=True):
    __tablename__ = "medical_necessity_letter"
    person_id: int = _fk("person.id")
    provider_id: int | None = _fk("provider.id", nullable=True)
    physician_name: str = ""
    written_on: dt.date
    rationale: str = ""
    treatment_and_frequency: str = ""
    expected_duration: str = ""
    valid_until: dt.date | None = None


class LetterDiagnosis(Base, table=True):
    __tablename__ = "letter_diagnosis"
    __table_args__ = (UniqueConstraint("letter_id", "position"),)
    id: int = Field(default=None, primary_key=True)  # see Record.id
    letter_id: int = Field(
        foreign_key="medical_necessity_letter.id", ondelete="CASCADE", index=True
    )
    position: int
    code: str


class LetterTreatment(Base, table=True):
    __tablename__ = "letter_treatment"
    __table_args__ = (UniqueConstraint("letter_id", "treatment_id"),)
    id: int = Field(default=None, primary_key=True)  # see Record.id
    letter_id: int = Field(
        foreign_key="medical_necessity_letter.id", ondelete="CASCADE", index=True
    )
    treatment_id: int = Field(foreign_key="treatment.id", ondelete="RESTRICT", index=True)


class Claim(Record, table=True):
    """A submission for reimbursement of one treatment: to the insurer, the HSA or the FSA."""

    __tablename__ = "claim"
    treatment_id: int = _fk("treatment.id")
    destination: ClaimDestination
    plan_id: int | None = _fk("insurance_plan.id", nullable=True)
    account_id: int | None = _fk("account.id", nullable=True)
    determination_id: int | None = _fk("determination.id", nullable=True)
    submitted_on: dt.date | None = None
    amount_claimed_cents: int = 0
    status: ClaimStatus = ClaimStatus.draft
    amount_paid_cents: int = 0  # paid back to the patient
    paid_on: dt.date | None = None
    # Paid by the payer straight to the provider (schema 0004): the payer's payment, never
    # money paid back to the patient.
    amount_paid_to_provider_cents: int = 0


class FinancingPlan(Record, table=True):
    __tablename__ = "financing_plan"
    person_id: int = _fk("person.id")
    treatment_id: int | None = _fk("treatment.id", nullable=True)
    lender: str
    amount_cents: int
    purchase_date: dt.date
    promo_months: int = 0
    promo_end: dt.date | None = None
    promo_apr_bp: int = 0
    standard_apr_bp: int = 0
    deferred_interest: bool = True
    minimum_payment_cents: int = 0


class FinancingPayment(Base, table=True):
    __tablename__ = "financing_payment"
    id: int = Field(default=None, primary_key=True)  # see Record.id
    plan_id: int = Field(foreign_key="financing_plan.id", ondelete="CASCADE", index=True)
    paid_on: dt.date
    amount_cents: int


class Document(Record, table=True):
    """A file kept in the attachment store (by SHA-256) with what the user knows of it."""

    __tablename__ = "document"
    sha256: str = Field(index=True, min_length=64, max_length=64)
    original_name: str
    content_type: str = "application/octet-stream"
    size: int
    kind: DocumentKind = DocumentKind.other
    title: str = ""
    document_date: dt.date | None = None


class DocumentLink(Base, table=True):
    """Attaches a document to any record; one document may be linked to several."""

    __tablename__ = "document_link"
    __table_args__ = (UniqueConstraint("document_id", "record_type", "record_id"),)
    id: int = Field(default=None, primary_key=True)  # see Record.id
    document_id: int = Field(foreign_key="document.id", ondelete="RESTRICT", index=True)
    record_type: str = Field(index=True)
    record_id: int = Field(index=True)


# Which of these are top-level records, and what RegenLog knows of each kind, is in
# ``record_kinds.RECORD_KINDS``.
metadata = Base.metadata
