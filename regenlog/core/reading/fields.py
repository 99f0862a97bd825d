"""Fields read from labelled values: "Date of service 03/12/2026", "NPI 1837204654".

A label's value is the words after it in the same run of words (up to the next label),
else the next run on the same line ("Total ........ $850.00"), else the words just below
it (a label printed above its value). Each candidate carries how it was found; the best
candidate of each field is proposed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from regenlog.core.codes import check_icd10
from regenlog.core.reading import values as v
from regenlog.core.reading.labels import WEAK, find_labels
from regenlog.core.reading.result import Box
from regenlog.core.reading.words import Line, Word, segments

Reader = Callable[[str], tuple[Any, int] | None]


def _whole(read: Callable[[str], Any]) -> Reader:
    """A reader of a whole value (payment method, decision) that uses every word."""
    def reader(text: str):
        value = read(text)
        return None if value is None else (value, len(text))
    return reader


READERS: dict[str, Reader] = {
    "patient_name": v.read_name_value,
    "provider_name": lambda t: v.read_name_value(t, credentials=True),
    "member_id": v.read_identifier_value,
    "claim_number": v.read_identifier_value,
    "receipt_number": v.read_identifier_value,
    "reference_number": v.read_identifier_value,
    "provider_npi": v.read_npi_value,
    "provider_tax_id": v.read_ein_value,
    "payment_method": _whole(lambda t: v.read_payment_method(" ".join(t.split()[:8]))),
    "decision": _whole(lambda t: v.read_decision(" ".join(t.split()[:6]))),
}
for _name in ("date_of_service", "payment_date", "decision_date", "promo_end_date"):
    READERS[_name] = v.read_date_value
for _name in ("total_cents", "paid_cents", "billed_cents", "allowed_cents", "plan_paid_cents",
              "patient_responsibility_cents", "balance_cents"):
    READERS[_name] = v.read_money_value

# How a value was found: its base confidence and its rank (lower wins over higher).
INLINE, BESIDE, BELOW, TABLE, LETTERHEAD = (0.96, 1), (0.93, 1), (0.88, 2), (0.9, 2), (0.85, 0)
# After a weak label ("Date", "Amount"): only on a receipt, and only where nothing else is.
WEAK_RANK = 3
ADDRESSEE = (0.82, 2)


@dataclass(slots=True)
class Candidate:
    name: str
    value: Any
    confidence: float
    rank: int
    words: list[Word]
    order: int = 0

    @property
    def page(self) -> int:
        return self.words[0].page

    @property
    def box(self) -> Box:
        box = self.words[0].box
        for word in self.words[1:]:
            if word.page == self.words[0].page:
                box = box.union(word.box)
        return box


def read_words(name: str, words: list[Word], how: tuple[float, int]) -> Candidate | None:
    """The field's value at the start of these words, or None."""
    if not words:
        return None
    reader = READERS.get(name)
    if reader is None:
        return None
    text, starts = "", []
    for word in words:
        if text:
            text += " "
        starts.append(len(text))
        text += word.text
    found = reader(text)
    if found is None:
        return None
    value, end = found
    used = [w for w, s in zip(words, starts, strict=True) if s < end] or words[:1]
    ocr = min(w.confidence for w in used)
    if name in UNCHECKED and ocr < MIN_UNCHECKED_OCR:
        return None  # no check digit can catch a letter OCR dropped ("CM1052..." as "1052...")
    return Candidate(name, value, how[0] * _ocr_factor(ocr), how[1], used)


# Identifiers with no check digit or code set to catch a misread, and how sure Tesseract
# must be of their words.
UNCHECKED = {"member_id", "claim_number", "receipt_number", "reference_number"}
MIN_UNCHECKED_OCR = 0.6


def _ocr_factor(confidence: float) -> float:
    """Tesseract's word confidence (0..1; a text layer says 1) as a factor on ours."""
    return 1.0 if confidence >= 0.999 else max(0.3, min(1.0, 0.55 + 0.45 * confidence))


