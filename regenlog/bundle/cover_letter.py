"""The cover letter: to the payer, about one patient, what is claimed and what is enclosed.

It lists only the enclosures the writer actually puts in the ZIP (the same numbered list),
and it mentions a letter of medical necessity or a denial as "enclosed" only when its
document is one of them. It asks only for what is still claimable from this payer (the
core's figures, ``asking``), and names the claims already open with it, which the bundle
supports without asking for their amounts again.
"""

from __future__ import annotations

import datetime as dt

from ..core.enums import DocumentKind
from ..core.vocabulary import Destination
from . import asking
from .describe import payer_name, provider_name, service
from .enclosures import Enclosure
from .markup import Raw, day, esc, fields, grid, money
from .select import BundleRecords


def cover_letter_html(
    records: BundleRecords, enclosures: list[Enclosure], today: dt.date
) -> str:
    person = records.person
    parts = [
        f"<p>{esc(person.name)}<br>{esc(person.address).replace(chr(10), '<br>')}</p>",
        f"<p>{esc(day(today))}</p>",
        _addressee(records),
        f"<p><b>{esc(_subject(records))}</b></p>",
        _identity(records),
        "<p><br>To whom it may concern:</p>",
        _request(records, enclosures),
        _claimed_table(records),
        "<h3>Enclosed</h3>",
        _enclosure_list(enclosures),
        "<p class=small>The files <i>index.csv</i>, <i>manifest.json</i> and "
        "<i>fhir/bundle.json</i> in the same archive list these documents with their "
        "SHA-256 checksums, for systems that read them.</p>",
        "<p>Please contact me with any question about this request.</p>",
        f"<p>Sincerely,<br><br><br>______________________________<br>{esc(person.name)}</p>",
    ]
    return "".join(p for p in parts if p)


def _addressee(records: BundleRecords) -> str:
    lines = [payer_name(records)]
    plan = records.payer_plan
    if plan is not None:
        lines.append("Appeals department" if records.destination == Destination.appeal
                     else "Claims department")
        lines += [x for x in plan.claims_address.splitlines() if x.strip()]
    return "<p>" + "<br>".join(esc(x) for x in lines) + "</p>"


def _subject(records: BundleRecords) -> str:
    who = records.person.name
    return {
        Destination.insurer: f"Claim for reimbursement of out-of-network services: {who}",
        Destination.appeal: f"Request for internal appeal: {who}",
        Destination.hsa: f"Request for HSA reimbursement of qualified medical expenses: {who}",
        Destination.fsa: f"Request for FSA reimbursement of qualified medical expenses: {who}",
    }[records.destination]


def _identity(records: BundleRecords) -> str:
    person, plan, account = records.person, records.payer_plan, records.account
    pairs: list[tuple[str, object]] = [
        ("Patient", person.name), ("Date of birth", day(person.date_of_birth)),
    ]
    if plan is not None:
        pairs += [
            ("Plan", plan.plan_name), ("Member ID", plan.member_id),
            ("Group number", plan.group_number),
        ]
    if account is not None:
        kind = records.destination.payer.label  # "HSA", "FSA"
        pairs += [(f"{kind} account", account.account_number)]
    return fields(pairs)


def _request(records: BundleRecords, enclosures: list[Enclosure]) -> str:
    asked = asking.total_requested(records)
    total = money(asked)
    dest = records.destination
    if dest == Destination.insurer:
        charges = money(asking.total(records, "billed_cents"))
        if not asking.total(records, "paid_cents"):
            text = (
                "I have not yet paid the provider for the services below; please process this "
                f"claim under my plan's benefits. The charges total {charges}."
            )
        elif asked:
            text = (
                "I paid the provider directly for the services below and ask you to process this "
                f"claim and reimburse me under my plan's benefits. The charges total {charges}; "
                f"I ask for {total}, what I paid that has not been paid back or claimed "
                "elsewhere."
            )
        elif _supported(records):  # the paperwork for claims already with this insurer
            text = f"I paid the provider directly for the services below; the charges total {charges}."
        else:
            text = (
                f"I paid the provider directly for the services below (the charges total "
                f"{charges}); what I paid has been paid back or is claimed elsewhere, so I ask "
                "for no reimbursement here."
            )
        text += (" The enclosed itemized statement gives the diagnosis and procedure codes, the "
                 "provider's NPI and tax ID, and what I paid.")
    elif dest == Destination.appeal:
        text = _appeal_request(records, enclosures, total)
    elif asked == 0 and _supported(records):  # the paperwork for a claim already made
        text = (
            "The enclosed itemized statement substantiates each qualified medical expense "
            "below with its diagnosis and what was paid."
        ) + _letter_sentence(records, enclosures)
    elif asked == 0:  # card-paid, paid back or claimed elsewhere: proof only
        kind = dest.payer.label  # "HSA", "FSA"
        text = (
            f"The qualified medical expenses below were paid with my {kind} card, paid back or "
            "are claimed from another payer, so I ask for no new reimbursement here. The "
            "enclosed itemized statement substantiates each expense with its diagnosis and "
            "what was paid."
        ) + _letter_sentence(records, enclosures)
    else:
        kind = dest.payer.label  # "HSA", "FSA"
        text = (
            f"Please reimburse me from my {kind} for the qualified medical expenses below, "
            f"which I paid out of pocket and nobody has paid back: {total} in all. The "
            "enclosed itemized statement lists each expense with its diagnosis and what was "
            "paid."
        ) + _letter_sentence(records, enclosures)
    return f"<p>{text}{_supported(records)}</p>"


