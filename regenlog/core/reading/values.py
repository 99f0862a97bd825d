"""Values read from the words after a label, each passed through the project's validator.

Every reader takes the text that follows a label and returns ``(value, end)`` (``end`` is
how many characters of the text the value used) or None. None is the normal answer: a
value is proposed only when it has the exact shape of its kind and passes its check,
because a wrong value is worse than a missing one.
"""

from __future__ import annotations

import datetime as dt
import re

from regenlog.core.codes import check_ein, check_npi, check_procedure_code
from regenlog.core.dates import in_range, read_date
from regenlog.core.errors import ValidationError
from regenlog.core.money import parse_money

_LEAD = re.compile(r"^[\s:#.\-–=]*")  # what may stand between a label and its value
MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DATE_FORMS = (
    re.compile(r"(?P<iso>\d{4}-\d{1,2}-\d{1,2})(?![\d/])"),
    re.compile(r"(?P<us>\d{1,2}[/-]\d{1,2}[/-](?:\d{4}|\d{2}))(?![\d/-])"),
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})(?!\d)"),
    re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th)?[\s-]+" + _MONTH + r"[\s-]+(?P<year>\d{4})(?!\d)"),
)
_AMOUNT = re.compile(
    r"\(?-?\s*(?:USD\s*)?\$\s*-?\s*(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]{2})?\)?"
    r"|\(?-?(?:USD\s*)?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)\.[0-9]{2}\)?"
)
_IDENTIFIER = re.compile(r"[A-Z0-9][A-Z0-9\-/.]{2,29}", re.IGNORECASE)
_NAME_WORD = re.compile(r"[A-Z][A-Za-z'\-]*\.?|[A-Z]\.|(?:Mc|Mac|O')[A-Z][a-z]+|van|de|la|von")
_CREDENTIALS = {
    "MD", "M.D.", "DO", "D.O.", "NP", "PA", "PA-C", "DC", "D.C.", "DPM", "PT", "DPT", "PHD",
    "RN", "FNP", "APRN", "LLC", "INC", "INC.", "PC", "P.C.", "PLLC", "PA.", "LLP", "FACS",
}


def _strip(text: str) -> tuple[str, int]:
    lead = _LEAD.match(text)
    offset = lead.end() if lead else 0
    return text[offset:], offset


def read_date_value(text: str) -> tuple[dt.date, int] | None:
    """A date at the start of ``text`` in any usual style; real and between 1900 and 2099."""
    rest, offset = _strip(text)
    for form in _DATE_FORMS:
        match = form.match(rest)
        if match is None:
            continue
        try:
            if "iso" in form.groupindex:
                day = read_date(match["iso"])
            elif "us" in form.groupindex:
                day = read_date(match["us"].replace("-", "/"))
            else:
                month = MONTHS.get(match["month"].lower())
                if month is None:
                    continue
                day = dt.date(int(match["year"]), month, int(match["day"]))
        except (ValidationError, ValueError):
            return None
        return (day, offset + match.end()) if in_range(day) else None
    return None


def read_money_value(text: str, *, allow_negative: bool = False) -> tuple[int, int] | None:
    """An amount at the start of ``text``: with a $ sign or two decimals ("850.00")."""
    rest, offset = _strip(text)
    match = _AMOUNT.match(rest)
    if match is None:
        return None
    token = match.group(0).replace("USD", "").replace(" ", "")
    after = rest[match.end():match.end() + 2]
    if after[:1] and (after[:1].isalnum() or after[:1] in "/%" or (after[:1] in ".," and after[1:2].isdigit())):
        return None  # "1.5mg", "12.00/hr", "$1,2" are not an amount on their own
    try:
        cents = parse_money(token, allow_negative=True)
    except ValidationError:
        return None
    if cents < 0 and not allow_negative:
        cents = -cents  # "Payments -$200.00": the amount of the payment
    return cents, offset + match.end()


def read_npi_value(text: str) -> tuple[str, int] | None:
    rest, offset = _strip(text)
    match = re.match(r"[0-9]{10}(?![0-9])", rest)
    if match is None:
        return None
    try:
        return check_npi(match.group(0)), offset + match.end()
    except ValidationError:
        return None


def read_ein_value(text: str) -> tuple[str, int] | None:
    """An EIN written NN-NNNNNNN (9 digits alone could be an SSN: never proposed)."""
    rest, offset = _strip(text)
    match = re.match(r"[0-9]{2}-[0-9]{7}(?![0-9-])", rest)
    if match is None:
        return None
    try:
        return check_ein(match.group(0)), offset + match.end()
    except ValidationError:
        return None


