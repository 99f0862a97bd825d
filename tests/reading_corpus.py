"""Test documents with their truth: receipts, superbills, EOBs, letters... and scans of them.

Each document is drawn with fpdf2 from a random but reproducible specification (a seed):
several layouts (label and value on one line, label above value, values in a right-hand
column), fonts, label words ("DOS", "Service date"), date styles and money styles. The
truth beside each PDF is what the page shows, in the reading contract's names and forms.
Scans are the same pages rendered at 200 dpi, tilted up to 1.5 degrees, speckled and saved
as JPEG at quality 70 (or wrapped in an image-only PDF). Photos are pages as a phone gives
them: on a dark or grained table, at 100-170 dpi, tilted up to 5 degrees and seen a little
from one side, lit unevenly, slightly out of focus, noisy, and saved as a JPEG that says
72 dpi; close-ups are such photos taken so near that the page fills the frame. Card slips
(a terminal's till slip: merchant, date, card, amount) exist only as photos.

    from reading_corpus import write_corpus
    write_corpus(folder, count=40, seed=1, scans=10, photos=10, slips=10)
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from regenlog.core.codes import make_npi

KINDS = ("receipt", "superbill", "eob", "determination", "medical_necessity_letter",
         "lab_result", "financing_statement", "good_faith_estimate")
FIRST = ["Dana", "Marcus", "Elena", "Robert", "Aisha", "Tomas", "Grace", "Samuel", "Priya",
         "Hannah", "Victor", "Lucia", "Owen", "Maya", "Jonah", "Rita"]
LAST = ["Whitfield", "Okafor", "Brennan", "Castillo", "Lindqvist", "Nakamura", "Delgado",
        "Harrington", "Moreau", "Abernathy", "Kowalski", "Fitzgerald", "Sandoval", "Petrov"]
PRACTICES = ["Summit Regenerative Orthopedics", "Boise Sports & Spine Medicine",
             "Clearwater Infusion Clinic", "Cascade Joint Center", "Harbor Pain Institute",
             "Northgate Orthobiologics", "Riverside Sports Medicine", "Lakeview Wellness Clinic",
             "Pinecrest Spine and Joint", "Mesa Regenerative Health"]
LABS = ["Gem State Laboratories", "Valley Clinical Labs", "Northpoint Diagnostics"]
INSURERS = ["Granite Peak Health", "Blue Harbor Insurance", "Cedar Mutual Health Plan",
            "Evergreen Benefit Services"]
LENDERS = ["Crestline Patient Card", "Medifund Credit", "Brightpath Health Financing"]
CREDENTIALS = ["MD", "DO", "NP"]
DIAGNOSES = ["M17.11", "M17.12", "M17.0", "M77.11", "M77.12", "M75.111", "M75.121", "M72.2",
             "D51.0", "E83.42", "M16.11", "M76.61", "M70.61", "E53.8", "S83.241A", "M25.561"]
SERVICES = [
    ("0232T", "Platelet-rich plasma injection", 45000, 95000),
    ("20610", "Major joint injection", 15000, 40000),
    ("20611", "Joint injection with ultrasound guidance", 20000, 90000),
    ("99204", "New patient office visit", 20000, 40000),
    ("99213", "Established patient visit", 9000, 20000),
    ("38232", "Bone marrow harvest with processing", 250000, 650000),
    ("76942", "Ultrasound needle guidance", 7500, 35000),
    ("J3420", "Vitamin B12 injection", 2000, 6000),
    ("96365", "IV infusion, first hour", 10000, 25000),
    ("0717T", "Adipose cell harvest and preparation", 150000, 450000),
    ("J3475", "Magnesium sulfate, 500 mg", 1500, 5000),
]
MODIFIERS = ["RT", "LT", "59", "25", "GA"]
FONTS = ["Helvetica", "Times", "Courier"]
LABEL_WORDS = {
    "patient_name": ["Patient", "Patient name", "Name of patient"],
    "member_id": ["Member ID", "Member #", "Subscriber ID", "Insurance ID"],
    "provider_npi": ["NPI", "NPI #", "Billing NPI", "NPI number"],
    "provider_tax_id": ["Tax ID", "TIN", "EIN", "Federal Tax ID"],
    "date_of_service": ["Date of service", "DOS", "Service date", "Date(s) of service"],
    "payment_date": ["Payment date", "Date paid", "Paid on"],
    "receipt_number": ["Receipt no.", "Receipt #", "Receipt number", "Invoice #"],
    "total_cents": ["Total", "Total charges", "Total due"],
    "paid_cents": ["Amount paid", "Total paid", "Payment received"],
    "payment_method": ["Payment method", "Paid by", "Method of payment"],
    "diagnosis_codes": ["Diagnosis", "Diagnosis codes", "ICD-10-CM", "Dx"],
    "claim_number": ["Claim number", "Claim #", "Claim ID"],
    "reference_number": ["Reference number", "Authorization number", "Reference #", "Case number"],
    "decision": ["Decision", "Determination", "Status"],
    "decision_date": ["Decision date", "Date of decision", "Date processed"],
    "provider_name": ["Provider", "Rendering provider", "Treating provider"],
    "promo_end_date": ["Promotion ends", "Promotional period ends", "Promo end date"],
    "balance_cents": ["New balance", "Current balance", "Balance"],
    "billed_cents": ["Amount billed", "Total billed", "Billed"],
    "allowed_cents": ["Allowed amount", "Amount allowed", "Allowed"],
    "plan_paid_cents": ["Plan paid", "Paid by plan", "Insurance paid"],
    "patient_responsibility_cents": ["You owe", "Your responsibility", "Patient responsibility"],
}
METHOD_WORDS = {
    "cash": ["Cash"], "check": ["Check #1042", "Personal check"], "card": ["Visa ending 4419",
    "Mastercard", "Credit card"], "hsa_card": ["HSA card", "HSA debit card"],
    "fsa_card": ["FSA card", "FSA debit card"], "financing": ["CareCredit financing",
    "Patient financing plan"],
}


def date_style(rng: random.Random):
    styles = [
        lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",
        lambda d: d.isoformat(),
        lambda d: f"{d:%B} {d.day}, {d.year}",
        lambda d: f"{d:%b} {d.day:02d}, {d.year}",
        lambda d: f"{d.month}/{d.day}/{d.year % 100:02d}",
        lambda d: f"{d.day} {d:%b} {d.year}",
    ]
    return rng.choice(styles)


def money_style(rng: random.Random):
    styles = [
        lambda c: f"${c // 100:,}.{c % 100:02d}",
        lambda c: f"{c // 100:,}.{c % 100:02d}",
        lambda c: f"$ {c // 100:,}.{c % 100:02d}",
        lambda c: f"${c // 100}.{c % 100:02d}",
    ]
    return rng.choice(styles)


@dataclass
class Doc:
    kind: str
    font: str
    size: float
    layout: str  # "inline", "stacked", "columns"
    fields: dict = field(default_factory=dict)  # the truth
    lines: list = field(default_factory=list)
    blocks: list = field(default_factory=list)  # what to draw


class Page:
    """A small cursor over an fpdf2 page (points, top-left origin, like the contract)."""

    def __init__(self, pdf, font: str, size: float):
        self.pdf, self.font, self.size = pdf, font, size
        self.y = 54.0
        self.left = 54.0
        self.right = 558.0

    def text(self, text: str, *, size: float | None = None, bold: bool = False, x=None, gap=1.45):
        size = size or self.size
        self.pdf.set_font(self.font, "B" if bold else "", size)
        self.y += size
        self.pdf.text(self.left if x is None else x, self.y, text)
        self.y += size * (gap - 1)

    def right_text(self, text: str, y: float, size: float | None = None):
        size = size or self.size
        self.pdf.set_font(self.font, "", size)
        width = self.pdf.get_string_width(text)
        self.pdf.text(self.right - width, y, text)

    def space(self, points: float):
        self.y += points

    def pair(self, label: str, value: str, layout: str):
        if layout == "inline":
            self.text(f"{label}: {value}")
        elif layout == "stacked":
            self.text(label, size=self.size * 0.85, bold=True, gap=1.2)
            self.text(value)
            self.space(2)
        else:  # label on the left, value in a column to its right
            self.pdf.set_font(self.font, "", self.size)
            self.y += self.size
            self.pdf.text(self.left, self.y, label)
            self.pdf.text(self.left + 170, self.y, value)
            self.y += self.size * 0.45

    def pairs_on_line(self, items: list[tuple[str, str]]):
        self.text("   ".join(f"{label} {value}" for label, value in items))

    def table(self, headers: list[str], rows: list[list[str]], xs: list[float], aligns: str):
        self.space(4)
        size = self.size
        widths = [(xs[i + 1] if i + 1 < len(xs) else self.right) - xs[i] - 6 for i in range(len(xs))]
        for row_index, row in enumerate([headers, *rows]):
            bold = row_index == 0
            self.pdf.set_font(self.font, "B" if bold else "", size)
            self.y += size
            for i, cell in enumerate(row):
                if not cell:
                    continue
                if aligns[i] == "r":
                    width = self.pdf.get_string_width(cell)
                    x = xs[i] + widths[i] - width
                else:
                    x = xs[i]
                self.pdf.text(x, self.y, cell)
            self.y += size * 0.5
        self.space(6)


def make_doc(kind: str, rng: random.Random) -> Doc:
    doc = Doc(kind, rng.choice(FONTS), rng.choice([9.5, 10, 11]), rng.choice(["inline", "stacked", "columns"]))
    fmt_date, fmt_money = date_style(rng), money_style(rng)
    truth = doc.fields
    patient = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    practice = rng.choice(PRACTICES)
    npi = make_npi(str(rng.randint(1, 2)) + "".join(str(rng.randint(0, 9)) for _ in range(8)))
    ein = f"{rng.randint(10, 98)}-{rng.randint(1000000, 9999999)}"
    day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 600))
    label = {name: rng.choice(words) for name, words in LABEL_WORDS.items()}
    codes = rng.sample(DIAGNOSES, rng.choice([1, 1, 2]))
    services = []
    for code, description, low, high in rng.sample(SERVICES, rng.randint(1, 3)):
        mods = [rng.choice(MODIFIERS)] if rng.random() < 0.4 and code[0].isdigit() else []
        units = rng.choice([1, 1, 1, 2])
        charge = rng.randrange(low, high, 500)
        services.append({"code": code, "modifiers": mods, "description": description,
                         "units": units, "charge_cents": charge})
    total = sum(s["charge_cents"] for s in services)
    blocks = doc.blocks

    def letterhead(name: str, with_ids: bool):
        blocks.append(("head", name))
        blocks.append(("small", f"{rng.randint(100, 9999)} {rng.choice(['W Main St', 'N Eagle Rd', 'S Vista Ave'])}, Boise, ID 837{rng.randint(10, 99)}"))
        if with_ids:
            blocks.append(("ids", [(label["provider_npi"], npi), (label["provider_tax_id"], ein)]))
            truth["provider_npi"] = npi
            truth["provider_tax_id"] = ein
        if kind in ("receipt", "superbill", "medical_necessity_letter", "lab_result", "good_faith_estimate"):
            truth["provider_name"] = name

    def service_table(with_dates: bool, with_units: bool = True):
        headers, xs, aligns = [], [], ""
        date_header = rng.choice(["DOS", "Date", "Service date"])
        code_header = rng.choice(["CPT", "Code", "CPT/HCPCS"])
        x = 54
        if with_dates:
            headers.append(date_header)
            xs.append(x)
            aligns += "l"
            x += 80
        headers.append(code_header)
        xs.append(x)
        aligns += "l"
        x += 70
        headers.append("Mod")
        xs.append(x)
        aligns += "l"
        x += 40
        headers.append(rng.choice(["Description", "Service"]))
        xs.append(x)
        aligns += "l"
        x = 420
        if with_units:
            headers.append(rng.choice(["Units", "Qty"]))
            xs.append(x)
            aligns += "r"
        headers.append(rng.choice(["Charge", "Fee", "Amount"]))
        xs.append(470)
        aligns += "r"
        rows = []
        for s in services:
            row = []
            if with_dates:
                row.append(fmt_date(day))
            row += [s["code"], " ".join(s["modifiers"]), s["description"]]
            if with_units:
                row.append(str(s["units"]))
            row.append(fmt_money(s["charge_cents"]))
            rows.append(row)
            doc.lines.append({
                "date_of_service": day.isoformat() if with_dates else None, "code": s["code"],
                "modifiers": s["modifiers"], "description": s["description"],
                "units": s["units"] if with_units else None, "charge_cents": s["charge_cents"],
            })
        blocks.append(("table", headers, rows, xs, aligns))

    def pair(name: str, shown: str, value):
        blocks.append(("pair", label[name], shown))
        truth[name] = value

    def diagnoses():
        blocks.append(("pair", label["diagnosis_codes"], ", ".join(codes)))
        truth["diagnosis_codes"] = codes

    if kind in ("receipt", "superbill"):
        letterhead(practice, True)
        blocks.append(("title", "PAYMENT RECEIPT" if kind == "receipt" else "SUPERBILL"))
        if kind == "receipt":
            number = f"{rng.choice(['R', 'INV', 'SRO'])}-{rng.randint(1000, 99999)}"
            pair("receipt_number", number, number)
        pair("patient_name", patient, patient)
        if kind == "superbill":
            member = f"{rng.choice(['GPH', 'BHI', 'XK'])}{rng.randint(10000000, 99999999)}"
            pair("member_id", member, member)
        pair("date_of_service", fmt_date(day), day.isoformat())
        diagnoses()
        service_table(rng.random() < 0.7)
        blocks.append(("right", label["total_cents"], fmt_money(total)))
        truth["total_cents"] = total
        if kind == "receipt":
            paid_day = day + dt.timedelta(days=rng.choice([0, 0, 1, 3]))
            method = rng.choice(list(METHOD_WORDS))
            pair("payment_date", fmt_date(paid_day), paid_day.isoformat())
            pair("payment_method", rng.choice(METHOD_WORDS[method]), method)
            blocks.append(("right", label["paid_cents"], fmt_money(total)))
            truth["paid_cents"] = total
            blocks.append(("right", "Balance due", fmt_money(0)))
            truth["balance_cents"] = 0
        blocks.append(("small", "Thank you for your visit. Keep this page with your records."))
    elif kind in ("eob", "determination"):
        insurer = rng.choice(INSURERS)
        letterhead(insurer, False)
        doctor = f"{rng.choice(FIRST)} {rng.choice(LAST)}, {rng.choice(CREDENTIALS)}"
        member = f"{rng.choice(['GPH', 'BHI', 'CM'])}{rng.randint(10000000, 99999999)}-0{rng.randint(1, 4)}"
        claim = f"CLM-{rng.randint(2400, 2699)}-{rng.randint(100000, 999999)}"
        decided = day + dt.timedelta(days=rng.randint(10, 60))
        if kind == "eob":
            blocks.append(("title", "EXPLANATION OF BENEFITS"))
            blocks.append(("small", "This is not a bill."))
            pair("patient_name", patient, patient)
            pair("member_id", member, member)
            pair("claim_number", claim, claim)
            pair("provider_name", doctor, doctor)
            pair("decision_date", fmt_date(decided), decided.isoformat())
            allowed = [int(s["charge_cents"] * rng.choice([0.6, 0.7, 0.8])) // 100 * 100 for s in services]
            paid = [a * 60 // 100 for a in allowed]
            owe = [s["charge_cents"] - p for s, p in zip(services, paid, strict=True)]
            headers = ["Service date", "Code", "Billed", "Allowed", "Plan paid", "You owe"]
            rows = []
            for s, a, p, o in zip(services, allowed, paid, owe, strict=True):
                code = "-".join([s["code"], *s["modifiers"]])
                rows.append([fmt_date(day), code, fmt_money(s["charge_cents"]), fmt_money(a), fmt_money(p), fmt_money(o)])
                doc.lines.append({"date_of_service": day.isoformat(), "code": s["code"],
                                  "modifiers": s["modifiers"], "description": "", "units": None,
                                  "charge_cents": s["charge_cents"]})
            rows.append(["Total", "", fmt_money(total), fmt_money(sum(allowed)), fmt_money(sum(paid)), fmt_money(sum(owe))])
            blocks.append(("table", headers, rows, [54, 150, 240, 315, 395, 475], "llrrrr"))
            truth.update(billed_cents=total, allowed_cents=sum(allowed), plan_paid_cents=sum(paid),
                         patient_responsibility_cents=sum(owe), date_of_service=day.isoformat())
            diagnoses()
        else:
            blocks.append(("date", fmt_date(decided)))
            truth["decision_date"] = decided.isoformat()
            decision = rng.choice(["approved", "denied"])
            blocks.append(("title", rng.choice(["PRIOR AUTHORIZATION", "COVERAGE DETERMINATION"])))
            pair("patient_name", patient, patient)
            pair("member_id", member, member)
            reference = f"PA-{rng.randint(2400, 2699)}-{rng.randint(100000, 999999)}"
            pair("reference_number", reference, reference)
            pair("provider_name", doctor, doctor)
            pair("decision", decision.upper(), decision)
            pair("date_of_service", fmt_date(day), day.isoformat())
            diagnoses()
            blocks.append(("small", "This decision is based on the plan's medical policy and the records received."))
    elif kind == "medical_necessity_letter":
        letterhead(practice, True)
        blocks.append(("date", fmt_date(day)))
        blocks.append(("title", "LETTER OF MEDICAL NECESSITY"))
        pair("patient_name", patient, patient)
        diagnoses()
        blocks.append(("small", "The treatment below is medically necessary for the diagnosed condition."))
        blocks.append(("small", "Treatment and frequency: as described in the plan of care."))
    elif kind == "lab_result":
        lab = rng.choice(LABS)
        letterhead(lab, rng.random() < 0.5)
        blocks.append(("title", "LABORATORY REPORT"))
        pair("patient_name", patient, patient)
        blocks.append(("pair", rng.choice(["Collected", "Collection date", "Date collected"]), fmt_date(day)))
        truth["date_of_service"] = day.isoformat()
        diagnoses()
        blocks.append(("table", ["Test", "Result", "Units", "Reference range"],
                       [["Vitamin B12, serum", str(rng.randint(120, 190)), "pg/mL", "200-900"],
                        ["Magnesium", "1.5", "mg/dL", "1.7-2.2"]],
                       [54, 250, 340, 420], "llll"))
    elif kind == "financing_statement":
        lender = rng.choice(LENDERS)
        letterhead(lender, False)
        blocks.append(("title", "ACCOUNT STATEMENT"))
        balance = rng.randrange(50000, 600000, 100)
        ends = day + dt.timedelta(days=rng.randint(30, 300))
        blocks.append(("right", "Previous balance", fmt_money(balance + 20000)))
        blocks.append(("right", label["balance_cents"], fmt_money(balance)))
        truth["balance_cents"] = balance
        blocks.append(("right", "Minimum payment due", fmt_money(4000)))
        pair("promo_end_date", fmt_date(ends), ends.isoformat())
        blocks.append(("small", "Pay the promotional balance in full by then to avoid deferred interest."))
    elif kind == "good_faith_estimate":
        letterhead(practice, True)
        blocks.append(("title", "GOOD FAITH ESTIMATE"))
        pair("patient_name", patient, patient)
        blocks.append(("pair", rng.choice(["Scheduled service", "Date of service"]), fmt_date(day)))
        truth["date_of_service"] = day.isoformat()
        diagnoses()
        service_table(False, with_units=False)
        blocks.append(("right", rng.choice(["Total estimated cost", "Estimated total"]), fmt_money(total)))
        truth["total_cents"] = total
        blocks.append(("small", "You may dispute a bill that is at least $400 more than this estimate."))
    return doc


def draw(doc: Doc, path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="letter")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    page = Page(pdf, doc.font, doc.size)
    for block in doc.blocks:
        kind = block[0]
        if kind == "head":
            page.text(block[1], size=doc.size * 1.9, bold=True, gap=1.3)
        elif kind == "small":
            page.text(block[1], size=doc.size * 0.9)
        elif kind == "ids":
            page.pairs_on_line(block[1])
        elif kind == "title":
            page.space(doc.size)
            page.text(block[1], size=doc.size * 1.4, bold=True)
        elif kind == "date":
            page.space(doc.size)
            page.text(block[1])
        elif kind == "pair":
            page.pair(block[1], block[2], doc.layout)
        elif kind == "right":
            page.pdf.set_font(doc.font, "", doc.size)
            page.y += doc.size
            page.pdf.text(360, page.y, block[1])
            page.right_text(block[2], page.y)
            page.y += doc.size * 0.5
        elif kind == "table":
            page.table(block[1], block[2], block[3], block[4])
    pdf.output(str(path))


def truth_of(doc: Doc) -> dict:
    return {"kind": doc.kind, "fields": doc.fields, "lines": doc.lines}


def scan(pdf_path: Path, out: Path, rng: random.Random, *, as_pdf: bool = False) -> Path:
    """The page as a scanner or a phone would give it: 200 dpi, tilted, speckled, JPEG 70."""
    import io

    import pypdfium2 as pdfium
    from PIL import Image

    document = pdfium.PdfDocument(str(pdf_path))
    try:
        page = document[0]
        image = page.render(scale=200 / 72, grayscale=True).to_pil().convert("L")
        page.close()
    finally:
        document.close()
    image = image.rotate(rng.uniform(-1.5, 1.5), resample=Image.Resampling.BICUBIC,
                         expand=False, fillcolor=255)
    pixels = image.load()
    width, height = image.size
    for _ in range(width * height // 2500):  # dust and toner specks
        x, y = rng.randrange(width), rng.randrange(height)
        shade = rng.randint(0, 120)
        for dx in range(rng.choice([1, 1, 2])):
            for dy in range(rng.choice([1, 1, 2])):
                if x + dx < width and y + dy < height:
                    pixels[x + dx, y + dy] = shade
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70, dpi=(200, 200))
    if as_pdf:
        jpeg = Image.open(io.BytesIO(buffer.getvalue()))
        jpeg.save(out, "PDF", resolution=200)
    else:
        out.write_bytes(buffer.getvalue())
    return out


def photo(pdf_path: Path, out: Path, rng: random.Random, *, close: bool = False) -> Path:
    """The page photographed with a phone on a table (see the module's docstring); ``close``:
    from so near that the page fills the frame, its margins cut off and no table seen."""
    import io

    import pypdfium2 as pdfium
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    from regenlog.core.reading.geometry import perspective

    dpi = rng.uniform(100, 170)
    document = pdfium.PdfDocument(str(pdf_path))
    try:
        page = document[0]
        sheet = page.render(scale=dpi / 72).to_pil().convert("RGB")
        page.close()
    finally:
        document.close()
    paper = tuple(rng.randint(236, 252) for _ in range(3))
    sheet = ImageChops.multiply(sheet, Image.new("RGB", sheet.size, paper))
    width, height = sheet.size
    # The frame: the page fills 70-88 % of its width (or of its height, for a till slip),
    # in a phone's 3:4 portrait frame.
    fill = rng.uniform(0.70, 0.88)
    frame_w = round(max(width / fill, height / fill * 3 / 4))
    frame_h = round(frame_w * 4 / 3)
    table = _table(rng, (frame_w, frame_h))
    # Where the page's corners land: turned, seen a little from one side, off centre.
    import math

    angle = math.radians(rng.uniform(-5, 5))
    cx = frame_w / 2 + rng.uniform(-0.04, 0.04) * frame_w
    cy = frame_h / 2 + rng.uniform(-0.03, 0.03) * frame_h
    keystone = rng.uniform(-0.05, 0.05)  # the far edge narrower (phone tipped back)
    corners = []
    for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        squeeze = 1 - keystone * sy
        x = sx * width / 2 * squeeze + rng.uniform(-0.012, 0.012) * width
        y = sy * height / 2 + rng.uniform(-0.012, 0.012) * height
        corners.append((cx + x * math.cos(angle) - y * math.sin(angle),
                        cy + x * math.sin(angle) + y * math.cos(angle)))
    source = [(0, 0), (width, 0), (width, height), (0, height)]
    coefficients = perspective(corners, source)
    warped = sheet.transform((frame_w, frame_h), Image.Transform.PERSPECTIVE, coefficients,
                             Image.Resampling.BICUBIC)
    mask = Image.new("L", (frame_w, frame_h), 0)
    ImageDraw.Draw(mask).polygon(corners, fill=255)
    shadow = mask.filter(ImageFilter.GaussianBlur(frame_w / 150)).point(lambda p: p * 0.5)
    offset = round(frame_w / 120)
    shadow = ImageChops.offset(shadow, offset, offset)
    table = Image.composite(Image.new("RGB", table.size, (10, 8, 6)), table, shadow)
    image = Image.composite(warped, table, mask)
    # Light from one side, a softer corner, a glare, focus and noise.
    light = Image.linear_gradient("L").resize((512, 512)).rotate(rng.uniform(0, 360))
    light = light.crop((128, 128, 384, 384)).resize((frame_w, frame_h), Image.Resampling.BILINEAR)
    low = rng.uniform(0.55, 0.8)
    light = light.point(lambda p: round(255 * (low + (1 - low) * p / 255)))
    image = ImageChops.multiply(image, Image.merge("RGB", (light, light, light)))
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.9)))
    noise = Image.effect_noise((frame_w, frame_h), rng.uniform(4, 9))
    image = ImageChops.add(image, Image.merge("RGB", (noise, noise, noise)), scale=1.0, offset=-128)
    if close:
        xs, ys = [x for x, _ in corners], [y for _, y in corners]
        inset = 0.03 * width
        image = image.crop((round(max(xs[0], xs[3]) + inset), round(max(ys[0], ys[1]) + inset),
                            round(min(xs[1], xs[2]) - inset), round(min(ys[2], ys[3]) - inset)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=rng.randint(72, 88), dpi=(72, 72))
    out.write_bytes(buffer.getvalue())
    return out


NETWORKS = ["VISA", "MASTERCARD", "AMEX", "DISCOVER", "DEBIT"]
SLIP_AMOUNT = ["AMOUNT", "SALE AMOUNT", "PURCHASE", "AMOUNT"]


def make_slip(rng: random.Random) -> Doc:
    """A card terminal's slip: a merchant, a date, an amount and a card, nothing else. The
    truth is what it shows: the merchant as printed, the payment date, and the amount as
    both the total and the amount paid by card."""
    doc = Doc("receipt", "Courier", rng.choice([9, 9.5, 10]), "slip")
    practice = rng.choice(PRACTICES).upper()
    day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 600))
    amount = rng.randrange(2500, 250000, 5)
    fmt_date = rng.choice([lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",
                           lambda d: f"{d.month:02d}/{d.day:02d}/{d.year % 100:02d}"])
    money = f"{amount // 100:,}.{amount % 100:02d}"
    doc.blocks = [
        ("center", practice, True),
        ("center", f"{rng.randint(100, 9999)} {rng.choice(['W MAIN ST', 'N EAGLE RD', 'S VISTA AVE'])}", False),
        ("center", f"BOISE, ID 837{rng.randint(10, 99)}", False),
        ("center", f"(208) 555-{rng.randint(1000, 9999)}", False),
        ("gap",),
        ("pair", "MERCHANT ID", f"{rng.randint(1000, 9999)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"),
        ("pair", "TERMINAL", f"{rng.randint(1, 12):02d}"),
        ("pair", "DATE", fmt_date(day)),
        ("pair", "TIME", f"{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}"),
        ("center", "- - - - - - - - - - - - - -", False),
        ("center", "SALE", True),
        ("pair", rng.choice(NETWORKS), "*" * 12 + f"{rng.randint(1000, 9999)}"),
        ("pair", "ENTRY", rng.choice(["CHIP", "CONTACTLESS", "SWIPED"])),
        ("pair", "APPROVAL", f"{rng.randint(100000, 999999)}"),
        ("gap",),
        ("pair", rng.choice(SLIP_AMOUNT), rng.choice(["USD ", "$", ""]) + money, True),
        ("center", "- - - - - - - - - - - - - -", False),
        ("center", "APPROVED", True),
        ("center", rng.choice(["NO SIGNATURE REQUIRED", "CUSTOMER COPY"]), False),
        ("center", "THANK YOU", False),
    ]
    doc.fields = {"provider_name": practice, "payment_date": day.isoformat(),
                  "total_cents": amount, "paid_cents": amount, "payment_method": "card"}
    return doc


def draw_slip(doc: Doc, path: Path) -> None:
    from fpdf import FPDF

    width, margin, step = 227.0, 14.0, doc.size * 1.55  # 80 mm thermal paper
    height = 40 + step * (len(doc.blocks) + 2)
    pdf = FPDF(unit="pt", format=(width, height))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    y = 30.0
    for block in doc.blocks:
        if block[0] == "gap":
            y += step / 2
            continue
        bold = block[-1] is True
        pdf.set_font(doc.font, "B" if bold else "", doc.size * (1.15 if bold and block[0] == "center" else 1))
        if block[0] == "center":
            pdf.text((width - pdf.get_string_width(block[1])) / 2, y, block[1])
        else:
            pdf.text(margin, y, block[1])
            pdf.text(width - margin - pdf.get_string_width(block[2]), y, block[2])
        y += step
    pdf.output(str(path))


def _table(rng: random.Random, size: tuple[int, int]):
    """A dark or grained table top."""
    from PIL import Image, ImageDraw, ImageFilter

    base = rng.choice([(92, 70, 52), (60, 48, 40), (48, 52, 58), (70, 72, 66), (120, 96, 70)])
    table = Image.new("RGB", size, base)
    draw = ImageDraw.Draw(table)
    width, height = size
    for _ in range(rng.randint(30, 90)):  # grain
        y = rng.uniform(0, height)
        shade = rng.randint(-30, 25)
        colour = tuple(max(0, min(255, c + shade)) for c in base)
        draw.line([(0, y), (width, y + rng.uniform(-0.05, 0.05) * height)], fill=colour,
                  width=rng.randint(1, 4))
    return table.filter(ImageFilter.GaussianBlur(1.5))


def write_corpus(folder: Path, *, count: int, seed: int = 1, scans: int = 0,
                 photos: int = 0, slips: int = 0, closeups: int = 0) -> list[tuple[Path, dict]]:
    """``count`` text PDFs (kinds in turn), ``scans`` scans, ``photos`` photos and
    ``closeups`` close-up photos of the first ones (the same pages, so they can be
    compared), and ``slips`` photos of card slips, with truth JSON files beside them;
    returns (document, truth) pairs."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    made: list[tuple[Path, dict]] = []
    for index in range(count):
        kind = KINDS[index % len(KINDS)]
        doc = make_doc(kind, rng)
        path = folder / f"{index:03d}-{kind}.pdf"
        draw(doc, path)
        truth = truth_of(doc)
        path.with_suffix(".json").write_text(json.dumps(truth, indent=1))
        made.append((path, truth))
    for index in range(min(scans, count)):
        source, truth = made[index]
        as_pdf = index % 3 == 2
        out = folder / f"{source.stem}-scan.{'pdf' if as_pdf else 'jpg'}"
        scan(source, out, rng, as_pdf=as_pdf)
        (folder / f"{out.stem}.json").write_text(json.dumps(truth, indent=1))
        made.append((out, truth))
    photo_rng = random.Random(seed + 1)  # a separate stream: the scans stay as they were
    for index in range(min(photos, count)):
        source, truth = made[index]
        out = folder / f"{source.stem}-photo.jpg"
        photo(source, out, photo_rng)
        (folder / f"{out.stem}.json").write_text(json.dumps(truth, indent=1))
        made.append((out, truth))
    close_rng = random.Random(seed + 3)
    for index in range(min(closeups, count)):
        source, truth = made[index]
        out = folder / f"{source.stem}-closeup.jpg"
        photo(source, out, close_rng, close=True)
        (folder / f"{out.stem}.json").write_text(json.dumps(truth, indent=1))
        made.append((out, truth))
    slip_rng = random.Random(seed + 2)
    for index in range(slips):
        doc = make_slip(slip_rng)
        source = folder / f"slip-{index:03d}.pdf"
        draw_slip(doc, source)
        out = folder / f"slip-{index:03d}-photo.jpg"
        photo(source, out, slip_rng)
        source.unlink()  # the slip exists only as a photo, as a patient has it
        truth = truth_of(doc)
        (folder / f"{out.stem}.json").write_text(json.dumps(truth, indent=1))
        made.append((out, truth))
    return made
