"""From the words of a document to its kind, its fields and its procedure lines.

The same for a text layer and for OCR: the words arrive as boxes, grouped into lines,
searched for labels and tables. Only the fields a kind of document carries are proposed
(an EOB's "Total" row is a billed amount, not a receipt total).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from regenlog.core.reading import values as v
from regenlog.core.reading.fields import (
    TABLE,
    WEAK_RANK,
    Candidate,
    _ocr_factor,
    addressee,
    card_slip_method,
    diagnosis_codes,
    labelled,
    letterhead,
    payment_line_method,
    read_words,
)
from regenlog.core.reading.kinds import classify
from regenlog.core.reading.result import ProcedureLine, Proposal
from regenlog.core.reading.tables import Row, Table, find_tables
from regenlog.core.reading.words import Line, Word, group_lines

_COMMON = {"patient_name", "member_id", "provider_name", "provider_npi", "diagnosis_codes"}
_PAYMENT = {"provider_tax_id", "date_of_service", "payment_date", "receipt_number",
            "total_cents", "paid_cents", "payment_method", "balance_cents"}
_INSURER = {"date_of_service", "claim_number", "billed_cents", "allowed_cents",
            "plan_paid_cents", "patient_responsibility_cents", "reference_number", "decision",
            "decision_date"}
KIND_FIELDS: dict[str, set[str]] = {
    "receipt": _COMMON | _PAYMENT,
    "superbill": _COMMON | _PAYMENT,
    "eob": _COMMON | _INSURER,
    "determination": _COMMON | _INSURER,
    "medical_necessity_letter": _COMMON | {"provider_tax_id"},
    "lab_result": _COMMON | {"date_of_service"},
    "financing_statement": {"patient_name", "promo_end_date", "balance_cents", "payment_date"},
    "good_faith_estimate": _COMMON | {"provider_tax_id", "date_of_service", "total_cents"},
    "unknown": _COMMON | {"provider_tax_id", "date_of_service"},
}
LINE_KINDS = {"receipt", "superbill", "eob", "determination", "good_faith_estimate", "unknown"}
# The letterhead is the provider on paper the provider wrote, the insurer on the insurer's.
LETTERHEAD_KINDS = {"receipt", "superbill", "medical_necessity_letter", "lab_result",
                    "good_faith_estimate", "unknown"}
# Paper mailed to the patient by an insurer or a lender: the name above the address is theirs.
ADDRESSEE_KINDS = {"eob", "determination", "financing_statement"}


@dataclass(slots=True)
class PageWords:
    number: int
    width: float
    height: float
    words: list[Word]


@dataclass(slots=True)
class Extracted:
    kind: str
    fields: dict[str, Proposal]
    lines: list[ProcedureLine]


def extract(pages: list[PageWords], *, ocr: bool = False) -> Extracted:
    words = [w for page in pages for w in page.words]
    lines = group_lines(words)
    kind, _ = classify(lines[:400], ocr=ocr)
    allowed = KIND_FIELDS[kind]
    candidates = labelled(lines)
    if kind == "receipt":
        slip = card_slip_method(lines)
        if slip is not None:
            candidates.append(slip)
    else:
        candidates = [c for c in candidates if c.rank != WEAK_RANK]
    for order, candidate in enumerate(candidates):
        candidate.order = order
    tables = find_tables(lines)
    procedure_lines: list[ProcedureLine] = []
    dx_words: set[int] = set()
    for table in tables:
        dx_words.update(id(w) for row in table.rows for w in row.words("dx"))
        if kind in LINE_KINDS:
            procedure_lines.extend(_procedure_lines(table))
        candidates.extend(_table_fields(table, kind, ocr))
    if kind in LETTERHEAD_KINDS and pages:
        head = letterhead(lines, pages[0].height)
        if head is not None:
            candidates.append(head)
    if kind == "determination":
        candidates.extend(_determination_extras(lines))
    if kind in ADDRESSEE_KINDS:
        name = addressee(lines)
        if name is not None:
            candidates.append(name)
    chosen = _choose([c for c in candidates if c.name in allowed])
    if kind == "receipt" and "payment_method" not in chosen and "paid_cents" in chosen:
        method = payment_line_method(lines, chosen["paid_cents"].value)
        if method is not None:
            chosen["payment_method"] = _proposal(method)
    day = chosen["date_of_service"].value if "date_of_service" in chosen else None
    if "date_of_service" in allowed and day is None:
        dated = [line for line in procedure_lines if line.date_of_service]
        if dated:
            day = dated[0].date_of_service
            same = all(line.date_of_service == day for line in dated)
            chosen["date_of_service"] = Proposal(
                day, (0.9 if same else 0.75) * dated[0].confidence / 0.9, dated[0].page,
                dated[0].box,
            )
    if ocr:
        _cross_check(chosen, procedure_lines)
    codes = diagnosis_codes(lines, dx_words, day)
    if codes is not None and "diagnosis_codes" in allowed:
        chosen["diagnosis_codes"] = _proposal(codes)
    return Extracted(kind, chosen, procedure_lines if kind in LINE_KINDS else [])


MIN_CONFIDENCE = 0.5


def _cross_check(chosen: dict[str, Proposal], lines: list[ProcedureLine]) -> None:
    """OCR misreads digits ("$1,120" as "$4,120"): a total that the lines' charges do not
    add up to is withdrawn rather than proposed."""
    charges = [line.charge_cents for line in lines]
    if not charges or None in charges:
        return
    for name in ("total_cents", "billed_cents"):
        proposal = chosen.get(name)
        if proposal is not None and proposal.value != sum(c or 0 for c in charges):
            del chosen[name]


def _proposal(candidate: Candidate) -> Proposal:
    source = " ".join(w.text for w in candidate.words)
    return Proposal(candidate.value, round(min(candidate.confidence, 0.99), 3),
                    candidate.page, candidate.box, source)


def _choose(candidates: list[Candidate]) -> dict[str, Proposal]:
    """The best candidate of each field; when two good ones disagree, confidence drops."""
    by_name: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        by_name.setdefault(candidate.name, []).append(candidate)
    chosen: dict[str, Proposal] = {}
    for name, group in by_name.items():
        group.sort(key=lambda c: (c.rank, -c.confidence, c.order))
        best = group[0]
        rivals = {repr(c.value) for c in group if c.rank == best.rank} - {repr(best.value)}
        if rivals and name not in ("provider_name",):
            best.confidence *= 0.7
            if best.confidence < 0.5:
                continue
        if best.confidence >= MIN_CONFIDENCE:
            chosen[name] = _proposal(best)
    return chosen


def _cell(row: Row, column: str) -> list[Word]:
    return row.words(column)


def _procedure_lines(table: Table) -> list[ProcedureLine]:
    kinds = table.kinds()
    if not ({"code", "service"} & kinds):
        return []
    found: list[ProcedureLine] = []
    # "Service" heads the codes where a "Description" column exists, else the descriptions.
    description_column = "desc" if "desc" in kinds else "service"
    for row in table.body:
        code_words = []
        for column in ("code", "service"):
            words = _cell(row, column)
            if words and v.read_code_and_modifiers(" ".join(w.text for w in words)):
                code_words = words
                break
        if not code_words:
            if found and _is_continuation(row, description_column) and row.line.page == found[-1].page:
                extra = " ".join(w.text for w in _cell(row, description_column))
                found[-1].description = f"{found[-1].description} {extra}".strip()
            continue
        code_read = v.read_code_and_modifiers(" ".join(w.text for w in code_words))
        if code_read is None:  # not reached: the loop above kept only a readable code
            continue
        code, modifiers = code_read
        mod_words = _cell(row, "mod")
        if mod_words:
            try:
                from regenlog.core.codes import check_modifiers

                extra_modifiers = check_modifiers(" ".join(w.text for w in mod_words))
            except Exception:
                extra_modifiers = []
            modifiers = modifiers + [m for m in extra_modifiers if m not in modifiers][: 4 - len(modifiers)]
        date_words = _cell(row, "date")
        day = v.read_date_value(" ".join(w.text for w in date_words)) if date_words else None
        units_words = _cell(row, "units")
        units = v.read_units(" ".join(w.text for w in units_words)) if units_words else None
        charge = None
        for column in ("charge", "billed"):
            money = _cell(row, column)
            if money:
                read = v.read_money_value(" ".join(w.text for w in money))
                if read:
                    charge = read[0]
                    break
        used = row.line.words
        confidence = 0.9 * min(_ocr_factor(w.confidence) for w in code_words)
        box = used[0].box
        for word in used[1:]:
            box = box.union(word.box)
        found.append(ProcedureLine(
            code=code, date_of_service=day[0] if day else None, modifiers=modifiers,
            description=" ".join(w.text for w in _cell(row, description_column)),
            units=units, charge_cents=charge, confidence=round(confidence, 3),
            page=row.line.page, box=box,
        ))
    return found


def _is_continuation(row: Row, description_column: str) -> bool:
    return set(row.cells) == {description_column} and not row.is_total


_EOB_COLUMNS = {"billed": "billed_cents", "allowed": "allowed_cents",
                "plan_paid": "plan_paid_cents", "owe": "patient_responsibility_cents"}


def _table_fields(table: Table, kind: str, ocr: bool = False) -> list[Candidate]:
    """Claim amounts from an EOB's service table, payments from a receipt's payment table,
    a financing statement's promotion, a determination's decision column."""
    found: list[Candidate] = []
    kinds = table.kinds()
    insurer = kind in ("eob", "determination")
    money_columns = dict(_EOB_COLUMNS)
    if insurer:
        money_columns["paid"] = "plan_paid_cents"
        if "billed" not in kinds:
            money_columns["charge"] = "billed_cents"
    rows = [table.total] if table.total else (table.body if len(_data_rows(table)) == 1 else [])
    rows = [r for r in rows if r is not None]
    if insurer and rows and len([c for c in money_columns if c in kinds]) >= 2:
        row = rows[0] if table.total else _data_rows(table)[0]
        for column, name in money_columns.items():
            candidate = read_words(name, _cell(row, column), TABLE)
            if candidate is not None and not (ocr and not _adds_up(table, column, candidate.value)):
                found.append(candidate)
    if "decision" in kinds and insurer:
        decisions = {v.read_decision(r.text("decision")) for r in _data_rows(table)}
        decisions.discard(None)
        if len(decisions) == 1:
            row = _data_rows(table)[0]
            candidate = read_words("decision", _cell(row, "decision"), TABLE)
            if candidate is not None:
                found.append(candidate)
    if "method" in kinds:
        found.extend(_payments(table))
    if "expires" in kinds and len(_data_rows(table)) == 1:
        row = _data_rows(table)[0]
        for column, name in (("expires", "promo_end_date"), ("balance", "balance_cents")):
            candidate = read_words(name, _cell(row, column), TABLE)
            if candidate is not None:
                found.append(candidate)
    return found


def _adds_up(table: Table, column: str, total: int) -> bool:
    """True when the rows above a total row add up to it (OCR misreads digits)."""
    if table.total is None:
        return True
    amounts = []
    for row in _data_rows(table):
        read = v.read_money_value(row.text(column))
        if read is None:
            return False
        amounts.append(read[0])
    return sum(amounts) == total


def _data_rows(table: Table) -> list[Row]:
    """Body rows that hold an amount or a date (not a description running on)."""
    rows = []
    for row in table.body:
        text = row.line.text
        if re.search(r"\d", text) and not row.is_total:
            rows.append(row)
    return rows


def _payments(table: Table) -> list[Candidate]:
    """A payments table: each dated row a payment; the method of the largest one."""
    payments = []
    for row in table.body:
        date_words, amount_words = _cell(row, "date"), _cell(row, "charge") or _cell(row, "paid")
        day = read_words("payment_date", date_words, TABLE)
        amount = read_words("paid_cents", amount_words, TABLE)
        method = read_words("payment_method", _cell(row, "method"), TABLE)
        if day and amount:
            payments.append((day, amount, method))
    if not payments:
        return []
    found: list[Candidate] = [max((p[0] for p in payments), key=lambda c: c.value)]
    if len(payments) == 1:
        found.append(payments[0][1])
    else:
        total = sum(p[1].value for p in payments)
        first = payments[0][1]
        found.append(Candidate("paid_cents", total, first.confidence * 0.9, first.rank, first.words))
    largest = max(payments, key=lambda p: p[1].value)
    if largest[2] is not None:
        if len({p[2].value for p in payments if p[2]}) > 1:
            largest[2].confidence *= 0.85
        found.append(largest[2])
    return found


_DECISION_TITLE = re.compile(
    r"\b(approved|denied|adverse benefit determination|partially approved|pending)\b", re.I)


def _determination_extras(lines: list[Line]) -> list[Candidate]:
    """A letter's decision in its title, and its date printed alone near the top."""
    found: list[Candidate] = []
    first_page = [ln for ln in lines if ln.page == lines[0].page] if lines else []
    for line in first_page[:30]:
        if len(line.words) <= 8 and _DECISION_TITLE.search(line.text):
            candidate = read_words("decision", line.words, (0.8, 3))
            if candidate is not None:
                found.append(candidate)
                break
    for line in first_page[:12]:
        read = v.read_date_value(line.text)
        if read and read[1] >= len(line.text.rstrip()) - 1:
            candidate = read_words("decision_date", line.words, (0.8, 3))
            if candidate is not None:
                found.append(candidate)
                break
    return found