def read_identifier_value(text: str) -> tuple[str, int] | None:
    """A member, claim, receipt or reference number: one token of 3-30 letters, digits and
    dashes that holds at least one digit."""
    rest, offset = _strip(text)
    match = _IDENTIFIER.match(rest)
    if match is None:
        return None
    token = match.group(0).rstrip(".-/")
    end = offset + match.start() + len(token)
    if len(token) < 3 or not any(c.isdigit() for c in token):
        return None
    following = text[end:end + 1]
    if following and following not in " ,;)·|\t":
        return None
    if read_date_value(token) or read_money_value(token):
        return None
    return token.upper(), end


def read_name_value(text: str, *, credentials: bool = False) -> tuple[str, int] | None:
    """A person's or practice's name: 2 to 7 capitalised words, stopping at a comma, a word
    with a digit or a parenthesis; with ``credentials``, ", MD" and the like are kept."""
    rest, offset = _strip(text)
    words: list[tuple[str, int]] = []  # (word, where it ends in rest)
    for match in re.finditer(r"\S+", rest):
        raw = match.group(0)
        comma = raw.endswith((",", ";"))
        bare = raw.rstrip(",;")
        if words and words[-1][0].endswith(","):
            # After a comma only a credential continues a name ("Priya Raman, MD").
            if not (credentials and bare.upper() in _CREDENTIALS):
                break
        elif not _is_name_word(bare) or (not words and bare in _JOINERS):
            break  # a name starts with a capital: "of Mr. Whitfield" is prose
        words.append((bare + ("," if comma else ""), match.start() + len(bare)))
        if (comma and not credentials) or len(words) >= 7:
            break
    while words and (words[-1][0].rstrip(",") in _JOINERS):
        words.pop()
    if sum(1 for w, _ in words if w[:1].isupper()) < 2:
        return None
    name = " ".join(w for w, _ in words).rstrip(",")
    last = words[-1][0]
    if last.endswith(".") and len(last) > 3 and last not in _ABBREVIATIONS:
        name = name[:-1]  # the sentence's full stop (or OCR's speck), not the name's
    return name, offset + words[-1][1]


_ABBREVIATIONS = {"Jr.", "Sr.", "Inc.", "Ltd.", "Corp.", "Assn.", "Bros.", "Ph.D.", "M.D.", "D.O.", "D.C.", "P.C."}


_JOINERS = ("&", "and", "of", "the", "for")


def _is_name_word(word: str) -> bool:
    if not word or any(ch.isdigit() for ch in word) or "(" in word or ")" in word:
        return False
    if word in _JOINERS:
        return True
    return bool(_NAME_WORD.fullmatch(word))


def read_code_and_modifiers(text: str) -> tuple[str, list[str]] | None:
    """ "0232T-RT", "20611 RT 59", "J3420": the CPT/HCPCS code and up to 4 modifiers; None
    unless the whole cell is that."""
    tokens = [t for t in re.split(r"[\s,;/]+|-(?=[A-Z0-9]{2}\b)", text.strip().upper()) if t]
    if not tokens:
        return None
    try:
        code = check_procedure_code(tokens[0])
    except ValidationError:
        return None
    modifiers = tokens[1:]
    if len(modifiers) > 4 or any(not (len(m) == 2 and m.isalnum() and m.isascii()) for m in modifiers):
        return None
    if len(set(modifiers)) != len(modifiers):
        return None
    return code, modifiers


PAYMENT_WORDS = (
    # Most specific first: "FSA debit card" is an FSA card before it is a card.
    (("hsa",), "hsa_card"),
    (("fsa",), "fsa_card"),
    (("carecredit", "financing", "financed", "promotional plan", "patient card", "loan",
      "payment plan", "alphaeon", "cherry"), "financing"),
    (("check", "cheque", "chk"), "check"),
    (("cash",), "cash"),
    (("visa", "mastercard", "amex", "american express", "discover", "credit card",
      "debit card", "card"), "card"),
)


def read_payment_method(text: str) -> str | None:
    low = f" {text.lower()} "
    for words, method in PAYMENT_WORDS:
        for word in words:
            if re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", low):
                return method
    return None


DECISION_WORDS = (
    ("partially approved", "partially_approved"), ("partly approved", "partially_approved"),
    ("partially denied", "partially_approved"), ("approved in part", "partially_approved"),
    ("not approved", "denied"), ("denied", "denied"), ("denial", "denied"),
    ("adverse benefit determination", "denied"), ("not covered", "denied"),
    ("approved", "approved"), ("certified", "approved"),
    ("pending", "pending"), ("under review", "pending"), ("in review", "pending"),
)


def read_decision(text: str) -> str | None:
    low = text.lower()
    for phrase, decision in DECISION_WORDS:
        if re.search(rf"(?<![a-z]){phrase}(?![a-z])", low):
            return decision
    return None


def read_units(text: str) -> int | None:
    match = re.fullmatch(r"\s*([0-9]{1,3})(?:\.0+)?\s*", text)
    if match is None:
        return None
    units = int(match.group(1))
    return units if 1 <= units <= 999 else None
