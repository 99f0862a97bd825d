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
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Literal

from regenlog.core.errors import ValidationError

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
        self._searcher: _Searcher | None = None

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

    def searcher(self) -> _Searcher:
        if self._searcher is None:  # built on the first search only (~0.15 s)
            with _lock:
                if self._searcher is None:
                    self._searcher = _Searcher(self)
        return self._searcher


_WORD = re.compile(r"[a-z0-9]+")
# A single token shaped like the start of a code, with a digit early on ("m17", "T15.01X",
# "QA0"): searched as a code prefix; anything else ("knee", "b12 deficiency") as words.
_CODE_QUERY = re.compile(r"[A-Z](?:[0-9A-Z]{0,2}|[0-9A-Z]{2}\.?[0-9A-Z]{1,4})")
_DIGIT = re.compile(r"[0-9]")

Hit = tuple[str, str, bool]  # (compact code, description, billable)


def _haystack(text: str) -> str:
    # " word word ...": testing " knee" in it is a case-insensitive word-prefix match.
    return " " + " ".join(_WORD.findall(text.lower()))


class _Searcher:
    """Word and code-prefix search over ~47,000 tabular codes and their 7th characters.

    Word search gathers candidates from an inverted index (word -> codes) with the rarest
    query word, then checks each: a code matches when its own text holds every word, or, for
    a leaf taking a 7th character, when its text plus one 7th-character meaning does.
    """

    def __init__(self, codes: _CodeSet):
        self.codes = codes
        self.order = codes.sorted_codes
        self.hay: list[str] = []
        for code in self.order:
            # Inclusion terms apply below the code listing them: "Tennis elbow" (M77.1)
            # should find M77.11, "Plantar fasciitis" should find M72.2.
            terms = [codes.terms.get(code[:n], "") for n in range(3, len(code) + 1)]
            self.hay.append(_haystack(" ".join([codes.desc[code], *terms])))
        self.ext_at = [codes.ext.get(code) for code in self.order]
        self.table_of = [-1 if ext is None else ext[0] for ext in self.ext_at]
        self.with_table: list[list[int]] = [[] for _ in codes.tables]
        for i, number in enumerate(self.table_of):
            if number >= 0:
                self.with_table[number].append(i)
        self.table_hay = [{c: _haystack(m) for c, m in t.items()} for t in codes.tables]
        # Inverted index: sorted vocabulary, and for each word the haystacks holding it.
        postings: dict[str, list[int]] = {}
        for i, hay in enumerate(self.hay):
            for word in set(hay.split()):
                postings.setdefault(word, []).append(i)
        self.vocabulary = sorted(postings)
        self.postings = [array("i", postings[word]) for word in self.vocabulary]

    def search(self, text: str, limit: int) -> list[Hit]:
        query = text.strip().upper()
        if _CODE_QUERY.fullmatch(query) and (len(query) == 1 or _DIGIT.search(query[1:3])):
            hits = self.by_prefix(query.replace(".", ""), limit)
            if hits:
                return hits
        words = _WORD.findall(text.lower())
        return self.by_words(words, limit) if words else []

    def by_prefix(self, prefix: str, limit: int) -> list[Hit]:
        ranked = _Ranked(prefix, limit)
        # The prefix may reach into a leaf's 7th-character part: T1501X -> T15.01XA, ...
        for base in (prefix[:n] for n in range(3, min(len(prefix), 7))):
            if base in self.codes.ext:
                padded, chars = base.ljust(6, "X"), self.codes.ext[base][1]
                self._add_expanded(
                    ranked, base, [c for c in chars if (padded + c).startswith(prefix)]
                )
        i = bisect_left(self.order, prefix)
        while i < len(self.order) and self.order[i].startswith(prefix) and not ranked.full:
            self._add_code(ranked, self.order[i])
            i += 1
        return ranked.result()

    def by_words(self, words: list[str], limit: int) -> list[Hit]:
        ranked = _Ranked("", limit)
        needles = [" " + word for word in words]
        # Which needles each 7th-character meaning ("initial encounter") supplies.
        table_hits = [
            {char: {n for n in needles if n in hay} for char, hay in table.items()}
            for table in self.table_hay
        ]
        for i in self._candidates(needles, table_hits):
            missing = [n for n in needles if n not in self.hay[i]]
            if not missing:
                self._add_code(ranked, self.order[i])
            elif self.ext_at[i] is not None:
                number, allowed = self.ext_at[i]
                chars = [c for c in allowed if table_hits[number][c].issuperset(missing)]
                self._add_expanded(ranked, self.order[i], chars)
            if ranked.full:
                break
        return ranked.result()

    def _add_code(self, ranked: _Ranked, code: str) -> None:
        """A tabular code, then its 7th-character codes if it takes one."""
        ranked.add(code, self.codes.desc[code], code not in self.codes.headers)
        if code in self.codes.ext:
            self._add_expanded(ranked, code, self.codes.ext[code][1])

    def _add_expanded(self, ranked: _Ranked, base: str, chars: Iterable[str]) -> None:
        for char in chars:
            description = self.codes.expanded_description(base, char)
            ranked.add(base.ljust(6, "X") + char, description, True)

    def _candidates(self, needles: list[str], table_hits: list[dict[str, set[str]]]):
        """Indexes (in code order) of every haystack that might match; a superset."""
        # Haystacks holding a word that starts with each needle (word-prefix match).
        spans = {n: self._span(n[1:]) for n in needles}
        sizes = {n: sum(len(p) for p in self.postings[a:b]) for n, (a, b) in spans.items()}
        holding: dict[str, set[int]] = {}

        def scan(words: list[str]) -> set[int]:
            needle = min(words, key=sizes.__getitem__)  # the rarest word narrows the most
            if needle not in holding:
                start, end = spans[needle]
                holding[needle] = set().union(*self.postings[start:end])
            return holding[needle]

        found = set(scan(needles))
        for number, table in enumerate(table_hits):
            for supplied in table.values():
                if not supplied:
                    continue
                rest = [n for n in needles if n not in supplied]
                if not rest:  # this 7th character alone supplies every word
                    found.update(self.with_table[number])
                    continue
                found.update(i for i in scan(rest) if self.table_of[i] == number)
        return sorted(found)

    def _span(self, word: str) -> tuple[int, int]:
        """The vocabulary range of words starting with ``word`` ("{" sorts after a-z, 0-9)."""
        return bisect_left(self.vocabulary, word), bisect_left(self.vocabulary, word + "{")


