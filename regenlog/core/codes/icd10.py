"""ICD-10-CM codes: normalise, look up, check against the code set for a date, search.

The data is the official FY2026 set (April 1, 2026 update) as shipped by simple-icd-10-cm
1.5.0, condensed by ``_build_index.py`` into ``data/icd10cm_fy2026.tsv.gz``. Importing the
library itself costs ~4 s and ~200 MB, so this module never does: it reads the small file
once, on the first lookup, and keeps 7th-character codes (51,305 of the 74,719 billable
ones) unexpanded: each leaf that takes a 7th character keeps its table and allowed values.
"""

from __future__ import annotations

import gzip
import re
import sys
import threading
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Literal

from regenlog.core.errors import ValidationError

from .icd10_search import Searcher, haystack

CODE_SET_VERSION = "FY2026"
CODE_SET_RELEASE = "ICD-10-CM FY2026, April 1, 2026 update"
# FY2027 took effect on this date; later dates of service may use codes this set lacks.
NEXT_CODE_SET_EFFECTIVE = date(2026, 10, 1)
NEXT_CODE_SET_VERSION = "FY2027"
CODE_SET_EFFECTIVE = date(2025, 10, 1)  # FY2026 began then (updated April 1, 2026)

_DATA_FILE = "icd10cm_fy2026.tsv.gz"
_FORMAT = re.compile(r"[A-Z][0-9A-Z][0-9A-Z](\.[0-9A-Z]{1,4})?")

Status = Literal["billable", "header", "unknown", "malformed"]
Severity = Literal["ok", "error", "warning"]


@dataclass(frozen=True, slots=True)
class CodeInfo:
    code: str  # dotted form, e.g. "M17.11"
    description: str
    billable: bool


@dataclass(frozen=True, slots=True)
class CodeCheck:
    code: str  # normalised when well formed, else the stripped input
    status: Status
    version: str  # the code set the check used
    message: str  # one sentence for the patient
    severity: Severity
    description: str = ""

    @property
    def ok(self) -> bool:
        return self.severity == "ok"


def normalize_icd10(text: str) -> str:
    """``"m170"`` -> ``"M17.0"``; raise ValidationError unless the text has the code's shape."""
    shown = (text or "").strip()
    dotted = shown.upper()
    if "." not in dotted and len(dotted) > 3:
        dotted = f"{dotted[:3]}.{dotted[3:]}"
    if not _FORMAT.fullmatch(dotted):
        raise ValidationError(
            f'"{shown}" is not an ICD-10-CM code: codes have a letter, two more characters, '
            "then up to four after a dot (e.g. M17.11).",
            field="icd10",
        )
    return dotted


def _dot(compact: str) -> str:
    return compact if len(compact) <= 3 else f"{compact[:3]}.{compact[3:]}"


