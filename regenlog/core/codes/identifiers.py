"""Provider identifiers on a superbill: NPI (with its check digit) and tax ID (EIN or SSN)."""

from __future__ import annotations

import re

from regenlog.core.errors import ValidationError

# The NPI check digit is ISO 7812 Luhn over "80840" + the first nine digits; the prefix's
# contribution to the Luhn sum is always 24, so add 24 instead of prepending it.
_NPI_PREFIX_SUM = 24
_EIN = re.compile(r"([0-9]{2})-?([0-9]{7})")  # [0-9], not \d: \d takes any script's digits


def _luhn_check_digit(payload: str, offset: int = 0) -> int:
    """The digit that makes the Luhn sum of payload + digit a multiple of 10."""
    total = offset
    # Counting from the right of the payload, every first, third, ... digit is doubled
    # (the check digit to be appended will be the undoubled rightmost one).
    for position, char in enumerate(reversed(payload)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def _npi_digits(text: str, length: int) -> str:
    digits = re.sub(r"[\s-]", "", text or "")
    if not (digits.isdigit() and digits.isascii()):
        raise ValidationError(
            f'"{(text or "").strip()}" is not an NPI: an NPI is 10 digits (e.g. 1234567893).',
            field="npi",
        )
    if len(digits) != length:
        raise ValidationError(
            f"An NPI has 10 digits; {digits} has {len(digits)}."
            if length == 10
            else f"Give the first 9 digits of an NPI; {digits} has {len(digits)}.",
            field="npi",
        )
    if digits[0] not in "12":
        raise ValidationError(
            f"{digits} is not an NPI: an NPI starts with 1 (a person) or 2 (an organization).",
            field="npi",
        )
    return digits


def check_npi(text: str) -> str:
    """The 10-digit NPI (spaces and hyphens dropped), or ValidationError."""
    npi = _npi_digits(text, 10)
    if _luhn_check_digit(npi[:9], _NPI_PREFIX_SUM) != int(npi[9]):
        raise ValidationError(
            f"NPI {npi} has a wrong check digit, so a digit is mistyped; copy it again from "
            "the provider's paperwork or the NPPES NPI Registry.",
            field="npi",
        )
    return npi


def make_npi(prefix9: str) -> str:
    """A valid NPI from its first nine digits (for demo data and tests)."""
    prefix = _npi_digits(prefix9, 9)
    return prefix + str(_luhn_check_digit(prefix, _NPI_PREFIX_SUM))


def check_ein(text: str) -> str:
    """An EIN as "NN-NNNNNNN", from 9 digits written with or without the dash."""
    match = _EIN.fullmatch((text or "").strip())
    if match is None:
        raise ValidationError(
            f'"{(text or "").strip()}" is not an EIN: an EIN is 9 digits, written NN-NNNNNNN '
            "(e.g. 12-3456789).",
            field="ein",
        )
    return f"{match.group(1)}-{match.group(2)}"


def check_tax_id(text: str) -> str:
    """A superbill's tax ID (CMS-1500 box 25): 9 digits, an EIN (12-3456789) or a sole
    practitioner's SSN, with only dashes or spaces between them; returned as typed."""
    text = (text or "").strip()
    digits = re.sub(r"[\s-]", "", text)
    if not (len(digits) == 9 and digits.isascii() and digits.isdigit()):
        raise ValidationError(
            f'"{text}" is not a tax ID: an EIN has 9 digits, written like 12-3456789.',
            field="tax_id",
        )
    return text


def check_place_of_service(text: str) -> str:
    """A CMS place-of-service code (box 24B): two digits (11 is an office)."""
    text = (text or "").strip()
    if not (len(text) == 2 and text.isascii() and text.isdigit()):
        raise ValidationError(
            f'"{text}" is not a place-of-service code; it has two digits (11 is an office).',
            field="place_of_service",
        )
    return text


def mask_tax_id(text: str | None) -> str:
    """A tax ID safe to display: only the last 4 digits show ("***-**-6789", "**-***6789").

    A sole practitioner's tax ID is their SSN, which a patient bundle must never show whole.
    """
    digits = re.sub(r"\D", "", text or "")
    if not digits:
        return ""
    if len(digits) == 9:
        if _EIN.fullmatch((text or "").strip()) and "-" in (text or ""):  # written as an EIN
            return f"**-***{digits[5:]}"
        return f"***-**-{digits[5:]}"
    # Unusual length: still never show more than the last 4 digits.
    shown = digits[-4:] if len(digits) > 4 else ""
    return "*" * (len(digits) - len(shown)) + shown