def _supported(records: BundleRecords) -> str:
    """" This bundle supports my claim of 2026-04-20 for $850.00, ...": open claims to this
    payer, which a second request must not ask for again (it could be paid twice)."""
    claims = [c for t in records.treatments for c in asking.supported_claims(records, t)]
    if not claims:
        return ""
    named = [(f"of {day(c.submitted_on)}" if c.submitted_on else f"number {c.claim_id}")
             + f" for {money(c.cents)}" for c in claims]
    listing = named[0] if len(named) == 1 else ", ".join(named[:-1]) + f" and {named[-1]}"
    one = len(claims) == 1
    return (
        f" This bundle supports my claim{'' if one else 's'} {listing}, still open with you; "
        f"it does not ask for {'that amount' if one else 'those amounts'} again."
    )


def _appeal_request(records: BundleRecords, enclosures: list[Enclosure], total: str) -> str:
    found = asking.denials(records)
    charges = money(asking.total(records, "billed_cents"))
    if not found:
        return (
            "I am writing to appeal your decision on the claim for the services below "
            f"({charges} in charges; {total} of what I paid has not been paid back) and ask you "
            "to reconsider it."
        )
    named = "; ".join(
        f"reference number {esc(d.reference_number) or '(none given)'} of {day(d.received_on)}"
        + _enclosed_as(enclosures, "determination", d.id)
        for d in found
    )
    which = "denial" if len(found) == 1 else "denials"
    contents = ["the codes"]
    if records.unique("calls"):
        contents.append("my calls with your representatives")
    contents.append("your written determinations")
    return (
        f"I am writing to appeal your {which}, {named}, of the claim for the services below "
        f"({charges} in charges; {total} of what I paid has not been paid back), and ask you "
        f"to reconsider and cover them. The enclosed statement gives "
        f"{', '.join(contents[:-1])} and {contents[-1]}."
    ) + _letter_sentence(records, enclosures)


def _letter_sentence(records: BundleRecords, enclosures: list[Enclosure]) -> str:
    letters = records.unique("letters")
    if not letters:
        return ""
    parts = []
    for item in letters:
        x = item.letter
        by = f" from {esc(x.physician_name)}" if x.physician_name else ""
        parts.append(
            f"the letter of medical necessity{by} dated {day(x.written_on)}"
            + _enclosed_as(enclosures, "medical_necessity_letter", x.id)
        )
    return " My physician's reasoning is in " + "; ".join(parts) + "."


def _enclosed_as(enclosures: list[Enclosure], record_type: str, record_id: int) -> str:
    """" (enclosure 04)" when a document of that record is enclosed, else nothing."""
    numbers = [e.label for e in enclosures if e.attached_to == (record_type, record_id)]
    if not numbers:
        return ""
    return f" (enclosure {', '.join(numbers)})" if len(numbers) == 1 else (
        f" (enclosures {', '.join(numbers)})"
    )


def _claimed_table(records: BundleRecords) -> str:
    rows = []
    for t in records.treatments:
        figures = asking.money_of(records, t)
        rows.append([
            day(t.treatment.date_of_service),
            Raw(f"{esc(service(t.treatment))}<br>{esc(provider_name(t.provider))}"),
            money(figures.billed_cents), money(figures.paid_cents),
            money(figures.reimbursed_cents), money(asking.requested(records, t)),
        ])
    rows.append([
        Raw("<b>Total</b>"), "",
        money(asking.total(records, "billed_cents")), money(asking.total(records, "paid_cents")),
        money(asking.total(records, "reimbursed_cents")),
        Raw(f"<b>{esc(money(asking.total_requested(records)))}</b>"),
    ])
    table = grid(
        ["Date of service", "Service and provider", "Charges", "Paid by me", "Paid back",
         "Requested"],
        rows, numeric=(2, 3, 4, 5), keep=(0,),
    )
    held_back = any(asking.requested(records, t) < asking.money_of(records, t).paid_cents
                    for t in records.treatments)
    if held_back:
        table += (
            "<p class=small>The statement shows, service by service, what was paid back, paid "
            "to the provider, claimed elsewhere or paid with an HSA or FSA card: none of it is "
            "requested here.</p>"
        )
    return table


def _enclosure_list(enclosures: list[Enclosure]) -> str:
    rows = [
        [e.label, _document_label(e), e.path]
        for e in enclosures
        if e.kind != "cover_letter"
    ]
    return grid(["No.", "Document", "File"], rows, keep=(0,), small=True)


def _document_label(e: Enclosure) -> str:
    if e.document is None:
        return e.title
    kind = DocumentKind(e.kind).label
    return kind if e.title.casefold() == kind.casefold() else f"{kind}: {e.title}"