class _CodeSet:
    """The whole code set: ~47,000 tabular codes plus 7th-character tables."""

    def __init__(self, text: str):
        self.desc: dict[str, str] = {}  # compact code -> description
        self.headers: set[str] = set()  # codes with children (not billable)
        self.ext: dict[str, tuple[int, str]] = {}  # leaf -> (7th-character table, allowed)
        self.tables: list[dict[str, str]] = []  # 7th character -> meaning
        self.terms: dict[str, str] = {}  # compact code -> inclusion terms, " | "-joined
        lines = text.splitlines()
        self.version = lines[0].split("\t")[1]  # "#regenlog-icd10 <version> <sources>"
        for line in lines[1:]:
            if line.startswith("@"):
                number, char, meaning = line[1:].split("\t")
                if int(number) == len(self.tables):
                    self.tables.append({})
                self.tables[int(number)][char] = meaning
                continue
            code, flag, description, number, allowed, terms = line.split("\t")
            self.desc[code] = description
            if flag == "0":
                self.headers.add(code)
            if number:
                self.ext[code] = (int(number), sys.intern(allowed))
            if terms:
                self.terms[code] = terms
        self.sorted_codes = sorted(self.desc)
        self._searcher: Searcher | None = None

    def find(self, compact: str) -> tuple[str, bool] | None:
        """(description, billable) for a compact code, or None when it is not in the set."""
        description = self.desc.get(compact)
        if description is not None:
            return description, compact not in self.headers
        base = self.extension_base(compact)
        if base is None or compact[6] not in self.ext[base][1]:
            return None
        return self.expanded_description(base, compact[6]), True

    def expanded_description(self, base: str, char: str) -> str:
        # Same wording as simple_icd_10_cm: "<leaf description>, <7th-character meaning>".
        return f"{self.desc[base]}, {self.tables[self.ext[base][0]][char]}"

    def extension_base(self, compact: str) -> str | None:
        """The leaf a 7-character code extends (T1501XA -> T1501), X placeholders included."""
        if len(compact) != 7:
            return None
        stem = compact[:6]
        for length in range(6, 2, -1):
            if stem[:length] in self.ext:
                return stem[:length] if stem[length:] == "X" * (6 - length) else None
        return None

    def expansions(self, base: str) -> list[str]:
        """The billable 7-character codes of a leaf that takes a 7th character."""
        padded = base.ljust(6, "X")
        return [padded + char for char in self.ext[base][1]]

    def has_prefix(self, prefix: str) -> bool:
        i = bisect_left(self.sorted_codes, prefix)
        return i < len(self.sorted_codes) and self.sorted_codes[i].startswith(prefix)

    def first_billable_under(self, compact: str) -> str | None:
        """The first billable code below a heading, to suggest a specific alternative."""
        codes, i = self.sorted_codes, bisect_left(self.sorted_codes, compact)
        while i < len(codes) and codes[i].startswith(compact):
            if codes[i] in self.ext:
                return self.expansions(codes[i])[0]
            if codes[i] not in self.headers:
                return codes[i]
            i += 1
        return None

    def searcher(self) -> Searcher:
        if self._searcher is None:  # built on the first search only (~0.15 s)
            with _lock:
                if self._searcher is None:
                    self._searcher = Searcher(self)
        return self._searcher


# Kept here for callers and tests that build haystacks the way the search reads them.
_haystack = haystack


_lock = threading.Lock()
_loaded: _CodeSet | None = None


def _code_set() -> _CodeSet:
    """Load the shipped index on first use (thread-safe; about 70 ms)."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                # One-argument joinpath works for every resource reader (zip, frozen app).
                data = resources.files(__package__).joinpath("data").joinpath(_DATA_FILE)
                _loaded = _CodeSet(gzip.decompress(data.read_bytes()).decode("utf-8"))
    return _loaded


def warm_up() -> None:
    """Load the index and build the search structures now (~0.3 s), e.g. from a worker
    thread at start-up, so the first lookup or keystroke in a search box does not wait."""
    _code_set().searcher()


def lookup(code: str) -> CodeInfo | None:
    """The code's description and billable flag; None when malformed or not in the set."""
    try:
        dotted = normalize_icd10(code)
    except ValidationError:
        return None
    found = _code_set().find(dotted.replace(".", ""))
    if found is None:
        return None
    return CodeInfo(dotted, found[0], found[1])


def _unknown_hint(codes: _CodeSet, compact: str) -> str | None:
    """A precise sentence for the usual 7th-character mistakes and for a letter where the
    digit goes, else None."""
    if compact[1].isalpha() and not codes.has_prefix(compact[:2]):
        # Character 2 is a digit in every category but the few like QA0 (DOMAIN.md 1). A new
        # such category is rare enough that a typo is by far the likelier story, for any date.
        return (
            f"{_dot(compact)} is not an ICD-10-CM code: the second character is a digit "
            "(like M17.11); only a few categories such as QA0 have a letter there."
        )
    # Placeholder X forgotten: T15.01A for T15.01XA.
    base, char = compact[:-1], compact[-1]
    if len(base) < 6 and base in codes.ext and char in codes.ext[base][1]:
        fixed = _dot(base.ljust(6, "X") + char)
        return (
            f"{_dot(compact)} is missing its placeholder X: the 7th character must sit "
            f"in position 7, so write {fixed}."
        )
    needs_seventh = codes.extension_base(compact)
    if needs_seventh is not None:
        allowed = ", ".join(codes.ext[needs_seventh][1])
        return (
            f"{_dot(compact)} is not an ICD-10-CM code: the 7th character for "
            f"{_dot(needs_seventh)} must be one of {allowed}."
        )
    return None


def fiscal_year(day: date) -> int:
    """The ICD-10-CM code-set year in force on ``day`` (a new set every October 1)."""
    return day.year + 1 if day.month >= 10 else day.year