def labelled(lines: list[Line]) -> list[Candidate]:
    from regenlog.core.reading.tables import header_columns

    found: list[Candidate] = []
    for index, line in enumerate(lines):
        runs = segments(line)
        # A table's header words ("Allowed", "Paid") head a column: tables.py reads those,
        # and a header OCR misread in a word or two still heads a column, not a label's value.
        is_header = header_columns(line, share=0.6) is not None
        for r, run in enumerate(runs):
            hits = find_labels(run)
            for h, hit in enumerate(hits):
                if not hit.fields:
                    continue
                stop = hits[h + 1].start if h + 1 < len(hits) else len(run)
                after = run[hit.end:stop]
                how = INLINE
                if not after and h + 1 == len(hits) and r + 1 < len(runs):
                    following = runs[r + 1]
                    first = find_labels(following)
                    after = following[: first[0].start] if first else following
                    how = BESIDE
                if not after and not is_header:
                    after = _below(lines, index, run[hit.start:hit.end])
                    how = BELOW
                if hit.phrase in WEAK:
                    if how is BELOW:
                        continue  # a column's heading, not a slip's label
                    for name in hit.fields:
                        candidate = read_words(name, after, (how[0] * 0.95, WEAK_RANK))
                        if candidate is not None:
                            found.append(candidate)
                    continue
                for name in hit.fields:
                    candidate = read_words(name, after, how)
                    if candidate is not None:
                        found.append(candidate)
                        break
    return found


_CARD_NETWORK = re.compile(
    r"^(visa|mastercard|amex|american express|discover|debit|credit)(?![a-z,])", re.I)


def card_slip_method(lines: list[Line]) -> Candidate | None:
    """A slip's card line ("VISA ************4419"): a short line that starts with a card
    network is a card payment, whatever the slip calls it (its masked digits are often read
    as letters, so they are not required)."""
    for line in lines:
        if len(line.words) <= 6 and _CARD_NETWORK.match(line.text) and not re.search(
                r"accept|welcome|cash|check|hsa|fsa", line.text, re.I):
            words = line.words[:1]
            return Candidate("payment_method", "card", 0.85 * _ocr_factor(words[0].confidence), 2,
                             words)
    return None


def _below(lines: list[Line], index: int, label: list[Word]) -> list[Word]:
    """The run of words just under a label, starting under it."""
    line = lines[index]
    if index + 1 >= len(lines):
        return []
    below = lines[index + 1]
    if below.page != line.page or below.top - line.bottom > 1.2 * line.height:
        return []
    x0, x1 = label[0].x0, label[-1].x1
    for run in segments(below):
        if x0 - 2 * line.height <= run[0].x0 <= x1:
            hits = find_labels(run)
            return run[: hits[0].start] if hits else run
    return []


_DOTTED = re.compile(r"[A-Z][0-9][0-9A-Z]\.[0-9A-Z]{1,4}")
_BARE = re.compile(r"[A-Z][0-9][0-9A-Z][0-9A-Z]{0,4}")
_DIGIT_LOOKALIKES = {"S": "5", "O": "0", "I": "1", "L": "1", "Z": "2", "B": "8", "G": "6"}
# A code's shape as OCR misreads it ("DS1.0" for D51.0, "M7S.12I"): three characters, a dot.
_CODE_LIKE = re.compile(r"^[A-Z0-9]{3}\.[0-9A-Z]")


def _misread_code(text: str) -> bool:
    """On a diagnosis line, a short word with a dot inside that is no amount: a code OCR
    misread ("£83.42" for E83.42, "M7S.12I")."""
    word = text.strip(",;:()[]")
    if re.fullmatch(r"\$?\d[\d,]*\.\d{2}", word) or word.lower().rstrip(".") in ("e.g", "i.e"):
        return False
    return bool(re.fullmatch(r"\S{0,2}[A-Za-z0-9£€]{1,3}\.[0-9A-Za-z]{1,4}\.?", word))
_DX_CONTEXT = re.compile(r"diagnos|\bdx\b|\bicd|impression|condition", re.I)


def diagnosis_codes(lines: list[Line], dx_words: set[int], day) -> Candidate | None:
    """Every ICD-10-CM code that passes the code-set check, in the order printed.

    A code with its dot is taken anywhere; one without (M1711) only beside a diagnosis label
    or in a diagnosis column (``dx_words`` holds those words' ids), since a bare "A17" may be
    a remark code.
    """
    codes: list[str] = []
    words: list[Word] = []
    context = False
    unread = False  # OCR showed a code it could not read: the list would be short of it
    for line in lines:
        context = bool(_DX_CONTEXT.search(line.text))
        for word in line.words:
            # OCR glues specks to a code ("/-M75.121,"): only letters, digits and its dot.
            token = re.sub(r"^[^A-Za-z0-9]+|[^A-Za-z0-9.]+$", "", word.text).rstrip(".").upper()
            ocr = word.confidence < 0.999
            if ocr and _CODE_LIKE.search(token) and token[1] in _DIGIT_LOOKALIKES:
                # A code's second character is always a digit: OCR's "DS1.0" is D51.0 (the
                # code set still has to know the result).
                token = token[0] + _DIGIT_LOOKALIKES[token[1]] + token[2:]
            if token.startswith(("A.", "B.", "C.", "D.")) and len(token) == 2:
                continue
            bare = _BARE.fullmatch(token)
            if not (_DOTTED.fullmatch(token) or (bare and (context or id(word) in dx_words))):
                if context and ocr and _misread_code(word.text):
                    unread = True
                continue
            if bare and len(token) == 3 and not (context or id(word) in dx_words):
                continue
            check = check_icd10(token, day)
            if check.ok and check.code not in codes:
                codes.append(check.code)
                words.append(word)
            elif not check.ok and ocr and "." in token:
                unread = unread or context or id(word) in dx_words
    if not codes or unread:
        return None
    confidence = 0.95 * min(_ocr_factor(w.confidence) for w in words)
    return Candidate("diagnosis_codes", codes, confidence, 1, words[:1])


