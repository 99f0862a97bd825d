"""Render the demo household's sample documents and record their SHA-256 and size.

    QT_QPA_PLATFORM=offscreen uv run python resources/demo/make_demo_files.py

Reads ``demo.json`` (the single source of the names, dates, codes and amounts), writes one
file per document into ``files/`` (PDFs through Qt's PDF writer, the card slip as a JPEG drawn
with QPainter), then rewrites only the ``sha256`` and ``size`` of each document in
``demo.json``. Output is deterministic on one machine: the PDF creation dates and document
ids are fixed (Qt stamps the current time; it is overwritten in place with a string of the
same length, so the cross-reference offsets stay valid). Fonts are embedded from the system,
so another machine with other fonts produces different bytes: re-run this script, then commit
the files and ``demo.json`` together.

``--check`` renders into a temporary folder and exits 1 if anything differs from what is
committed (no file is changed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import json
import os
import random
import re
import sys
import tempfile
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Qt orders the fonts inside a PDF by a QHash, which is seeded per process unless pinned.
os.environ["QT_HASH_SEED"] = "0"

HERE = Path(__file__).resolve().parent
DEMO_JSON = HERE / "demo.json"
FILES = HERE / "files"


# -- identifiers -----------------------------------------------------------------------------
def npi_check_digit(first_nine: str) -> str:
    """Luhn check digit of an NPI: the Luhn formula over "80840" + the first nine digits."""
    if len(first_nine) != 9 or not first_nine.isdigit():
        raise ValueError(f"an NPI starts with nine digits, got {first_nine!r}")
    total = 0
    # Rightmost digit of the payload is doubled, as the check digit will follow it.
    for i, ch in enumerate(reversed("80840" + first_nine)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def npi_is_valid(npi: str) -> bool:
    return (
        len(npi) == 10 and npi.isdigit() and npi[0] in "12" and npi_check_digit(npi[:9]) == npi[9]
    )


# -- reading demo.json -----------------------------------------------------------------------
class Household:
    """demo.json indexed by section and id."""

    def __init__(self, data: dict):
        self.data = data
        self.by_id = {
            section: {r["id"]: r for r in rows} for section, rows in data["records"].items()
        }

    def get(self, section: str, record_id: int | None) -> dict | None:
        return None if record_id is None else self.by_id[section][record_id]

    def rows(self, section: str) -> list[dict]:
        return self.data["records"][section]


def money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}${cents // 100:,}.{cents % 100:02d}"


def us_date(text: str) -> str:
    day = dt.date.fromisoformat(text)
    return f"{day.month:02d}/{day.day:02d}/{day.year}"


def long_date(text: str) -> str:
    day = dt.date.fromisoformat(text)
    return f"{day:%B} {day.day}, {day.year}"


def e(text: object) -> str:
    return html.escape(str(text))


# -- deferred interest (DOMAIN.md section 6 convention) --------------------------------------
def balance_on(plan: dict, day: dt.date) -> int:
    paid = sum(
        p["amount_cents"] for p in plan["payments"] if dt.date.fromisoformat(p["paid_on"]) <= day
    )
    return plan["amount_cents"] - paid


def accrued_interest(plan: dict, through: dt.date) -> int:
    """Simple daily interest at the standard APR on each day's balance, purchase..through."""
    day = dt.date.fromisoformat(plan["purchase_date"])
    total = Fraction(0)
    while day <= through:
        total += Fraction(balance_on(plan, day) * plan["standard_apr_bp"], 10_000 * 365)
        day += dt.timedelta(days=1)
    return int(total + Fraction(1, 2))


# -- HTML pieces -----------------------------------------------------------------------------
STYLE = """
<style>
body { font-family: 'DejaVu Sans'; font-size: 9.5pt; color: #1d1d1d; }
h1 { font-size: 15pt; margin: 0; }
h2 { font-size: 11.5pt; margin-top: 14px; margin-bottom: 4px; }
.small { font-size: 8pt; color: #555555; }
.box { border: 1px solid #999999; }
th { background-color: #e8edf2; text-align: left; }
.right { text-align: right; }
.total { font-weight: bold; font-size: 10.5pt; }
</style>
"""


def letterhead(name: str, lines: list[str], accent: str = "#2f5d7c") -> str:
    rest = "<br>".join(e(x) for x in lines)
    return (
        f'<table width="100%" cellspacing="0" cellpadding="0"><tr>'
        f'<td><h1 style="color:{accent}">{e(name)}</h1><span class="small">{rest}</span></td>'
        f"</tr></table><hr>"
    )


def provider_lines(provider: dict, *, ids: bool = True) -> list[str]:
    out = [provider["address"], f"Phone {provider['phone']}"]
    if ids:
        tax = provider["tax_id"] or "(not printed)"
        out.append(f"NPI {provider['npi']}  ·  Tax ID {tax}")
    return out


def table(
    headers: list[str], rows: list[list[str]], right: set[int] = frozenset(), size: str = ""
) -> str:
    font = f' style="font-size:{size}"' if size else ""

    def cell(tag: str, i: int, content: str) -> str:
        align = " align=right" if i in right else ""
        return f"<{tag}{align}{font}>{content}</{tag}>"

    head = "".join(cell("th", i, e(h)) for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>" for row in rows
    )
    return (
        '<table width="100%" cellspacing="0" cellpadding="4" border="1" '
        'style="border-collapse:collapse; border-color:#999999">'
        f"<tr>{head}</tr>{body}</table>"
    )


