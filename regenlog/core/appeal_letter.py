"""The appeal of a denial, drafted from what the patient recorded (DOMAIN.md sections 4, 10).

A good appeal names the member and the claim, the service and its date, the denial's date
and reference and its reason quoted, says why the denial is wrong (the letter of medical
necessity, the records, a pre-authorization, what the insurer's representative said), asks
for the claim file and the criteria the plan used (29 CFR 2560.503-1(h)(2)(iii) and (g)),
keeps the right to an external review, and asks for a written decision. Everything comes from
the records; what is not recorded shows as a bracketed line for the patient to fill in.

A denial that is not final is appealed to the plan within 180 days; a final internal denial
(``is_final``) is taken to external review within 4 months. Both clocks count from the day
the notice was received, the only date recorded (upcoming.py counts the same way).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from sqlmodel import col

from . import deadlines as dl
from . import models as m
from .dates import local_time
from .enums import Decision, DeterminationKind, DocumentKind
from .errors import ValidationError
from .letters import MISSING, Letter, long_date, member_lines, or_missing, treatment_words
from .money import format_money

if TYPE_CHECKING:
    from .services import Services

# Appeal letters RegenLog saved are named like this; a new draft does not enclose an old one.
FILE_PREFIX = "appeal-letter-"
CLAIM_FILE_RULE = "29 CFR 2560.503-1(h)(2)(iii)"
CRITERIA_RULE = "29 CFR 2560.503-1(g)"

# The order enclosures are listed in: the denial itself, the physician's letter, the medical
# records, what was paid, then what the insurer said before.
_ENCLOSURE_ORDER = {
    DocumentKind.denial: 0, DocumentKind.eob: 0, DocumentKind.determination: 0,
    DocumentKind.medical_necessity_letter: 1,
    DocumentKind.clinical_note: 2, DocumentKind.imaging_report: 2, DocumentKind.lab_report: 2,
    DocumentKind.receipt: 3, DocumentKind.card_statement: 3, DocumentKind.good_faith_estimate: 3,
    DocumentKind.preauthorization: 4, DocumentKind.correspondence: 4,
}


def is_denial(determination: m.Determination) -> bool:
    """A denial letter, or any written answer (an appeal decision, an EOB) that denied."""
    return denies(determination.kind, determination.decision)


def denies(kind: str, decision: str) -> bool:
    """The same, for a kind and a decision as a form holds them (their values)."""
    return kind == DeterminationKind.denial or (
        decision == Decision.denied and kind != DeterminationKind.call_summary
    )


def appeal_deadline(determination: m.Determination) -> dl.Deadline:
    """External review for a final internal denial, else the internal appeal."""
    if determination.is_final:
        return dl.external_review_deadline(determination.received_on)
    return dl.internal_appeal_deadline(determination.received_on)


def recorded_reason(notes: str) -> str | None:
    """The reason the patient noted from the denial ("Reason: '...' (policy X). More..."):
    the first sentence after "Reason:", or None when the notes hold none."""
    found = re.search(r"\breason\s*:\s*(.+)", notes or "", re.IGNORECASE)
    if not found:
        return None
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z])", found.group(1).strip(), maxsplit=1)[0]
    return first.rstrip(".").strip() or None


def draft_appeal(services: Services, determination_id: int, *, today: dt.date) -> Letter:
    """The appeal (or, for a final denial, the external review request) of a stored denial."""
    records, details = services.records, services.details
    denial = records.get(m.Determination, determination_id)
    if not is_denial(denial):
        raise ValidationError(
            f"Only a denial can be appealed; this {denial.kind.label.lower()} is "
            f"{denial.decision.label.lower()}."
        )
    person = records.get(m.Person, denial.person_id, include_deleted=True)
    treatment = (
        records.get(m.Treatment, denial.treatment_id, include_deleted=True)
        if denial.treatment_id else None
    )
    plan_id = denial.plan_id or (treatment.plan_id if treatment else None)
    plan = records.get(m.InsurancePlan, plan_id, include_deleted=True) if plan_id else None
    provider = (
        records.get(m.Provider, treatment.provider_id, include_deleted=True)
        if treatment and treatment.provider_id else None
    )
    claim = _claim(records, denial)
    claim_number = _claim_number(records, claim, denial)
    diagnoses = details.diagnoses(treatment.id) if treatment else []
    lines = details.procedure_lines(treatment.id) if treatment else []
    deadline = appeal_deadline(denial)
    insurer = plan.insurer if plan else "the plan"
    received = long_date(denial.received_on)

    header = member_lines(person, plan)
    header += [
        f"Claim number: {claim_number or MISSING}",
        f"Denial reference number: {or_missing(denial.reference_number)}",
        f"Denial received: {received}",
    ]
    if treatment:
        header.append(f"Date of service: {long_date(treatment.date_of_service)}")
    if provider:
        npi = f" (NPI {provider.npi})" if provider.npi else ""
        header.append(f"Provider: {provider.name}{npi}")
    if claim and claim.amount_claimed_cents:
        sent = f", submitted {long_date(claim.submitted_on)}" if claim.submitted_on else ""
        header.append(f"Amount claimed: {format_money(claim.amount_claimed_cents)}{sent}")

    what = treatment_words(treatment) if treatment else "the service named in the denial"
    reference = f" (reference {denial.reference_number})" if denial.reference_number else ""
    final = denial.is_final
    paragraphs = ["\n".join(header), f"Dear {insurer} appeals reviewer,"]
    if final:
        paragraphs.append(
            f"I request an external review, by an independent review organization, of your "
            f"final decision{reference}, received on {received}, to deny coverage of my "
            f"{what}."
        )
    else:
        paragraphs.append(
            f"I am appealing your decision{reference}, received on {received}, to deny "
            f"coverage of my {what}. Please review the decision in full and pay the claim."
        )
    reason = recorded_reason(denial.notes)
    if reason:
        quoted = reason if reason[:1] in "'\"“‘" else f"“{reason}”"
        paragraphs.append(f"The denial gives this reason: {quoted}.")
    else:
        paragraphs.append("The denial gives this reason: [quote the reason from the denial "
                          "letter, with the plan provision or policy it names].")
    paragraphs += _why(services, denial, treatment)
    codes = _codes_sentence(diagnoses, lines)
    if codes:
        paragraphs.append(codes)
    paragraphs.append(
        f"Under {CLAIM_FILE_RULE}, please send me, free of charge, copies of all documents, "
        "records and other information relevant to my claim (the claim file), including the "
        "internal rule, guideline, protocol or criterion you relied on to deny it and, for a "
        "decision based on medical necessity or an experimental-treatment exclusion, the "
        f"clinical judgment behind it ({CRITERIA_RULE}), and the names of any medical experts "
        "you consulted."
    )
    if final:
        paragraphs.append(
            "Please send the decision of the review to me in writing, with its reasons."
        )
    else:
        paragraphs.append(
            "Please send me your decision in writing, with the specific reasons and the plan "
            "provisions it relies on. If you uphold the denial, I keep my right to an external "
            "review by an independent review organization, which I may request within 4 "
            "months of a final denial; please tell me in your decision how to request it."
        )
    paragraphs.append(_timeliness(deadline, today, final))
    paragraphs.append("Enclosures:\n" + "\n".join(
        f"- {item}" for item in _enclosures(services, denial, treatment)
    ))
    paragraphs.append(f"Sincerely,\n\n{person.name}")
    recipient = "\n".join(
        p for p in (insurer if plan else "", "Attn: Appeals" if plan else "",
                    plan.claims_address if plan else "") if p
    )
    return Letter(
        subject=(
            "Request for external review of a final denial" if final
            else "Appeal of a denied claim"
        ),
        sender="\n".join(p for p in (person.name, person.address) if p),
        recipient=recipient,
        date=today,
        body="\n\n".join(paragraphs),
        deadline=deadline,
    )


# -- the parts ---------------------------------------------------------------------------------
def _claim(records, denial: m.Determination) -> m.Claim | None:
    """The claim this denial answers: the one linked to it, else the treatment's insurer
    claim."""
    linked = records.list(m.Claim, where=[col(m.Claim.determination_id) == denial.id])
    if linked:
        return linked[0]
    if denial.treatment_id is None:
        return None
    claims = records.list(m.Claim, where=[
        col(m.Claim.treatment_id) == denial.treatment_id, col(m.Claim.destination) == "insurer",
    ])
    return claims[-1] if claims else None


def _claim_number(records, claim: m.Claim | None, denial: m.Determination) -> str | None:
    """The claim's number where one is recorded apart from the denial: the reference of the
    EOB the claim is linked to. A denial's own reference is listed as the denial's."""
    if claim is None or claim.determination_id in (None, denial.id):
        return None
    linked = records.get(m.Determination, claim.determination_id, include_deleted=True)
    if linked.kind == DeterminationKind.eob and linked.reference_number:
        return linked.reference_number
    return None


def _why(services: Services, denial: m.Determination, treatment: m.Treatment | None) -> list[str]:
    """Why the denial is wrong, from the records: the physician's letter, a pre-authorization,
    what the insurer's representative said."""
    out = []
    letters = _letters(services, treatment) if treatment else []
    for letter in letters:
        who = letter.physician_name or "My physician"
        said = letter.rationale.strip()
        out.append(
            f"{who} explained the medical necessity of this treatment in a letter of medical "
            f"necessity dated {long_date(letter.written_on)}, enclosed"
            + (f": “{said}”" if said else ".")
        )
    if not letters:
        out.append("[Say why the treatment was medically necessary: what it treats, what was "
                   "tried before and failed, and your physician's letter of medical necessity.]")
    if treatment is not None:
        records = services.records
        approvals = records.list(m.Determination, where=[
            col(m.Determination.treatment_id) == treatment.id,
            col(m.Determination.kind) == DeterminationKind.preauthorization,
            col(m.Determination.decision) == Decision.approved,
        ])
        for approval in approvals:
            ref = f" (reference {approval.reference_number})" if approval.reference_number else ""
            copy = services.documents.for_record(m.Determination, approval.id)
            out.append(f"You pre-authorized this treatment in writing{ref} on "
                       f"{long_date(approval.received_on)}"
                       + ("; a copy is enclosed." if copy else "."))
        calls = records.list(m.InsurerCall, where=[col(m.InsurerCall.treatment_id) == treatment.id])
        for call in calls:
            if not (call.answer.strip() and call.reference_number):
                continue  # what was said, with the reference that lets the insurer find it
            when = f" on {long_date(local_time(call.called_at).date())}" if call.called_at else ""
            rep = f" {call.rep_name}" if call.rep_name else ""
            out.append(f"My notes of my call{when} with your representative{rep} (call "
                       f"reference {call.reference_number}): “{call.answer.strip()}”")
    return out