_STATE_ZIP = re.compile(r"\b[A-Z]{2},?\s+\d{5}(?:-\d{4})?\b")
_STREET = re.compile(r"^\d{1,6}\s+[A-Za-z]|^(po|p\.o\.)\s+box\b", re.I)


def addressee(lines: list[Line]) -> Candidate | None:
    """The person a letter or statement is mailed to: a name alone on its line, in body
    type, just above a street or PO box line, near the top of the first page (an insurer's
    letter and a lender's statement print the member's name so, with no label)."""
    if not lines:
        return None
    first = [ln for ln in lines if ln.page == lines[0].page][:20]
    heights = sorted(ln.height for ln in first)
    median = heights[len(heights) // 2]
    found = None
    for line, below in zip(first[1:], first[2:], strict=False):  # the first is the letterhead
        if line.height > 1.2 * median or not _STREET.match(below.text):
            continue
        if below.top - line.bottom > 1.5 * line.height or abs(below.words[0].x0 - line.words[0].x0) > line.height:
            continue
        if ":" in line.text or find_labels(line.words):
            continue
        candidate = read_words("patient_name", line.words, ADDRESSEE)
        if candidate is None or len(candidate.words) != len(line.words) or len(line.words) > 4:
            continue
        if found is not None:
            return None  # two addresses (the member's and the provider's): say nothing
        found = candidate
    return found


def payment_line_method(lines: list[Line], paid: int) -> Candidate | None:
    """How the payment was made, from the one line that records it: "Patient payment, HSA
    debit card ending 2209 ... -$122.48" on an account's activity, its amount the amount
    paid."""
    found: set[str] = set()
    source: list[Word] = []
    for line in lines:
        text = line.text
        if not re.search(r"\bpayment\b|\bpaid\b", text, re.I) or re.search(r"accept", text, re.I):
            continue
        amounts = [v.read_money_value(text[m.start():]) for m in re.finditer(r"[-($\d]", text)]
        if not any(a and a[0] == paid for a in amounts):
            continue
        method = v.read_payment_method(text)
        if method is not None:
            found.add(method)
            source = source or line.words
    if len(found) != 1:
        return None
    return Candidate("payment_method", found.pop(), 0.85 * min(_ocr_factor(w.confidence) for w in source),
                     2, source)


def letterhead(lines: list[Line], page_height: float) -> Candidate | None:
    """The practice's name printed large at the top of the first page."""
    if not lines:
        return None
    first = [ln for ln in lines if ln.page == lines[0].page]
    heights = sorted(ln.height for ln in first)
    median = heights[len(heights) // 2]
    top = [ln for ln in first[:6] if ln.top < 0.3 * page_height]
    if not top:
        return None
    biggest = max(top, key=lambda ln: ln.height)
    if biggest.height < 1.25 * median or any(c.isdigit() for c in biggest.text):
        # A till slip prints its name barely larger than the rest: the first line is the
        # name when an address with a state and ZIP code follows it.
        biggest = first[0]
        if any(c.isdigit() for c in biggest.text) or not any(
                _STATE_ZIP.search(ln.text) for ln in first[1:4]):
            return None
    run = segments(biggest)[0]
    if any(":" in w.text for w in run):
        return None
    candidate = read_words("provider_name", run, LETTERHEAD)
    if candidate is None or len(candidate.words) != len(run):
        return None
    letters = [c for c in candidate.value if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) == len(letters) and len(candidate.words) <= 2:
        return None  # "RECEIPT", "STATEMENT": a title, not a name
    return candidate