def patient_block(person: dict, plan: dict | None = None) -> str:
    lines = [
        f"<b>Patient:</b> {e(person['name'])}",
        f"<b>Date of birth:</b> {us_date(person['date_of_birth'])}",
        f"<b>Address:</b> {e(person['address'])}",
    ]
    if plan:
        lines.append(
            f"<b>Insurance:</b> {e(plan['insurer'])}, member ID {e(plan['member_id'])}, "
            f"group {e(plan['group_number'])}"
        )
    return "<p>" + "<br>".join(lines) + "</p>"


LINE_KIND = {
    "consultation": "Consultation",
    "lab_processing": "Lab processing",
    "procedure": "Procedure",
    "imaging_guidance": "Imaging guidance",
    "follow_up": "Follow-up",
    "other": "Other",
}
METHOD = {
    "cash": "Cash",
    "card": "Credit card",
    "hsa_card": "HSA debit card",
    "fsa_card": "FSA debit card",
    "financing": "Patient financing",
}
RENDERING = {1: "Elena Vasquez, MD", 3: "Priya Raman, MD", 4: "Rachel Dunn, NP (Clearwater)"}
# Payment details a receipt prints beyond its method (keyed by receipt id).
PAYMENT_DETAIL = {
    3: [
        ("12/05/2025", "Deposit, Visa ending 4419", 100000),
        ("12/20/2025", "Crestline Patient Card, 12-month promotional plan", 600000),
    ],
}


def superbill_section(h: Household, treatment: dict) -> str:
    provider = h.get("providers", treatment["provider_id"])
    letters = "ABCDEFGHIJKL"
    dx = "<br>".join(
        f"{letters[i]}. {e(d['code'])}  {e(d.get('description', ''))}"
        for i, d in enumerate(treatment["diagnoses"])
    )
    rows = [
        [
            us_date(treatment["date_of_service"]),
            e(provider["place_of_service"]),
            f"<b>{e(p['code'])}</b> {e(p['modifiers'])}",
            e(p["description"]),
            e(p["pointers"]),
            str(p["units"]),
            money(p["charge_cents"]),
        ]
        for p in treatment["procedure_lines"]
    ]
    total = sum(p["charge_cents"] for p in treatment["procedure_lines"])
    rows.append(["", "", "", "<b>Total charges</b>", "", "", f"<b>{money(total)}</b>"])
    rendering = RENDERING.get(provider["id"], provider["name"])
    return (
        "<h2>Superbill (for insurance or HSA/FSA)</h2>"
        f"<p><b>Rendering provider:</b> {e(rendering)}  ·  <b>Billing NPI</b> {e(provider['npi'])}"
        f"  ·  <b>Tax ID</b> {e(provider['tax_id'] or 'not printed')}</p>"
        f"<p><b>Diagnoses (ICD-10-CM):</b><br>{dx}</p>"
        + table(["DOS", "POS", "Code / mod.", "Service", "Dx", "Units", "Charge"], rows, {5, 6})
    )


# -- documents -------------------------------------------------------------------------------
def receipt_doc(h: Household, receipt: dict) -> str:
    treatment = h.get("treatments", receipt["treatment_id"])
    provider = h.get("providers", treatment["provider_id"])
    person = h.get("people", treatment["person_id"])
    plan = h.get("insurance_plans", treatment["plan_id"])
    name = provider["name"] if provider["is_organization"] else (provider["address"].split(",")[0])
    rows = [
        [e(LINE_KIND[line["kind"]]), e(line["description"]), money(line["amount_cents"])]
        for line in receipt["lines"]
    ]
    rows.append(["", "<b>Total</b>", f"<b>{money(receipt['total_cents'])}</b>"])
    payments = PAYMENT_DETAIL.get(
        receipt["id"],
        [(us_date(receipt["paid_on"]), METHOD[receipt["payment_method"]], receipt["total_cents"])],
    )
    pay_rows = [[e(d), e(what), money(c)] for d, what, c in payments]
    pay_rows.append(["", "<b>Balance due</b>", "<b>$0.00</b>"])
    return (
        STYLE
        + letterhead(name, provider_lines(provider))
        + '<h2 style="margin-top:4px">RECEIPT AND SUPERBILL</h2>'
        + f"<p><b>Receipt no.</b> {e(receipt['receipt_number'])}  ·  "
        f"<b>Date of service</b> {us_date(treatment['date_of_service'])}  ·  "
        f"<b>Paid</b> {us_date(receipt['paid_on'])}</p>"
        + patient_block(person, plan)
        + "<h2>Itemized charges</h2>"
        + table(["Item", "Description", "Amount"], rows, {2})
        + "<h2>Payments</h2>"
        + table(["Date", "Method", "Amount"], pay_rows, {2})
        + superbill_section(h, treatment)
        + '<p class="small">Thank you. This receipt is your proof of payment; keep it with '
        "your records. Services were paid in full by the patient at the time of service.</p>"
    )


