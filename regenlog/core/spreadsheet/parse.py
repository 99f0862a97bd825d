"""Reading a spreadsheet export and the values in its cells.

Files: UTF-8 with or without a byte-order mark, UTF-16 with one ("Unicode text" exports),
else Windows-1252 (what Excel on Windows writes as plain "CSV"). The delimiter is the comma,
semicolon or tab that the header line uses most. An .xlsx workbook is recognised and refused
with the way to export it.

Cells: the date and money forms US spreadsheets write. Every ``parse_*`` function returns a
value or raises ValidationError with one sentence; nothing else escapes, whatever the text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..dates import in_range, read_date
from ..enums import Category, PaymentMethod, Side
from ..errors import ValidationError
from ..fileio import reading
from ..money import parse_money

MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Row:
    line: int  # the file line the row starts on (the header is line 1 when it comes first)
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    encoding: str
    headers: tuple[str, ...]
    rows: tuple[Row, ...]


# -- the file ----------------------------------------------------------------------------------
def decode(raw: bytes, name: str = "The file") -> tuple[str, str]:
    """(text, encoding name) for the bytes of a spreadsheet export."""
    if raw.startswith(b"PK\x03\x04"):
        raise ValidationError(
            f"{name} is an Excel workbook, not CSV; in the spreadsheet choose Save As, "
            "CSV UTF-8, and import that file."
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise ValidationError(f"{name} says it is UTF-16 text but is not.") from None
    try:
        return raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        # Five byte values are undefined in Windows-1252; Latin-1 reads every byte.
        return raw.decode("latin-1"), "Latin-1"


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_table(path: Path) -> Table:
    """The header and the non-blank rows of a CSV file, each with its line number."""
    path = Path(path)
    name = path.name
    with reading(path, "a spreadsheet"):
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ValidationError(
                f"{name} is larger than 50 MB; that is not a spreadsheet of treatments. "
                "Split it, or check that it is the right file."
            )
        raw = path.read_bytes()
    text, encoding = decode(raw, name)
    if "\x00" in text:
        raise ValidationError(f"{name} is not a text spreadsheet; export it from the spreadsheet as CSV.")
    if not text.strip():
        raise ValidationError(f"{name} is empty; export the spreadsheet again with its rows.")
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_delimiter(text.splitlines()[0]), strict=True
    )
    headers: tuple[str, ...] | None = None
    rows: list[Row] = []
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue  # spreadsheets end with blank rows; they mean nothing
            if headers is None:
                headers = tuple(cell.strip() for cell in cells)
                continue
            rows.append(Row(start, tuple(cells)))
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            # csv's only way to say a cell is too long; a stray quote that runs a cell on to
            # the end of the file trips it as well, so both causes are named.
            raise ValidationError(
                f"{name}, line {line}: a cell in this row is longer than "
                f"{csv.field_size_limit():,} characters, or a quote in it is never closed; "
                "shorten the cell or fix the quote in the spreadsheet and export it again."
            ) from None
        raise ValidationError(
            f"{name}, line {reader.line_num}: the quotes in this row do not pair up ({error}); "
            "fix it in the spreadsheet and export it again."
        ) from None
    if headers is None:
        raise ValidationError(f"{name} has no header row naming its columns.")
    return Table(name, encoding, headers, tuple(rows))


# -- cells -------------------------------------------------------------------------------------
_MONTHS = {
    name: number
    for number, names in enumerate((
        ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
        ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
        ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
        ("dec", "december"),
    ), start=1)
    for name in names
}
_TIME = re.compile(r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?)$")
_YMD_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_MONTH_FIRST = re.compile(r"^([A-Za-z]+)\.?[\s-]+(\d{1,2})(?:st|nd|rd|th)?,?[\s-]+(\d{2}|\d{4})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[\s-]+([A-Za-z]+)\.?,?[\s-]+(\d{2}|\d{4})$")


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900  # as parse_date: 00-69 -> 2000s
    return year


def parse_cell_date(text: str) -> dt.date:
    """1/15/2026, 01/15/26, 2026-01-15, 2026/01/15, Jan 15, 2026, January 15 2026, 15-Jan-26;
    a trailing time ("1/15/2026 0:00", "12:00:00 AM") is ignored. US month/day order."""
    raw = " ".join((text or "").split())
    shown = (text or "").strip()
    core = _TIME.sub("", raw).strip()
    if re.fullmatch(r"\d{5}(\.\d+)?", core) and 20_000 <= float(core) <= 80_000:
        raise ValidationError(
            f'"{shown}" is a spreadsheet date number, not a date; format the column as a date '
            "(like 1/15/2026) before exporting."
        )
    try:
        if m := _YMD_SLASH.match(core):
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        elif (m := _MONTH_FIRST.match(core)) and m[1].casefold() in _MONTHS:
            day = dt.date(_year(m[3]), _MONTHS[m[1].casefold()], int(m[2]))
        elif (m := _DAY_FIRST.match(core)) and m[2].casefold() in _MONTHS:
            day = dt.date(_year(m[3]), _MONTHS[m[2].casefold()], int(m[1]))
        else:
            day = read_date(core)  # its range is worded below, for a spreadsheet
    except ValueError:
        raise ValidationError(f'"{shown}" is not a real calendar date.') from None
    except ValidationError as error:
        if "real calendar date" in str(error):
            raise ValidationError(f'"{shown}" is not a real calendar date.') from None
        raise ValidationError(
            f'"{shown}" is not a date; write it like 1/15/2026, 2026-01-15 or Jan 15, 2026.'
        ) from None
    if not in_range(day):
        raise ValidationError(f'"{shown}" is not a plausible date; check the year.')
    return day


def parse_cell_money(text: str) -> int:
    """Cents from "$1,234.56", "1234.5", "$ 1,234", "USD 1,234.56", "1,234.56 USD"; a negative
    amount (a refund) is refused, and so is anything over $10,000,000.00."""
    shown = (text or "").strip()
    if len(shown) > 40:  # also keeps int() away from its 4,300-digit limit
        raise ValidationError(f'"{shown[:40]}..." is not an amount of money; write it like 1,234.56.')
    raw = re.sub(r"[\s\u00a0\u2007\u202f]+", " ", shown).replace("\u2212", "-")
    raw = re.sub(r"^(?:US\$|USD)\s*|\s*USD$", "", raw, flags=re.IGNORECASE)
    return parse_money(raw)  # its own sentences quote the text, and it refuses > MAX_CENTS


def _mentions(text: str, phrases: tuple[str, ...]) -> bool:
    """Does ``text`` contain one of ``phrases`` as whole words ("IV drip" has "iv", "Stage
    four" has no "iv")?"""
    padded = " " + " ".join(re.findall(r"[a-z0-9]+", (text or "").casefold())) + " "
    return any(f" {phrase} " in padded for phrase in phrases)


# Checked in order: a "PRP follow-up" is a follow-up, a "PRP consultation" a consultation.
_CATEGORY_WORDS: tuple[tuple[Category, tuple[str, ...]], ...] = (
    (Category.follow_up, ("follow up", "followup", "post op", "recheck")),
    (Category.consultation, ("consult", "consultation", "office visit", "evaluation", "new patient")),
    (Category.stem_cell_bone_marrow, ("bone marrow", "marrow", "bmac", "bma")),
    (Category.stem_cell_adipose, ("adipose", "fat", "lipoaspirate", "svf")),
    (Category.prp, ("prp", "platelet", "platelets")),
    (Category.iv_therapy, ("iv", "infusion", "drip", "intravenous")),
    (Category.imaging, ("imaging", "mri", "x ray", "xray", "ultrasound", "ct", "scan")),
    (Category.other, ("other",)),
)


def parse_category(text: str) -> Category:
    """PRP, "Platelet-rich plasma", "BMAC", "Stem cells (adipose)", "IV drip", "MRI", ..."""
    shown = (text or "").strip()
    folded = shown.casefold()
    for category in Category:
        if folded in (category.value, category.label.casefold()):
            return category
    for category, phrases in _CATEGORY_WORDS:
        if _mentions(shown, phrases):
            return category
    if _mentions(shown, ("stem",)):
        raise ValidationError(
            f'"{shown}" says stem cells but not from where; write bone marrow or adipose.'
        )
    choices = ", ".join(c.label for c in Category)
    raise ValidationError(f'"{shown}" is not a category RegenLog knows; use one of: {choices}.')


_METHOD_WORDS: tuple[tuple[PaymentMethod, tuple[str, ...]], ...] = (
    (PaymentMethod.hsa_card, ("hsa",)),
    (PaymentMethod.fsa_card, ("fsa",)),
    (PaymentMethod.financing, (
        "financing", "financed", "carecredit", "care credit", "alphaeon", "loan", "payment plan",
    )),
    (PaymentMethod.cash, ("cash", "check", "cheque", "money order")),
    (PaymentMethod.card, (
        "card", "credit", "debit", "visa", "mastercard", "mc", "amex", "american express",
        "discover", "cc",
    )),
)


def parse_payment_method(text: str) -> PaymentMethod:
    """Cash, check, card, Visa, debit, HSA card, FSA, CareCredit, financing, ..."""
    shown = (text or "").strip()
    folded = shown.casefold()
    for method in PaymentMethod:
        if folded in (method.value, method.label.casefold()):
            return method
    for method, phrases in _METHOD_WORDS:
        if _mentions(shown, phrases):
            return method
    choices = ", ".join(m.label.lower() for m in PaymentMethod)
    raise ValidationError(f'"{shown}" is not a payment method RegenLog knows; use one of: {choices}.')


_SIDES = {
    "": Side.none, "none": Side.none, "n a": Side.none, "na": Side.none,
    "l": Side.left, "lt": Side.left, "left": Side.left,
    "r": Side.right, "rt": Side.right, "right": Side.right,
    "b": Side.bilateral, "bil": Side.bilateral, "both": Side.bilateral,
    "bilateral": Side.bilateral, "bilat": Side.bilateral,
}


def parse_side(text: str) -> Side:
    key = " ".join(re.findall(r"[a-z0-9]+", (text or "").casefold()))
    if key in _SIDES:
        return _SIDES[key]
    raise ValidationError(f'"{(text or "").strip()}" is not a side; write left, right or bilateral.')


def split_codes(text: str) -> list[str]:
    """"M17.11, M25.561" / "0232T;76942" / "M17.11 M25.561" -> the codes, blanks dropped."""
    return [code for code in re.split(r"[,;|/\s]+", (text or "").strip()) if code]