def _letters(services: Services, treatment: m.Treatment) -> list[m.MedicalNecessityLetter]:
    """The letters of medical necessity naming the treatment or one of its diagnoses (one
    written after the denial, for the appeal, counts too), oldest first."""
    from .checklist.loader import load_facts

    facts = load_facts(services.db, [treatment.id])
    row = facts.treatments.get(treatment.id)
    if row is None:  # a treatment in the trash
        return []
    return [services.records.get(m.MedicalNecessityLetter, x.id) for x in facts.letters_for(row)]


def _codes_sentence(diagnoses, lines) -> str:
    parts = []
    if diagnoses:
        named = [f"{d.code} ({d.description})" if d.description else d.code for d in diagnoses]
        parts.append("diagnosis codes (ICD-10-CM) " + ", ".join(named))
    if lines:
        shown = [f"{p.code}-{p.modifiers.replace(',', '-')}" if p.modifiers else p.code
                 for p in lines]
        parts.append("procedure codes (CPT/HCPCS) " + ", ".join(shown))
    return ("The claim uses " + " and ".join(parts) + ".") if parts else ""


def _timeliness(deadline: dl.Deadline, today: dt.date, final: bool) -> str:
    what = "request" if final else "appeal"
    window = ("4 months of a final internal denial" if final
              else "180 days of the denial notice")
    if today <= deadline.due:
        return (f"This {what} is made within {window}; the last day is "
                f"{long_date(deadline.due)}, counted from the day I received the notice.")
    return (f"[The time to {'request an external review' if final else 'appeal'} ended on "
            f"{long_date(deadline.due)} ({window}, counted from the day the notice was "
            "received). Say why it is late, or ask the plan whether it can still be heard.]")