def mri_receipt_doc(h: Household, receipt: dict) -> str:
    treatment = h.get("treatments", receipt["treatment_id"])
    provider = h.get("providers", treatment["provider_id"])
    person = h.get("people", treatment["person_id"])
    plan = h.get("insurance_plans", treatment["plan_id"])
    eob = h.get("determinations", 1)
    charge = treatment["procedure_lines"][0]["charge_cents"]
    adjustment = charge - eob["amount_allowed_cents"]
    rows = [
        [
            us_date(treatment["date_of_service"]),
            "73721-RT MRI knee without contrast",
            money(charge),
        ],
        [
            us_date(eob["received_on"]),
            f"Contractual adjustment, {e(plan['insurer'])}",
            money(-adjustment),
        ],
        [
            us_date(eob["received_on"]),
            f"Insurance payment, claim {e(eob['reference_number'])}",
            money(-eob["amount_paid_cents"]),
        ],
        [
            us_date(receipt["paid_on"]),
            "Patient payment, HSA debit card ending 2209",
            money(-receipt["total_cents"]),
        ],
        [
            "",
            "<b>Balance</b>",
            f"<b>{money(charge - adjustment - eob['amount_paid_cents'] - receipt['total_cents'])}</b>",
        ],
    ]
    return (
        STYLE
        + letterhead(provider["name"], provider_lines(provider), "#5b3f7a")
        + '<h2 style="margin-top:4px">PAYMENT RECEIPT</h2>'
        + f"<p><b>Receipt no.</b> {e(receipt['receipt_number'])}  ·  "
        f"<b>Account</b> 2025-TVI-30418  ·  <b>Payment date</b> {us_date(receipt['paid_on'])}</p>"
        + patient_block(person, plan)
        + table(["Date", "Activity", "Amount"], rows, {2})
        + f"<p><b>Amount paid today: {money(receipt['total_cents'])}</b> "
        "(your coinsurance after insurance).</p>"
        + '<p class="small">Diagnosis on the claim: M17.11. Questions about this statement: '
        f"{e(provider['phone'])}, Monday to Friday 8 am to 5 pm.</p>"
    )


def letter_doc(h: Household, letter: dict) -> str:
    provider = h.get("providers", letter["provider_id"])
    person = h.get("people", letter["person_id"])
    treatments = [h.get("treatments", t) for t in letter["treatment_ids"]]
    descriptions = {}
    for t in treatments:
        for d in t["diagnoses"]:
            descriptions.setdefault(d["code"], d.get("description", ""))
    dx = "<br>".join(f"{e(c)}  {e(descriptions.get(c, ''))}" for c in letter["diagnoses"])
    name = provider["name"] if provider["is_organization"] else provider["address"].split(",")[0]
    title = "Ms." if person["sex"] == "F" else "Mr."
    surname = person["name"].split()[-1]
    return (
        STYLE
        + letterhead(name, provider_lines(provider))
        + f"<p>{long_date(letter['written_on'])}</p>"
        + "<p>To whom it may concern<br>(health plan, HSA or FSA administrator)</p>"
        + f"<p><b>Re: Letter of medical necessity</b><br>Patient: {e(person['name'])}, "
        f"date of birth {us_date(person['date_of_birth'])}</p>"
        + f"<p>I am the treating physician of {title} {e(surname)}. "
        "This letter documents the medical necessity of the treatment below.</p>"
        + f"<p><b>Diagnosis (ICD-10-CM):</b><br>{dx}</p>"
        + f"<p><b>Clinical rationale:</b><br>{e(letter['rationale'])}</p>"
        + f"<p><b>Treatment and frequency:</b><br>{e(letter['treatment_and_frequency'])}</p>"
        + f"<p><b>Expected duration:</b><br>{e(letter['expected_duration'])}</p>"
        + f"<p>This treatment is for the diagnosed condition above, not for general health. "
        f"This letter is valid through {long_date(letter['valid_until'])}.</p>"
        + "<p>Sincerely,</p><p><i>signed electronically</i><br>"
        f"<b>{e(letter['physician_name'])}</b><br>NPI {e(provider['npi'])}</p>"
    )


def mri_report_doc(h: Household, treatment: dict) -> str:
    provider = h.get("providers", treatment["provider_id"])
    person = h.get("people", treatment["person_id"])
    return (
        STYLE
        + letterhead(provider["name"], provider_lines(provider), "#5b3f7a")
        + '<h2 style="margin-top:4px">MRI RIGHT KNEE WITHOUT CONTRAST</h2>'
        + f"<p><b>Patient:</b> {e(person['name'])}  ·  <b>DOB</b> "
        f"{us_date(person['date_of_birth'])}  ·  <b>Exam date</b> "
        f"{us_date(treatment['date_of_service'])}  ·  <b>Accession</b> TVI-MR-2511060147<br>"
        "<b>Referring physician:</b> Elena Vasquez, MD  ·  <b>CPT</b> 73721-RT  ·  "
        "<b>ICD-10-CM</b> M17.11</p>"
        + f"<p><b>CLINICAL INDICATION:</b> {e(treatment['indication'])}.</p>"
        + "<p><b>TECHNIQUE:</b> Multiplanar, multisequence MRI of the right knee on a 1.5 T "
        "magnet without intravenous contrast.</p>" + "<p><b>FINDINGS:</b><br>"
        "<i>Medial compartment:</i> High-grade partial-thickness cartilage loss over the "
        "weight-bearing medial femoral condyle and medial tibial plateau with subchondral bone "
        "marrow edema and marginal osteophytes. Degenerative fraying of the posterior horn of "
        "the medial meniscus without a displaced tear.<br>"
        "<i>Lateral compartment:</i> Mild cartilage thinning. Lateral meniscus intact.<br>"
        "<i>Patellofemoral compartment:</i> Moderate chondral thinning of the lateral patellar "
        "facet.<br>"
        "<i>Ligaments and tendons:</i> Cruciate and collateral ligaments intact. Extensor "
        "mechanism intact.<br>"
        "<i>Other:</i> Small joint effusion. Small popliteal (Baker) cyst.</p>"
        + "<p><b>IMPRESSION:</b><br>"
        "1. Moderate to advanced medial compartment osteoarthritis of the right knee with "
        "subchondral edema.<br>"
        "2. Degenerative medial meniscus without a displaced or unstable tear.<br>"
        "3. Small effusion and small Baker cyst.</p>"
        + "<p>Electronically signed: Daniel Cho, MD, Radiologist  ·  11/06/2025 16:12</p>"
    )