class _Ranked:
    """Collects hits: the exact code first, then billable codes, then headings."""

    def __init__(self, exact: str, limit: int):
        self.exact_code, self.limit = exact, limit
        self.exact: list[Hit] = []
        self.billable: list[Hit] = []
        self.headers: list[Hit] = []

    @property
    def full(self) -> bool:  # enough billable hits: nothing later can outrank them
        return len(self.billable) >= self.limit

    def add(self, code: str, description: str, billable: bool) -> None:
        if code == self.exact_code:
            self.exact.append((code, description, billable))
        elif billable:
            if len(self.billable) < self.limit:
                self.billable.append((code, description, billable))
        elif len(self.headers) < self.limit:
            self.headers.append((code, description, billable))

    def result(self) -> list[Hit]:
        return (self.exact + self.billable + self.headers)[: self.limit]


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
    base = codes.extension_base(compact)
    if base is not None:
        allowed = ", ".join(codes.ext[base][1])
        return (
            f"{_dot(compact)} is not an ICD-10-CM code: the 7th character for "
            f"{_dot(base)} must be one of {allowed}."
        )
    return None


def fiscal_year(day: date) -> int:
    """The ICD-10-CM code-set year in force on ``day`` (a new set every October 1)."""
    return day.year + 1 if day.month >= 10 else day.year


def _other_year(dotted: str, day: date, problem: str, status: str) -> CodeCheck | None:
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


def search(text: str, limit: int = 20) -> list[CodeInfo]:
    """Codes by code prefix ("M17", "m17.1") or by words ("knee osteoarthritis right").

    Billable codes come before headings; an exact code match comes first.
    """
    if limit <= 0 or not (text or "").strip():
        return []
    hits = _code_set().searcher().search(text, limit)
    return [CodeInfo(_dot(code), description, billable) for code, description, billable in hits]
