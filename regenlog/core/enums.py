"""The closed lists of choices a record's fields hold, one enum per list.

Member name == value, so the database and the records format hold the readable value, and a
member compares equal to (and hashes like) its string. The app's own words that no record
stores (destinations, severities, record types) are in ``vocabulary``.
"""

from enum import StrEnum


class Labelled(StrEnum):
    @property
    def label(self) -> str:
        return _LABELS.get(self.value, self.value.replace("_", " ").capitalize())


class PlanType(Labelled):
    commercial = "commercial"
    medicare = "medicare"
    medicaid = "medicaid"
    tricare = "tricare"


class AccountKind(Labelled):
    hsa = "hsa"
    fsa = "fsa"


class FsaExtension(Labelled):
    """What an FSA allows after its plan year ends (a plan cannot offer grace and carryover)."""

    none = "none"
    grace_period = "grace_period"
    run_out = "run_out"
    carryover = "carryover"


class Category(Labelled):
    stem_cell_bone_marrow = "stem_cell_bone_marrow"
    stem_cell_adipose = "stem_cell_adipose"
    prp = "prp"
    iv_therapy = "iv_therapy"
    consultation = "consultation"
    imaging = "imaging"
    follow_up = "follow_up"
    other = "other"


class Side(Labelled):
    none = "none"
    left = "left"
    right = "right"
    bilateral = "bilateral"


class RegulatoryNote(Labelled):
    none = "none"
    hctp_361 = "hctp_361"
    bla_approved = "bla_approved"
    rmat = "rmat"


class ReceiptLineKind(Labelled):
    consultation = "consultation"
    lab_processing = "lab_processing"
    procedure = "procedure"
    imaging_guidance = "imaging_guidance"
    follow_up = "follow_up"
    other = "other"


class PaymentMethod(Labelled):
    cash = "cash"
    card = "card"
    hsa_card = "hsa_card"
    fsa_card = "fsa_card"
    financing = "financing"


class CallOutcome(Labelled):
    covered = "covered"
    not_covered = "not_covered"
    not_currently_denied = "not_currently_denied"
    preauth_required = "preauth_required"
    unknown = "unknown"


class WrittenConfirmation(Labelled):
    none = "none"
    requested = "requested"
    received = "received"


class DeterminationKind(Labelled):
    coverage_determination = "coverage_determination"
    preauthorization = "preauthorization"
    denial = "denial"
    eob = "eob"
    appeal_decision = "appeal_decision"
    call_summary = "call_summary"


class Decision(Labelled):
    approved = "approved"
    denied = "denied"
    partial = "partial"
    pending = "pending"
    informational = "informational"


class ClaimDestination(Labelled):
    """Who a claim was sent to: a payer (an appeal goes back to the insurer of the claim)."""

    insurer = "insurer"
    hsa = "hsa"
    fsa = "fsa"

    @property
    def payer_name(self) -> str:
        """How a sentence names the payer: "the insurer", "the HSA"."""
        return _PAYER_NAMES[self.value]


_PAYER_NAMES = {"insurer": "the insurer", "hsa": "the HSA", "fsa": "the FSA"}


class ClaimStatus(Labelled):
    draft = "draft"
    submitted = "submitted"
    pending = "pending"
    paid = "paid"
    partly_paid = "partly_paid"
    denied = "denied"
    appealed = "appealed"


class DocumentKind(Labelled):
    receipt = "receipt"
    card_statement = "card_statement"
    imaging_report = "imaging_report"
    lab_report = "lab_report"
    medical_necessity_letter = "medical_necessity_letter"
    preauthorization = "preauthorization"
    determination = "determination"
    eob = "eob"
    denial = "denial"
    good_faith_estimate = "good_faith_estimate"
    clinical_note = "clinical_note"
    correspondence = "correspondence"
    other = "other"


_LABELS = {
    "hsa": "HSA",
    "fsa": "FSA",
    "tricare": "TRICARE",
    "prp": "PRP",
    "iv_therapy": "IV therapy",
    "stem_cell_bone_marrow": "Stem cells (bone marrow)",
    "stem_cell_adipose": "Stem cells (adipose)",
    "follow_up": "Follow-up",
    "hctp_361": "361 HCT/P",
    "bla_approved": "BLA-approved",
    "rmat": "RMAT designation",
    "lab_processing": "Lab processing of cells",
    "hsa_card": "HSA card",
    "fsa_card": "FSA card",
    "not_currently_denied": "Not currently denied",
    "preauth_required": "Pre-authorization required",
    "preauthorization": "Pre-authorization",
    "eob": "Explanation of benefits (EOB)",
    "call_summary": "Written call summary",
    "partly_paid": "Partly paid",
    "medical_necessity_letter": "Letter of medical necessity",
    "good_faith_estimate": "Good Faith Estimate",
    "grace_period": "Grace period",
    "run_out": "Run-out period",
}