# What each Good Faith Estimate itemized (keyed by estimate id); it must add up to its total.
GFE_ITEMS = {
    1: [
        ("Pre-procedure evaluation", "99213", 25000),
        ("Bone marrow concentrate processing", "38232", 240000),
        ("Bone marrow aspiration and injection, right knee", "38232 / 20611-RT", 340000),
        ("Ultrasound guidance", "incl. in 20611", 35000),
    ],
    2: [
        ("Pre-procedure evaluation", "99213", 25000),
        ("Fat harvest (mini-liposuction)", "0717T", 140000),
        ("Adipose cell isolation and preparation", "0717T", 220000),
        ("Cell injection, right shoulder", "20611-RT", 60000),
        ("Ultrasound guidance", "incl. in 20611", 35000),
    ],
}


def gfe_doc(h: Household, gfe: dict) -> str:
    provider = h.get("providers", gfe["provider_id"])
    person = h.get("people", gfe["person_id"])
    treatment = h.get("treatments", gfe["treatment_id"])
    diagnoses = ", ".join(d["code"] for d in treatment["diagnoses"])
    items = GFE_ITEMS[gfe["id"]]
    total = sum(c for *_, c in items)
    if total != gfe["total_cents"]:
        raise SystemExit(
            f"GFE lines add up to {money(total)}, demo.json says {money(gfe['total_cents'])}"
        )
    rows = [[e(what), e(code), money(c)] for what, code, c in items]
    rows.append(["<b>Total estimated cost</b>", "", f"<b>{money(total)}</b>"])
    return (
        STYLE
        + letterhead(provider["name"], provider_lines(provider))
        + '<h2 style="margin-top:4px">GOOD FAITH ESTIMATE</h2>'
        + f"<p><b>Date issued:</b> {us_date(gfe['issued_on'])}  ·  "
        f"<b>Scheduled service:</b> {us_date(treatment['date_of_service'])}<br>"
        f"<b>Patient:</b> {e(person['name'])}, DOB {us_date(person['date_of_birth'])}<br>"
        f"<b>Service:</b> {e(treatment['description'])}  ·  <b>Diagnosis:</b> {e(diagnoses)}</p>"
        + table(["Item", "Expected codes", "Estimated cost"], rows, {2})
        + "<h2>Disclaimer</h2>"
        + '<p class="small">This Good Faith Estimate shows the costs of items and services '
        "that are reasonably expected for your health care needs. The estimate is based on "
        "information known at the time it was created and does not include unknown or "
        "unexpected costs that may arise during treatment.</p>"
        + '<p class="small"><b>You have the right to initiate a dispute</b> if you are billed '
        "for at least $400 more than this Good Faith Estimate. You must start the dispute "
        "within 120 calendar days (about 4 months) of the date on the original bill. Keep a "
        "copy of this estimate. For questions or to start a dispute, visit www.cms.gov/nosurprises "
        "or call 1-800-985-3059.</p>"
    )


