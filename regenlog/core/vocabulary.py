"""The words every face of RegenLog shares and no record column stores: whom a bundle is for
(``Destination``), how much a finding of the check matters (``Severity``), whose business it
is (``About``) and the kinds of record (``RecordType``). One enum each, used by core, bundle,
command line and UI alike; the choices a record's fields hold are in ``enums``.

Kept apart from ``enums`` because the command line imports it to build its choices: this
module stays small and imports nothing else of RegenLog's at start. Member name == value, so
``check --json`` and the records format hold the readable value, and a member compares equal
to (and hashes like) its string: ``"hsa"`` finds ``Destination.hsa`` in a dict or a set.
"""

from enum import StrEnum

from .errors import ValidationError

# typing.TYPE_CHECKING without importing typing, which would add 2-3 ms to every command's
# start; type checkers read the name alone.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from .enums import ClaimDestination


class Destination(StrEnum):
    """Who a bundle is for, and so which paperwork the check asks for: a claim to one of the
    payers (``ClaimDestination``), or an appeal to the insurer of a refused claim."""

    insurer = "insurer"
    hsa = "hsa"
    fsa = "fsa"
    appeal = "appeal"

    @property
    def payer(self) -> "ClaimDestination":
        """The payer the bundle's money is asked of: an appeal asks the insurer again."""
        from .enums import ClaimDestination  # the stored choices load with the records

        return ClaimDestination("insurer" if self is Destination.appeal else self.value)

    @property
    def to_account(self) -> bool:
        """An HSA or FSA bundle: to an account administrator, not to the insurer."""
        return self in (Destination.hsa, Destination.fsa)

    @property
    def label(self) -> str:
        """As a title: "HSA reimbursement"."""
        name = self.bundle_name
        return name[:1].upper() + name[1:]

    @property
    def bundle_name(self) -> str:
        """As it reads inside a sentence: "this HSA reimbursement bundle"."""
        return _BUNDLE_NAMES[self.value]

    @property
    def for_phrase(self) -> str:
        """What a report is for: "an HSA reimbursement" (every name starts with a vowel
        sound)."""
        return f"an {self.bundle_name}"


_BUNDLE_NAMES = {
    "insurer": "insurer claim",
    "hsa": "HSA reimbursement",
    "fsa": "FSA reimbursement",
    "appeal": "appeal",
}


def check_destination(destination: str) -> Destination:
    """``destination`` (typed, passed or read) as a ``Destination``, or one sentence naming
    the choices."""
    try:
        return Destination(destination)
    except ValueError:
        *first, last = (d.value for d in Destination)
        raise ValidationError(
            f'"{destination}" is not a bundle destination; choose {", ".join(first)} or {last}.',
            "destination",
        ) from None


class Severity(StrEnum):
    """How much a finding of the check matters, most serious first."""

    error = "error"  # the bundle would be refused or the money lost without it
    warning = "warning"  # a reviewer may ask for it or doubt the claim
    info = "info"  # worth knowing; nothing to send

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for info: the order findings are listed in."""
        return _SEVERITY_ORDER.index(self.value)

    @property
    def heading(self) -> str:
        """The heading over findings of this severity: "Errors", "Warnings", "Notes"."""
        return _SEVERITY_HEADINGS[self.value]

    @property
    def noun(self) -> str:
        """What one finding of this severity is called in a count: "2 errors and 1 note"."""
        return _SEVERITY_NOUNS[self.value]


_SEVERITY_ORDER = ("error", "warning", "info")
_SEVERITY_HEADINGS = {"error": "Errors", "warning": "Warnings", "info": "Notes"}
_SEVERITY_NOUNS = {"error": "error", "warning": "warning", "info": "note"}


class About(StrEnum):
    """Whose business a finding is: the paperwork a bundle needs, or the patient's own money
    and deadlines (a promotion ending, a window closing), which no bundle settles."""

    bundle = "bundle"
    patient = "patient"


class RecordType(StrEnum):
    """The kinds of top-level record, by table name, as the records format, document links,
    search hits and the check name them (``record_kinds`` says everything else about each)."""

    person = "person"
    insurance_plan = "insurance_plan"
    account = "account"
    provider = "provider"
    treatment = "treatment"
    good_faith_estimate = "good_faith_estimate"
    receipt = "receipt"
    lab_result = "lab_result"
    insurer_call = "insurer_call"
    determination = "determination"
    medical_necessity_letter = "medical_necessity_letter"
    claim = "claim"
    financing_plan = "financing_plan"
    document = "document"