def _enclosures(services: Services, denial: m.Determination, treatment: m.Treatment | None) -> list[str]:
    """The papers on file about the denial and the treatment, each once, the denial first."""
    records, documents = services.records, services.documents
    owners: list[tuple[type[m.Record], int]] = [(m.Determination, denial.id)]
    fallback: list[tuple[int, str]] = []  # a record on file without a scan of it
    if treatment is not None:
        tid = treatment.id
        owners.append((m.Treatment, tid))
        for letter in _letters(services, treatment):
            owners.append((m.MedicalNecessityLetter, letter.id))
            who = f" from {letter.physician_name}" if letter.physician_name else ""
            fallback.append((letter.id, f"Letter of medical necessity{who}, dated "
                                        f"{long_date(letter.written_on)}"))
        for kind in (m.LabResult, m.Receipt, m.Claim, m.InsurerCall, m.GoodFaithEstimate):
            for record in records.list(kind, where=[col(kind.treatment_id) == tid]):
                owners.append((kind, record.id))
        for other in records.list(m.Determination, where=[
            col(m.Determination.treatment_id) == tid, col(m.Determination.id) != denial.id,
        ]):
            owners.append((m.Determination, other.id))
    seen: dict[int, m.Document] = {}
    scanned_letters: set[int] = set()
    for model, record_id in owners:
        for doc in documents.for_record(model, record_id):
            if doc.original_name.startswith(FILE_PREFIX):
                continue  # an earlier draft of this letter
            seen.setdefault(doc.id, doc)
            if model is m.MedicalNecessityLetter:
                scanned_letters.add(record_id)
    ranked = [
        (_ENCLOSURE_ORDER.get(d.kind, 5), d.document_date or dt.date.min, d.id,
         (d.title or d.original_name)
         + (f", {long_date(d.document_date)}" if d.document_date else ""))
        for d in seen.values()
    ]
    ranked += [(1, dt.date.min, 0, text) for letter_id, text in fallback
               if letter_id not in scanned_letters]
    if not documents.for_record(m.Determination, denial.id):  # the denial's own copy
        ranked.append((0, dt.date.min, 0, f"Copy of the denial received on "
                                          f"{long_date(denial.received_on)} [attach it]"))
    return [text for *_, text in sorted(ranked)]