def statement_doc(h: Household, plan: dict) -> str:
    person = h.get("people", plan["person_id"])
    closing = dt.date(2026, 11, 22)
    opening = dt.date(2026, 10, 23)
    previous = balance_on(plan, opening - dt.timedelta(days=1))
    payments = [
        p for p in plan["payments"] if opening <= dt.date.fromisoformat(p["paid_on"]) <= closing
    ]
    new_balance = balance_on(plan, closing)
    promo_end = dt.date.fromisoformat(plan["promo_end"])
    accrued = accrued_interest(plan, closing)
    rows = [
        [us_date(p["paid_on"]), "PAYMENT - THANK YOU", money(-p["amount_cents"])] for p in payments
    ]
    summary = [
        ["Previous balance", money(previous)],
        ["Payments", money(-sum(p["amount_cents"] for p in payments))],
        ["Purchases", "$0.00"],
        ["Interest charged", "$0.00"],
        ["<b>New balance</b>", f"<b>{money(new_balance)}</b>"],
        ["Minimum payment due 12/17/2026", money(plan["minimum_payment_cents"])],
    ]
    promo = [
        [
            us_date(plan["purchase_date"]),
            "12 months, no interest if paid in full",
            us_date(plan["promo_end"]),
            money(new_balance),
            money(accrued),
        ]
    ]
    return (
        STYLE
        + letterhead(
            plan["lender"],
            ["PO Box 960061, Orlando, FL 32896-0061", "Customer service 1-866-555-0110"],
            "#1f6f5c",
        )
        + f"<p><b>{e(person['name'])}</b><br>{e(person['address'])}<br>"
        "Account ending 3318  ·  Statement closing date "
        f"{us_date(closing.isoformat())}  ·  Billing period {us_date(opening.isoformat())} to "
        f"{us_date(closing.isoformat())}</p><p></p>"
        + table(["Account summary", "Amount"], summary, {1})
        + '<p style="color:#a00000"><b>IMPORTANT: Your promotional balance of '
        f"{money(new_balance)} expires {promo_end:%m/%d/%Y}. If it is not paid in full by then, "
        f"interest of {money(accrued)} (accrued so far) and more will be charged from the "
        f"purchase date at the standard APR of {plan['standard_apr_bp'] / 100:.2f}%. "
        "The minimum payment will not pay it off in time.</b></p>"
        + "<h2>Promotional purchases</h2>"
        + table(
            ["Purchase date", "Promotion", "Expires", "Balance", "Accrued deferred interest"],
            promo,
            {3, 4},
        )
        + "<h2>Transactions</h2>"
        + table(["Date", "Description", "Amount"], rows, {2})
        + '<p class="small">Original purchase 12/20/2025 at Summit Regenerative Orthopedics, '
        f"Boise ID: {money(plan['amount_cents'])}.</p>"
    )


INSURER_LINES = [
    "Granite Peak Health Claims, PO Box 30791, Salt Lake City, UT 84130-0791",
    "Member services 1-800-555-0147 (TTY 711)",
]


def preauth_doc(h: Household, det: dict) -> str:
    person = h.get("people", det["person_id"])
    plan = h.get("insurance_plans", det["plan_id"])
    treatment = h.get("treatments", det["treatment_id"])
    provider = h.get("providers", treatment["provider_id"])
    rows = [
        [
            "<b>0232T</b> RT",
            "Platelet-rich plasma injection, right elbow",
            "M77.11",
            "2",
            f"{us_date(det['valid_from'])} to {us_date(det['valid_to'])}",
        ]
    ]
    return (
        STYLE
        + letterhead("Granite Peak Health", INSURER_LINES, "#24507a")
        + f"<p>{long_date(det['received_on'])}</p>"
        + f"<p>{e(person['name'])}<br>{e(person['address'])}</p>"
        + f"<p><b>Member ID</b> {e(plan['member_id'])}  ·  <b>Group</b> "
        f"{e(plan['group_number'])}<br><b>Authorization number</b> "
        f"{e(det['reference_number'])}<br><b>Requesting provider</b> Priya Raman, MD "
        f"(NPI {e(provider['npi'])}), out-of-network</p>"
        + "<h2>Prior authorization: APPROVED</h2>"
        + "<p>We reviewed the request for the service below under medical policy MSK-2.31, "
        "Platelet-Rich Plasma for Tendinopathy. The records show lateral epicondylitis with "
        "at least 6 months of failed conservative treatment, which meets the policy "
        "criteria.</p>"
        + table(["Service", "Description", "Diagnosis", "Units", "Approved dates"], rows, {3})
        + "<p><b>This approval is not a guarantee of payment.</b> Payment depends on your "
        "eligibility and benefits on the date of service, the claim that is submitted, and "
        "your plan's terms, including deductible and coinsurance. Out-of-network benefits "
        "apply; you may be billed for charges above our allowed amount.</p>"
        + "<p>Please give this authorization number to your provider and include it on any "
        "claim you submit.</p>"
        + '<p class="small">Utilization Management, Granite Peak Health. Reference call '
        "GPH-260224-118520.</p>"
    )


def eob_doc(h: Household, det: dict) -> str:
    person = h.get("people", det["person_id"])
    plan = h.get("insurance_plans", det["plan_id"])
    treatment = h.get("treatments", det["treatment_id"])
    line = treatment["procedure_lines"][0]
    billed = line["charge_cents"]
    allowed = det["amount_allowed_cents"]
    paid = det["amount_paid_cents"]
    coinsurance = allowed - paid
    rows = [
        [
            us_date(treatment["date_of_service"]),
            f"{e(line['code'])}-{e(line['modifiers'])}",
            money(billed),
            money(billed - allowed),
            money(allowed),
            "$0.00",
            money(coinsurance),
            money(paid),
            money(billed - paid),
        ]
    ]
    return (
        STYLE
        + letterhead("Granite Peak Health", INSURER_LINES, "#24507a")
        + '<h2 style="margin-top:4px">EXPLANATION OF BENEFITS: THIS IS NOT A BILL</h2>'
        + f"<p><b>Member:</b> {e(person['name'])}  ·  <b>Member ID</b> {e(plan['member_id'])}"
        f"<br><b>Claim number:</b> {e(det['reference_number'])}  ·  <b>Processed</b> "
        f"{us_date(det['received_on'])}<br><b>Provider:</b> Priya Raman, MD (out-of-network)"
        "  ·  <b>Authorization</b> PA-2603-088417</p>"
        + table(
            [
                "Service date",
                "Code",
                "Billed",
                "Not allowed",
                "Allowed",
                "Deductible",
                "Coinsurance",
                "Plan paid",
                "You owe",
            ],
            rows,
            {2, 3, 4, 5, 6, 7, 8},
            "8pt",
        )
        + f"<p><b>Plan paid {money(paid)}</b> by check to the subscriber (mailed "
        f"{us_date(det['received_on'])}). <b>Your responsibility: {money(billed - paid)}</b>.</p>"
        + "<p><b>Remarks:</b><br>OON60: Out-of-network service paid at 60% of the allowed "
        "amount after the deductible.<br>A17: Charges above the allowed amount for an "
        "out-of-network provider are not covered; the provider may bill you for them.</p>"
        + '<p class="small">If you disagree with this decision you may appeal within 180 days '
        "of receiving this notice. See the enclosed appeal rights.</p>"
    )


