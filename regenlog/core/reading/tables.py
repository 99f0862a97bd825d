"""Tables read by column positions: header words give the columns, cells go by x-overlap.

A header is a line made mostly of column words ("DOS", "Code", "Units", "Charge"...). Each
later line's words go to the column whose header they overlap most (or, for a word in the
gap between headers, the nearest column to its left, where left-aligned text runs on), until
a total row, a wide vertical gap or a line that is not part of the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from regenlog.core.reading.words import Line, Word

COLUMN_WORDS: dict[str, str] = {}


def _add(column: str, *phrases: str) -> None:
    for phrase in phrases:
        COLUMN_WORDS[phrase] = column


_add("date", "dos", "date", "service date", "date of service", "date(s) of service", "svc date",
     "from", "dates of service", "service dates", "visit date", "purchase date")
_add("code", "code", "codes", "cpt", "hcpcs", "cpt/hcpcs", "cpt code", "procedure code",
     "service code", "code / mod", "code/mod", "proc", "proc code", "expected codes",
     "hcpcs code", "cpt/hcpcs code", "procedure")
_add("service", "service", "services", "service provided")
_add("mod", "mod", "modifier", "modifiers", "mods")
_add("desc", "description", "item", "items", "service description", "procedure description",
     "details", "treatment", "promotion")
_add("units", "units", "qty", "quantity", "unit", "days/units", "days or units")
_add("charge", "charge", "charges", "fee", "fees", "amount", "price", "cost", "estimated cost",
     "line total", "amount charged")
_add("billed", "billed", "amount billed", "billed amount", "provider charges")
_add("dx", "dx", "diagnosis", "diagnoses", "icd", "icd-10", "dx pointer", "pointer", "dx ptr")
_add("pos", "pos", "place")
_add("allowed", "allowed", "allowed amount", "amount allowed", "plan allowance")
_add("plan_paid", "plan paid", "paid by plan", "insurance paid", "plan payment", "we paid")
_add("owe", "you owe", "your responsibility", "patient responsibility", "patient resp",
     "what you owe", "your share", "member responsibility", "you may owe")
_add("paid", "paid")
_add("method", "method", "payment method", "paid by", "payment type")
_add("expires", "expires", "promo end", "promotion ends", "promo expires", "expiration")
_add("balance", "balance")
_add("decision", "decision", "status")
_add("other", "not allowed", "deductible", "coinsurance", "copay", "co-pay", "approved dates",
     "valid dates", "result", "units of measure", "reference range", "test", "accrued deferred interest",
     "remark", "remarks", "remark code", "adjustment", "discount", "approved", "no.", "#", "line")

_MAX_WORDS = max(len(p.split()) for p in COLUMN_WORDS)
_TOTAL = re.compile(r"^(total|totals|subtotal|sub-total|grand total|claim total)\b", re.I)


@dataclass(slots=True)
class Column:
    kind: str
    x0: float
    x1: float
    header: list[Word]


@dataclass(slots=True)
class Row:
    cells: dict[str, list[Word]]
    line: Line
    is_total: bool = False

    def text(self, column: str) -> str:
        return " ".join(w.text for w in self.cells.get(column, []))

    def words(self, column: str) -> list[Word]:
        return self.cells.get(column, [])


@dataclass(slots=True)
class Table:
    columns: list[Column]
    header: Line
    rows: list[Row] = field(default_factory=list)
    heading: str = ""  # the line just above the header ("Payments", "Itemized charges")

    def kinds(self) -> set[str]:
        return {c.kind for c in self.columns}

    @property
    def total(self) -> Row | None:
        return next((r for r in self.rows if r.is_total), None)

    @property
    def body(self) -> list[Row]:
        return [r for r in self.rows if not r.is_total]


def _token(text: str) -> str:
    # OCR leaves specks before a word ("'You owe") as well as after it.
    bare = re.sub(r"^['\"`‘’,.;:_]+", "", text.lower())
    return re.sub(r"[:.'\"`,;_]+$", "", bare).strip() or text


def header_columns(line: Line, share: float = 0.8) -> list[Column] | None:
    """The columns of a header line, or None when the line is not a table header (three
    columns at least, their words ``share`` of the line's)."""
    tokens = [_token(w.text) for w in line.words]
    columns: list[Column] = []
    covered = 0
    i = 0
    while i < len(tokens):
        for size in range(min(_MAX_WORDS, len(tokens) - i), 0, -1):
            phrase = " ".join(tokens[i:i + size])
            kind = COLUMN_WORDS.get(phrase)
            if kind is None:
                continue
            words = line.words[i:i + size]
            # Words of one header cell stand close together; a wide gap means two headers.
            if size > 1 and any(b.x0 - a.x1 > 1.0 * line.height for a, b in zip(words, words[1:], strict=False)):
                continue
            if columns and columns[-1].kind == kind == "desc" or (columns and words[0].x0 - columns[-1].x1 < 0.6 * line.height and columns[-1].kind == kind):
                columns[-1].x1 = words[-1].x1
                columns[-1].header.extend(words)
            else:
                columns.append(Column(kind, words[0].x0, words[-1].x1, list(words)))
            covered += size
            i += size
            break
        else:
            if tokens[i] in ("/", "&", "-"):
                covered += 1
            i += 1
    if len(columns) < 3 or covered < share * len(tokens):
        return None
    return columns


def _column_for(word: Word, columns: list[Column]) -> Column:
    best, best_overlap = None, 0.0
    for column in columns:
        overlap = min(word.x1, column.x1) - max(word.x0, column.x0)
        if overlap > best_overlap:
            best, best_overlap = column, overlap
    if best is not None:
        return best
    left = [c for c in columns if c.x0 <= word.x0 + 1]
    if left:
        return left[-1]
    return columns[0]


def find_tables(lines: list[Line]) -> list[Table]:
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        columns = header_columns(lines[i])
        if columns is None:
            i += 1
            continue
        header = lines[i]
        heading = ""
        if i > 0 and lines[i - 1].page == header.page and header.top - lines[i - 1].bottom < 3 * header.height:
            heading = lines[i - 1].text
        table = Table(columns, header, heading=heading)
        left = min(c.x0 for c in columns) - 3 * header.height
        previous = header
        i += 1
        while i < len(lines):
            line = lines[i]
            if line.page != header.page or line.top - previous.bottom > 1.6 * max(previous.height, header.height):
                break
            if header_columns(line) is not None:
                break
            if line.words[0].x0 < left:
                break
            if _is_prose(line, columns):
                break  # a sentence running across the columns: the table has ended
            cells: dict[str, list[Word]] = {}
            for word in line.words:
                cells.setdefault(_column_for(word, columns).kind, []).append(word)
            row = Row(cells, line, is_total=bool(_TOTAL.match(_first_text(line, columns))))
            table.rows.append(row)
            previous = line
            i += 1
            if row.is_total or len(table.rows) >= 80:
                break
        tables.append(table)
    return tables


def _is_prose(line: Line, columns: list[Column]) -> bool:
    """True for a sentence running across the columns: it crosses from one column into the
    next with no more than a word space, where a table's cells stand apart."""
    crossings = 0
    for left, right in zip(line.words, line.words[1:], strict=False):
        if right.x0 - left.x1 < 0.5 * line.height and _column_for(left, columns) is not _column_for(right, columns):
            crossings += 1
    return crossings >= 2


def _first_text(line: Line, columns: list[Column]) -> str:
    """The row's first non-blank words outside the money columns ("Total charges")."""
    return " ".join(w.text for w in line.words[:3])
