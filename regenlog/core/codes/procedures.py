"""CPT and HCPCS Level II codes, modifiers and diagnosis pointers, checked by format only.

CPT descriptors are AMA-licensed, so RegenLog ships none: the patient copies the description
from their paperwork and we only check that the code, its modifiers and its pointers
(CMS-1500 items 24D and 24E) are well formed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from regenlog.core.errors import ValidationError

# Order matters only for readability: the patterns do not overlap.
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("CPT Category I", re.compile(r"[0-9]{5}")),
    ("CPT Category II", re.compile(r"[0-9]{4}F")),
    ("CPT Category III", re.compile(r"[0-9]{4}T")),
    ("CPT PLA", re.compile(r"[0-9]{4}U")),  # Proprietary Laboratory Analyses
    ("HCPCS Level II", re.compile(r"[A-V][0-9]{4}")),
)
_SHAPES = (
    "CPT codes are 5 digits, or 4 digits followed by F, T or U (e.g. 20610, 0232T); "
    "HCPCS Level II codes are a letter from A to V followed by 4 digits (e.g. J3420)."
)
_SEPARATORS = re.compile(r"[\s,;/-]+")
_MAX_MODIFIERS = 4  # CMS-1500 item 24D has four modifier slots
_MAX_POINTERS = 4  # item 24E: up to four diagnosis pointers, primary first
_POINTER_LETTERS = "ABCDEFGHIJKL"  # item 21 holds diagnoses A to L


def check_procedure_code(code: str) -> str:
    """The code uppercased and stripped, or ValidationError saying what is wrong with it."""
    text = (code or "").strip().upper()
    if not text:
        raise ValidationError(
            "Enter the CPT or HCPCS code from your paperwork (5 characters, e.g. 20610).",
            field="procedure_code",
        )
    if text.isalnum() and text.isascii() and len(text) != 5:
        plural = "character" if len(text) == 1 else "characters"
        raise ValidationError(
            f"{text} has {len(text)} {plural}; CPT and HCPCS codes have 5.",
            field="procedure_code",
        )
    if _kind(text) is None:
        if re.fullmatch(r"[W-Z][0-9]{4}", text):
            detail = "HCPCS Level II codes start with a letter from A to V."
        else:
            detail = _SHAPES
        raise ValidationError(
            f'"{code.strip()}" is not a CPT or HCPCS code: {detail}', field="procedure_code"
        )
    return text


def _kind(text: str) -> str | None:
    for kind, pattern in _KINDS:
        if pattern.fullmatch(text):
            return kind
    return None


def procedure_code_kind(code: str) -> str:
    """ "CPT Category I", "CPT Category II", "CPT Category III", "CPT PLA" or "HCPCS Level II"."""
    kind = _kind(check_procedure_code(code))
    assert kind is not None  # check_procedure_code rejects everything else
    return kind


def _tokens(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    text = value if isinstance(value, str) else ",".join(str(v) for v in value)
    return [token for token in _SEPARATORS.split(text.strip().upper()) if token]


def check_modifiers(value: str | Sequence[str] | None) -> list[str]:
    """Modifiers from "rt, 59" / "RT-59" / ["RT", "59"] as ["RT", "59"]; at most 4, no repeats."""
    modifiers = _tokens(value)
    for modifier in modifiers:
        if not (len(modifier) == 2 and modifier.isalnum() and modifier.isascii()):
            raise ValidationError(
                f'"{modifier}" is not a modifier: each modifier is exactly 2 letters or digits '
                "(e.g. RT, 59); separate several with commas.",
                field="modifiers",
            )
    if len(modifiers) > _MAX_MODIFIERS:
        raise ValidationError(
            f"A procedure line takes at most {_MAX_MODIFIERS} modifiers; "
            f"you entered {len(modifiers)} ({', '.join(modifiers)}).",
            field="modifiers",
        )
    _reject_repeats(modifiers, "Modifier", "enter each modifier once", "modifiers")
    return modifiers


def _reject_repeats(items: list[str], noun: str, fix: str, field: str) -> None:
    for item in items:
        if items.count(item) > 1:
            raise ValidationError(f"{noun} {item} is listed twice; {fix}.", field=field)


def check_pointers(text: str | None, n_diagnoses: int) -> str:
    """Diagnosis pointers "A,B" / "ab" / "1, 2" as "AB": 1 to 4 letters A-L, no repeats,
    each naming one of the treatment's ``n_diagnoses`` codes (A = the first).

    Letters may run together ("AB"); numbers must be separated ("1,2"), since "12" is L.
    """
    letters: list[str] = []
    for token in _tokens(text):
        # isdigit() is true for "¹" and other Unicode digits; only ASCII ones are numbers.
        if token.isascii() and token.isdigit():
            number = int(token)
            if not 1 <= number <= len(_POINTER_LETTERS):
                raise ValidationError(
                    f'"{token}" is not a diagnosis pointer: use letters A to L or numbers 1 to 12.',
                    field="pointers",
                )
            letters.append(_POINTER_LETTERS[number - 1])
        elif token.isalpha() and token.isascii():
            for letter in token:
                if letter not in _POINTER_LETTERS:
                    raise ValidationError(
                        f'"{letter}" is not a diagnosis pointer: use letters A to L '
                        "or numbers 1 to 12.",
                        field="pointers",
                    )
                letters.append(letter)
        else:
            raise ValidationError(
                f'"{token}" is not a diagnosis pointer: use letters A to L (e.g. A, B) '
                "or numbers 1 to 12 separated by commas.",
                field="pointers",
            )
    if not letters:
        raise ValidationError(
            "Enter at least one diagnosis pointer: the letter of the diagnosis this line "
            "treats (A for the first).",
            field="pointers",
        )
    if len(letters) > _MAX_POINTERS:
        raise ValidationError(
            f"A procedure line points to at most {_MAX_POINTERS} diagnoses; "
            f"you entered {len(letters)} ({', '.join(letters)}).",
            field="pointers",
        )
    _reject_repeats(letters, "Pointer", "point to each diagnosis once", "pointers")
    if n_diagnoses <= 0:
        raise ValidationError(
            "This treatment has no diagnosis codes yet; add one before pointing to it.",
            field="pointers",
        )
    for letter in letters:
        position = _POINTER_LETTERS.index(letter) + 1
        if position > n_diagnoses:
            has = "1 diagnosis" if n_diagnoses == 1 else f"{n_diagnoses} diagnoses"
            raise ValidationError(
                f"Pointer {letter} refers to diagnosis {position}, but this treatment has "
                f"only {has}.",
                field="pointers",
            )
    return "".join(letters)