def denial_doc(h: Household, det: dict) -> str:
    person = h.get("people", det["person_id"])
    plan = h.get("insurance_plans", det["plan_id"])
    treatment = h.get("treatments", det["treatment_id"])
    provider = h.get("providers", treatment["provider_id"])
    line = treatment["procedure_lines"][0]
    deadline = dt.date.fromisoformat(det["received_on"]) + dt.timedelta(days=180)
    rows = [
        [
            us_date(treatment["date_of_service"]),
            e(line["code"]),
            "M75.111",
            money(line["charge_cents"]),
            "$0.00",
            "DENIED - N34",
        ]
    ]
    return (
        STYLE
        + letterhead("Granite Peak Health", INSURER_LINES, "#24507a")
        + f"<p>{long_date(det['received_on'])}</p>"
        + f"<p>{e(person['name'])}<br>{e(person['address'])}</p>"
        + f"<p><b>Member ID</b> {e(plan['member_id'])}  ·  <b>Claim number</b> "
        f"{e(det['reference_number'])}<br><b>Provider</b> {e(provider['name'])}</p>"
        + "<h2>Notice of adverse benefit determination</h2>"
        + "<p>We have reviewed the claim below and denied payment.</p>"
        + table(
            ["Service date", "Service code", "Diagnosis", "Billed", "Paid", "Decision"],
            rows,
            {3, 4},
        )
        + "<p><b>Reason (N34):</b> The services are related to a treatment that our medical "
        "policy MSK-2.44, Regenerative Injection Therapy for Musculoskeletal Conditions, "
        "considers investigational. Services related to an investigational treatment are "
        "excluded under your plan (Certificate of Coverage, section 7.3).</p>"
        + "<p>You may ask us for free copies of all documents, records and the medical policy "
        "used to make this decision, and for the meaning of the diagnosis and service "
        "codes.</p>"
        + "<h2>Your right to appeal</h2>"
        + "<p>You may file an internal appeal <b>within 180 days of the date of this notice "
        f"(by {deadline:%B} {deadline.day}, {deadline.year})</b>. Send a letter saying why you "
        "disagree, with any records that support your appeal, to: Granite Peak Health "
        "Appeals, PO Box 30792, Salt Lake City, UT 84130-0792, or fax 1-801-555-0177. We will "
        "decide a post-service appeal within 60 days.</p>"
        + "<p>If we uphold this denial, you may ask for an external review by an independent "
        "review organization within 4 months of our final decision.</p>"
    )


def lab_doc(h: Household, results: list[dict]) -> str:
    person = h.get("people", results[0]["person_id"])
    collected = results[0]["collected_on"]
    rows = [
        ["Hemoglobin", "11.2 L", "g/dL", "13.2-17.1"],
        ["Mean corpuscular volume (MCV)", "108 H", "fL", "80-100"],
    ]
    for r in results:
        flag = " L" if r["value"].isdigit() else (" A" if r["abnormal"] else "")
        rows.append(
            [e(r["test"]), f"<b>{e(r['value'])}{flag}</b>", e(r["unit"]), e(r["reference_range"])]
        )
    return (
        STYLE
        + letterhead(
            "Gem State Laboratories",
            [
                "6085 W Franklin Rd, Boise, ID 83709  ·  CLIA 13D0987754",
                "Client services (208) 555-0193",
            ],
            "#7a3b24",
        )
        + '<h2 style="margin-top:4px">LABORATORY REPORT</h2>'
        + f"<p><b>Patient:</b> {e(person['name'])}  ·  <b>DOB</b> "
        f"{us_date(person['date_of_birth'])}  ·  <b>Sex</b> {e(person['sex'])}<br>"
        f"<b>Collected:</b> {us_date(collected)} 08:10  ·  <b>Reported:</b> 01/16/2026 "
        "14:32  ·  <b>Accession</b> GSL26-0114-2291<br>"
        "<b>Ordering physician:</b> Samuel Okafor, MD, Gem State Hematology  ·  "
        "<b>Diagnosis on order:</b> D51.0</p>"
        + table(["Test", "Result", "Units", "Reference range"], rows)
        + '<p class="small">Flags: L low, H high, A abnormal. Vitamin B12 below 200 pg/mL is '
        "consistent with deficiency. A positive intrinsic factor blocking antibody is highly "
        "specific for pernicious anemia.</p>"
        + "<p>Final report. Reviewed by: M. Alvarez, MD, Laboratory Director.</p>"
    )


