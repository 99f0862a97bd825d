"""Which kind of document the words make: a receipt, an EOB, a letter... or unknown.

Phrases vote for a kind; a phrase in a title (a line in capitals or in large type, near the
top of the first page) counts three times, because "RECEIPT" as a title says more than
"receipt" in a sentence of small print.
"""

from __future__ import annotations

import re

from regenlog.core.reading.words import Line

PHRASES: tuple[tuple[str, str, float], ...] = (
    ("explanation of benefits", "eob", 4), ("explanation of benefit", "eob", 4),
    ("this is not a bill", "eob", 2), ("eob", "eob", 2), ("claim summary", "eob", 1),
    ("plan paid", "eob", 1), ("allowed", "eob", 0.5),
    ("prior authorization", "determination", 2), ("pre-authorization", "determination", 2),
    ("preauthorization", "determination", 2), ("adverse benefit determination", "determination", 4),
    ("coverage determination", "determination", 4), ("notice of denial", "determination", 3),
    ("appeal decision", "determination", 3), ("determination", "determination", 1),
    ("authorization number", "determination", 1), ("approved", "determination", 0.5),
    ("denied", "determination", 0.5), ("pre-certification", "determination", 2),
    ("letter of medical necessity", "medical_necessity_letter", 4),
    ("medical necessity", "medical_necessity_letter", 1.5),
    ("medically necessary", "medical_necessity_letter", 1),
    ("laboratory report", "lab_result", 4), ("lab report", "lab_result", 4),
    ("lab results", "lab_result", 3), ("reference range", "lab_result", 2),
    ("specimen", "lab_result", 1), ("collected", "lab_result", 0.5),
    ("good faith estimate", "good_faith_estimate", 5), ("estimated cost", "good_faith_estimate", 1),
    ("promotional balance", "financing_statement", 2), ("deferred interest", "financing_statement", 2),
    ("minimum payment", "financing_statement", 2), ("statement closing date", "financing_statement", 3),
    ("new balance", "financing_statement", 1), ("apr", "financing_statement", 1),
    ("account summary", "financing_statement", 1),
    ("superbill", "superbill", 3),
    ("receipt", "receipt", 3), ("paid in full", "receipt", 1), ("payment received", "receipt", 1),
    ("amount paid", "receipt", 1), ("proof of payment", "receipt", 1), ("invoice", "receipt", 1),
    # A card terminal's slip says none of those: it is a receipt by its merchant lines.
    ("merchant id", "receipt", 1.5), ("customer copy", "receipt", 1), ("cardholder copy", "receipt", 1),
    ("no signature required", "receipt", 1), ("approval code", "receipt", 1),
    ("auth code", "receipt", 1), ("terminal id", "receipt", 1),
)
_COMPILED = [(re.compile(rf"(?<![a-z]){re.escape(p)}(?![a-z])"), re.sub(r"[^a-z]", "", p), k, w)
             for p, k, w in PHRASES]
_TITLES = [(re.sub(r"[^a-z]", "", p), k) for p, k, w in PHRASES if w >= 2 and len(p) >= 10]


def _near_title(low: str) -> str | None:
    """The kind whose title this line nearly spells (letters only, spaces ignored)."""
    from difflib import SequenceMatcher

    letters = re.sub(r"[^a-z]", "", low)
    for phrase, kind in _TITLES:
        size = len(phrase)
        if len(letters) < size - 3:
            continue
        for start in range(0, max(1, len(letters) - size + 3)):
            window = letters[start:start + size + 1]
            if SequenceMatcher(None, phrase, window, autojunk=False).ratio() >= 0.85:
                return kind
    return None


# A kind needs this many votes: a page with a stray "approved" stays unknown.
MIN_SCORE = 3.0


def classify(lines: list[Line], *, ocr: bool = False) -> tuple[str, float]:
    """(kind, confidence) from the lines of a document's first pages; ``ocr`` allows for
    titles read a letter wrong."""
    if not lines:
        return "unknown", 0.0
    first_page = lines[0].page
    heights = sorted(line.height for line in lines)
    median = heights[len(heights) // 2]
    scores: dict[str, float] = {}
    for index, line in enumerate(lines):
        text = line.text
        low = text.lower()
        letters = [c for c in text if c.isalpha()]
        title = line.page == first_page and index < 25 and (
            line.height > 1.3 * median
            or (len(letters) >= 6 and sum(c.isupper() for c in letters) > 0.8 * len(letters))
        )
        seen: set[str] = set()
        squeezed = re.sub(r"[^a-z]", "", low)  # "This is nota bill" still says it
        for pattern, bare, kind, weight in _COMPILED:
            if kind in seen and not title:
                continue
            if pattern.search(low) or (len(bare) >= 10 and bare in squeezed):
                scores[kind] = scores.get(kind, 0.0) + weight * (3 if title else 1)
                seen.add(kind)
        if ocr and title and not seen and len(line.words) <= 8:
            # OCR's "EXPLANATION OF BENEF IDS", "This is nota bill": a title read a letter or
            # a space wrong still names its kind.
            near = _near_title(low)
            if near is not None:
                scores[near] = scores.get(near, 0.0) + 2.5 * 3
    if not scores:
        return "unknown", 0.5
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    kind, best = ranked[0]
    if kind == "superbill" and scores.get("receipt", 0) >= best / 2:
        # "RECEIPT AND SUPERBILL": a receipt that also carries the codes
        kind, best = "receipt", scores["receipt"]
        ranked = [("receipt", best)] + [kv for kv in ranked if kv[0] not in ("receipt",)]
    if best < MIN_SCORE:
        return "unknown", 0.5
    runner = ranked[1][1] if len(ranked) > 1 else 0.0
    return kind, round(min(0.99, 0.6 + 0.4 * (best - runner) / best), 2)
