"""Letters RegenLog drafts for the patient: the request that an insurer confirm a phone call
in writing (a verbal answer binds nobody; a written one can be shown on appeal), and, in
appeal_letter.py, the appeal of a denial.

The text is built here, without Qt; the window renders it to PDF.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import models as m
from .dates import local_time
from .deadlines import Deadline
from .enums import CallOutcome, Category

if TYPE_CHECKING:
    from .services import Services

MISSING = "[not recorded]"

# The questions the seed article says to ask the insurer before any regenerative treatment.
CALL_QUESTIONS = (
    "Does my plan cover intra-articular biologic injections, PRP, or autologous cell "
    "therapies for musculoskeletal conditions?",
    "What diagnostic codes and procedure codes would I need to provide?",
    "Is there a pre-authorization process I should follow?",
)

# What each outcome does and does not mean, shown beside the choice and repeated in letters.
OUTCOME_NOTES: dict[CallOutcome, str] = {
    CallOutcome.covered: "A verbal \"covered\" binds nobody until the insurer confirms it in "
    "writing.",
    CallOutcome.not_covered: "Ask for the denial in writing: the 180-day appeal window starts "
    "from a written denial.",
    CallOutcome.not_currently_denied: "\"Not currently denied\" is not a guarantee of coverage "
    "or payment: the claim can still be denied when it is reviewed.",
    CallOutcome.preauth_required: "Pre-authorization is not a guarantee of payment; get the "
    "pre-authorization itself in writing before the treatment.",
    CallOutcome.unknown: "Note what the representative said, then ask for it in writing.",
}

# What the letter itself says about answers that are not a promise to pay.
LETTER_CAVEATS: dict[CallOutcome, str] = {
    CallOutcome.not_currently_denied: " I understand that \"not currently denied\" is not a "
    "guarantee of coverage or payment, so I ask for a written coverage determination.",
    CallOutcome.preauth_required: " I understand that pre-authorization is not a guarantee of "
    "payment; please send the pre-authorization requirements and how to request it.",
}


@dataclass(frozen=True)
class Letter:
    subject: str
    sender: str  # name and address block
    recipient: str
    date: dt.date
    body: str  # paragraphs separated by blank lines
    deadline: Deadline | None = None  # the date to send it by, when there is one

    def text(self) -> str:
        return "\n\n".join(
            p for p in (self.sender, long_date(self.date), self.recipient,
                        f"Re: {self.subject}", self.body) if p
        ) + "\n"


def long_date(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def or_missing(value: str | None) -> str:
    return value.strip() if value and value.strip() else MISSING


def member_lines(person: m.Person, plan: m.InsurancePlan | None) -> list[str]:
    """The lines that let an insurer find the member: name, member ID, group, birth date."""
    lines = [f"Member: {person.name}", f"Member ID: {or_missing(plan.member_id if plan else '')}"]
    if plan and plan.group_number:
        lines.append(f"Group number: {plan.group_number}")
    if person.date_of_birth:
        lines.append(f"Date of birth: {long_date(person.date_of_birth)}")
    return lines


def confirmation_request(
    call: m.InsurerCall,
    person: m.Person,
    plan: m.InsurancePlan | None,
    *,
    today: dt.date,
    treatment: m.Treatment | None = None,
    diagnosis_codes: tuple[str, ...] = (),
    procedure_codes: tuple[str, ...] = (),
) -> Letter:
    """A letter asking the insurer to confirm in writing what was said on ``call``."""
    insurer = plan.insurer if plan else "the insurer"
    called = local_time(call.called_at) if call.called_at else None
    when = f"{long_date(called.date())} at {called:%H:%M}" if called else MISSING
    details = member_lines(person, plan)
    details += [
        f"Date of call: {when}",
        f"Representative: {or_missing(call.rep_name)}",
        f"Call reference number: {or_missing(call.reference_number)}",
    ]
    paragraphs = [
        "\n".join(details),
        f"Dear {insurer} member services,",
        f"On {when} I called about coverage"
        + (f" for {treatment_words(treatment)}" if treatment else "")
        + f" and spoke with {or_missing(call.rep_name)}, who gave me the reference number "
        f"{or_missing(call.reference_number)}.",
    ]
    questions = [q for q in (call.questions or "").splitlines() if q.strip()]
    if questions:
        paragraphs.append("I asked:\n" + "\n".join(f"- {q.strip()}" for q in questions))
    paragraphs.append(
        "I was told: " + (f"\"{call.answer.strip()}\"" if call.answer.strip() else MISSING)
        + f" (outcome as I understood it: {call.outcome.label.lower()})."
    )
    if diagnosis_codes or procedure_codes:
        codes = []
        if diagnosis_codes:
            codes.append("diagnosis codes (ICD-10-CM) " + ", ".join(diagnosis_codes))
        if procedure_codes:
            codes.append("procedure codes (CPT/HCPCS) " + ", ".join(procedure_codes))
        paragraphs.append("The treatment uses " + " and ".join(codes) + ".")
    ask = (
        "Please confirm this answer in writing, including whether the service is covered, any "
        "pre-authorization it needs, and the diagnosis and procedure codes the answer applies to."
    )
    ask += LETTER_CAVEATS.get(call.outcome, "")
    paragraphs.append(ask)
    paragraphs.append(f"Sincerely,\n\n{person.name}")
    recipient = "\n".join(
        p for p in (insurer if plan else "", plan.claims_address if plan else "") if p
    )
    sender = "\n".join(p for p in (person.name, person.address) if p)
    return Letter(
        subject="Request for written confirmation of a telephone call",
        sender=sender,
        recipient=recipient,
        date=today,
        body="\n\n".join(paragraphs),
    )


def treatment_words(treatment: m.Treatment) -> str:
    what = {
        Category.prp: "platelet-rich plasma (PRP) injection",
        Category.stem_cell_bone_marrow: "autologous bone-marrow cell therapy",
        Category.stem_cell_adipose: "autologous adipose-derived cell therapy",
        Category.iv_therapy: "IV therapy",
    }.get(treatment.category, treatment.category.label.lower())
    site = " ".join(
        p for p in (treatment.side.label.lower() if treatment.side.value != "none" else "",
                    treatment.body_site) if p
    )
    return what + (f" of the {site}" if site else "") + (
        f" on {long_date(treatment.date_of_service)}" if treatment.date_of_service else ""
    )


def draft_for_call(services: Services, call_id: int, *, today: dt.date) -> Letter:
    """The confirmation request for a stored call, with its person, plan and treatment."""
    records = services.records
    call = records.get(m.InsurerCall, call_id)
    person = records.get(m.Person, call.person_id)
    plan = records.get(m.InsurancePlan, call.plan_id) if call.plan_id else None
    treatment = None
    dx: tuple[str, ...] = ()
    px: tuple[str, ...] = ()
    if call.treatment_id:
        treatment = records.get(m.Treatment, call.treatment_id, include_deleted=True)
        dx = tuple(d.code for d in services.details.diagnoses(treatment.id))
        px = tuple(p.code for p in services.details.procedure_lines(treatment.id))
    return confirmation_request(
        call, person, plan, today=today, treatment=treatment,
        diagnosis_codes=dx, procedure_codes=px,
    )