# -- rendering -------------------------------------------------------------------------------
def _pin_dates(data: bytes, day: str) -> bytes:
    """Replace Qt's current-time stamps by ``day`` at noon UTC, keeping every length."""
    stamp = day.replace("-", "") + "120000"
    iso = f"{day}T12:00:00+00:00"
    data = re.sub(rb"\(D:\d{14}Z\)", f"(D:{stamp}Z)".encode(), data)
    return re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", iso.encode(), data)


def write_pdf(path: Path, body: str, title: str, day: str, doc_id: int) -> None:
    from PySide6.QtCore import QMarginsF, QSizeF, QUuid
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    writer.setPageMargins(QMarginsF(16, 14, 16, 14), QPageLayout.Unit.Millimeter)
    writer.setResolution(150)
    writer.setTitle(title)
    writer.setCreator("RegenLog demo data")
    writer.setDocumentId(QUuid(f"{{7e3a2f10-5d1c-4a8b-9c2e-{doc_id:012d}}}"))
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    # A page size of its own stops print_() from adding 2 cm margins and page numbers.
    doc.setPageSize(QSizeF(writer.pageLayout().paintRectPixels(96).size()))
    doc.setHtml(f"<html><body>{body}</body></html>")
    doc.print_(writer)
    del writer  # closes the file
    path.write_bytes(_pin_dates(path.read_bytes(), day))


def write_card_slip(path: Path, h: Household, receipt: dict) -> None:
    """A phone photo of a thermal card slip on a counter: no items, just the amount."""
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import (
        QBrush,
        QColor,
        QFont,
        QImage,
        QLinearGradient,
        QPainter,
        QPen,
        QRadialGradient,
    )

    treatment = h.get("treatments", receipt["treatment_id"])
    provider = h.get("providers", treatment["provider_id"])
    paid = dt.date.fromisoformat(receipt["paid_on"])
    width, height = 540, 760
    image = QImage(width, height, QImage.Format.Format_RGB32)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    counter = QLinearGradient(0, 0, width, height)
    counter.setColorAt(0, QColor("#6b5642"))
    counter.setColorAt(1, QColor("#3e3023"))
    p.fillRect(0, 0, width, height, counter)
    rng = random.Random(20260912)  # fixed seed: the wood grain is the same on every run
    for _ in range(70):
        y = rng.uniform(0, height)
        p.setPen(QPen(QColor(40, 28, 18, rng.randint(25, 60)), rng.uniform(1, 3)))
        p.drawLine(QPointF(0, y), QPointF(width, y + rng.uniform(-40, 40)))

    p.translate(width / 2, height / 2)
    p.rotate(-2.0)
    paper = QRectF(-175, -330, 350, 650)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(0, 0, 0, 90))
    p.drawRect(paper.translated(9, 11))
    sheet = QLinearGradient(paper.topLeft(), paper.bottomRight())
    sheet.setColorAt(0, QColor("#f7f5ef"))
    sheet.setColorAt(1, QColor("#e4e0d6"))
    p.setBrush(QBrush(sheet))
    p.drawRect(paper)

    mono = QFont("DejaVu Sans Mono", 11)
    bold = QFont("DejaVu Sans Mono", 13, QFont.Weight.Bold)
    ink = QColor(45, 45, 52)
    y = paper.top() + 40

    def line(text: str, font: QFont = mono, align: str = "center", step: int = 22) -> None:
        nonlocal y
        p.setFont(font)
        p.setPen(ink)
        flags = {
            "center": Qt.AlignmentFlag.AlignHCenter,
            "left": Qt.AlignmentFlag.AlignLeft,
        }[align]
        p.drawText(QRectF(paper.left() + 22, y, paper.width() - 44, step), flags, text)
        y += step

    def pair(left: str, right: str, font: QFont = mono) -> None:
        nonlocal y
        p.setFont(font)
        p.setPen(ink)
        box = QRectF(paper.left() + 22, y, paper.width() - 44, 22)
        p.drawText(box, Qt.AlignmentFlag.AlignLeft, left)
        p.drawText(box, Qt.AlignmentFlag.AlignRight, right)
        y += 22

    line(provider["name"].upper(), bold, step=28)
    street, city = provider["address"].split(", ", 1)
    line(street.upper())
    line(city.upper())
    line(provider["phone"])
    y += 14
    pair("MERCHANT ID", "4471 0093 2281")
    pair("TERMINAL", "03")
    pair("DATE", f"{paid:%m/%d/%Y}")
    pair("TIME", "14:37")
    y += 10
    line("- - - - - - - - - - - - - - -")
    line("SALE", bold, step=28)
    pair("VISA", "************4419")
    pair("ENTRY", "CHIP")
    pair("APPROVAL", "081654")
    y += 10
    pair("AMOUNT", money(receipt["total_cents"]).replace("$", "USD "), bold)
    y += 6
    line("- - - - - - - - - - - - - - -")
    line("APPROVED", bold, step=28)
    y += 8
    line("NO SIGNATURE REQUIRED")
    line("CUSTOMER COPY")
    y += 16
    line("THANK YOU - STAY HYDRATED!")
    line("riverbendhydration.example")
    p.resetTransform()

    glare = QRadialGradient(QPointF(width * 0.7, height * 0.25), width * 0.6)
    glare.setColorAt(0, QColor(255, 255, 240, 55))
    glare.setColorAt(1, QColor(255, 255, 240, 0))
    p.fillRect(0, 0, width, height, glare)
    vignette = QRadialGradient(QPointF(width / 2, height / 2), height * 0.75)
    vignette.setColorAt(0.6, QColor(0, 0, 0, 0))
    vignette.setColorAt(1, QColor(0, 0, 0, 110))
    p.fillRect(0, 0, width, height, vignette)
    p.end()
    if not image.save(str(path), "JPG", 78):
        raise SystemExit(f"could not write {path}")