def _other_year(dotted: str, day: date, problem: str, status: Status) -> CodeCheck | None:
    """Outside FY2026 a code that FY2026 lacks or no longer bills may be right for its year."""
    if fiscal_year(day) == int(CODE_SET_VERSION[2:]):
        return None
    message = (
        f"{dotted} {problem} in the {CODE_SET_VERSION} code set RegenLog carries; "
        f"a service on {day.isoformat()} is coded with the FY{fiscal_year(day)} set, "
        "so check it against your paperwork of that year."
    )
    return CodeCheck(dotted, status, CODE_SET_VERSION, message, "warning")


def check_icd10(code: str, date_of_service: date | None = None) -> CodeCheck:
    """Is ``code`` a billable ICD-10-CM code on ``date_of_service``? Never raises.

    Without a date the check is strict: a code missing from FY2026 is an error. For a date
    of service in another code-set year a code that FY2026 lacks is a warning, and so is,
    before 2025-10-01, a code FY2026 only lists as a heading: codes are added, split and
    retired every October (M51.36 was billable until 2024-09-30).
    """
    try:
        dotted = normalize_icd10(code)
    except ValidationError as error:
        shown = (code or "").strip().upper()
        return CodeCheck(shown, "malformed", CODE_SET_VERSION, str(error), "error")
    codes = _code_set()
    compact = dotted.replace(".", "")
    found = codes.find(compact)
    if found is not None and found[1]:
        message = f"{dotted} is a billable {CODE_SET_VERSION} ICD-10-CM code: {found[0]}."
        return CodeCheck(dotted, "billable", CODE_SET_VERSION, message, "ok", found[0])
    if found is not None:
        example = codes.first_billable_under(compact)
        if compact in codes.ext:
            allowed = ", ".join(codes.ext[compact][1])
            message = (
                f"{dotted} is not billable without a 7th character ({allowed}); "
                f"choose a more specific code such as {_dot(example or '')}."
            )
        elif example:
            message = (
                f"{dotted} is a category heading, not a billable code; "
                f"choose a more specific code such as {_dot(example)}."
            )
        else:  # not reached with FY2026 data: every heading has a billable descendant
            message = f"{dotted} is a category heading, not a billable code."
        # Codes get split into children, rarely merged back: a heading was perhaps billable
        # in an earlier year, but will not be in a later one.
        if date_of_service is not None and date_of_service < CODE_SET_EFFECTIVE and (
            other := _other_year(dotted, date_of_service, "is only a heading (not billable)", "header")
        ):
            return other
        return CodeCheck(dotted, "header", CODE_SET_VERSION, message, "error", found[0])
    hint = _unknown_hint(codes, compact)
    if hint is not None:
        # Placeholder and 7th-character rules do not change between code-set years.
        return CodeCheck(dotted, "unknown", CODE_SET_VERSION, hint, "error")
    if date_of_service is not None and date_of_service >= NEXT_CODE_SET_EFFECTIVE:
        message = (
            f"{dotted} is not in the {CODE_SET_VERSION} code set RegenLog carries; "
            f"check it against your {NEXT_CODE_SET_VERSION} paperwork."
        )
        return CodeCheck(dotted, "unknown", CODE_SET_VERSION, message, "warning")
    if date_of_service is not None and (other := _other_year(dotted, date_of_service, "is not", "unknown")):
        return other
    message = f"{dotted} is not an ICD-10-CM code in the {CODE_SET_VERSION} code set."
    return CodeCheck(dotted, "unknown", CODE_SET_VERSION, message, "error")


def search(text: str, limit: int = 20, preferred: Iterable[str] = ()) -> list[CodeInfo]:
    """Codes by code prefix ("M17", "m17.1") or by words ("knee osteoarthritis right").

    ``preferred`` are codes to list first when they match, in the order given: the codes the
    household already uses. A word search then lists titles that begin with the first word,
    then titles that hold every word, then codes found through an inclusion term; billable
    codes before headings and shorter titles first within each. A code search lists the
    exact code first, then the preferred codes, billable codes, headings (see icd10_search).
    """
    if limit <= 0 or not (text or "").strip():
        return []
    wanted = []
    for code in preferred:
        try:
            wanted.append(normalize_icd10(code).replace(".", ""))
        except ValidationError:
            continue  # a damaged stored code only loses its place at the top
    hits = _code_set().searcher().search(text, limit, wanted)
    return [CodeInfo(_dot(code), description, billable) for code, description, billable in hits]