def renderer_for(h: Household, doc: dict) -> Callable[[Path], None]:
    """How to draw one document, chosen from its kind and the records it is linked to."""
    links = {(link["record_type"], link["record_id"]) for link in doc["links"]}

    def linked(record_type: str) -> list[int]:
        return sorted(i for t, i in links if t == record_type)

    kind, title, day, doc_id = doc["kind"], doc["title"], doc["document_date"], doc["id"]

    def pdf(body: str) -> Callable[[Path], None]:
        return lambda path: write_pdf(path, body, title, day, doc_id)

    if doc["content_type"] == "image/jpeg":
        receipt = h.get("receipts", linked("receipt")[0])
        return lambda path: write_card_slip(path, h, receipt)
    if kind == "receipt":
        receipt = h.get("receipts", linked("receipt")[0])
        treatment = h.get("treatments", receipt["treatment_id"])
        if treatment["category"] == "imaging":
            return pdf(mri_receipt_doc(h, receipt))
        return pdf(receipt_doc(h, receipt))
    if kind == "medical_necessity_letter":
        return pdf(
            letter_doc(h, h.get("medical_necessity_letters", linked("medical_necessity_letter")[0]))
        )
    if kind == "imaging_report":
        return pdf(mri_report_doc(h, h.get("treatments", linked("treatment")[0])))
    if kind == "good_faith_estimate":
        return pdf(gfe_doc(h, h.get("good_faith_estimates", linked("good_faith_estimate")[0])))
    if kind == "card_statement":
        return pdf(statement_doc(h, h.get("financing_plans", linked("financing_plan")[0])))
    if kind == "lab_report":
        return pdf(lab_doc(h, [h.get("lab_results", i) for i in linked("lab_result")]))
    determination = {
        "preauthorization": preauth_doc,
        "eob": eob_doc,
        "denial": denial_doc,
    }.get(kind)
    if determination:
        return pdf(determination(h, h.get("determinations", linked("determination")[0])))
    raise SystemExit(f"no renderer for document {doc_id} ({kind})")


def render_all(h: Household, target: Path) -> dict[str, tuple[str, int]]:
    """Write every document into ``target``; {file name: (sha256, size)}."""
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    target.mkdir(parents=True, exist_ok=True)
    out = {}
    for doc in h.rows("documents"):
        name = Path(doc["file"]).name
        path = target / name
        renderer_for(h, doc)(path)
        data = path.read_bytes()
        out[name] = (hashlib.sha256(data).hexdigest(), len(data))
    return out


def update_json(digests: dict[str, tuple[str, int]]) -> bool:
    """Rewrite the sha256/size of each document in demo.json in place; True if changed.

    Only those two values are substituted, so the hand-written layout stays as it is.
    """
    text = DEMO_JSON.read_text(encoding="utf-8")
    data = json.loads(text)
    new = text
    for doc in data["records"]["documents"]:
        sha, size = digests[Path(doc["file"]).name]
        block = re.compile(
            rf'("id": {doc["id"]},\s*"sha256": ")[0-9a-f]{{64}}(",.*?"size": )\d+', re.S
        )
        new, count = block.subn(
            lambda m, s=sha, n=size: f"{m.group(1)}{s}{m.group(2)}{n}", new, count=1
        )
        if count != 1:
            raise SystemExit(f"document {doc['id']}: sha256/size not found in demo.json")
    check = json.loads(new)
    for doc in check["records"]["documents"]:
        if (doc["sha256"], doc["size"]) != digests[Path(doc["file"]).name]:
            raise SystemExit(f"document {doc['id']}: rewrite went wrong")
    if new != text:
        DEMO_JSON.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="render to a temporary folder and compare with the committed files",
    )
    args = parser.parse_args(argv)
    household = Household(json.loads(DEMO_JSON.read_text(encoding="utf-8")))
    bad = [p["npi"] for p in household.rows("providers") if p["npi"] and not npi_is_valid(p["npi"])]
    if bad:
        raise SystemExit(f"invalid NPI check digit: {', '.join(bad)}")
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            digests = render_all(household, Path(tmp))
        differ = [
            name
            for name, (sha, _size) in digests.items()
            if not (FILES / name).exists()
            or hashlib.sha256((FILES / name).read_bytes()).hexdigest() != sha
        ]
        for name in differ:
            print(f"differs: {name}")
        return 1 if differ else 0
    digests = render_all(household, FILES)
    expected = set(digests)
    for stray in sorted(p.name for p in FILES.iterdir() if p.name not in expected):
        print(f"note: {stray} in files/ is not referenced by demo.json")
    changed = update_json(digests)
    total = sum(size for _sha, size in digests.values())
    print(
        f"{len(digests)} files, {total:,} bytes; demo.json {'updated' if changed else 'unchanged'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
