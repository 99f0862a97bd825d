"""CPT/HCPCS codes, modifiers and diagnosis pointers: the patient copies a procedure line
from the superbill and RegenLog says exactly what is wrong with it, without shipping any
CPT description (AMA licence)."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regenlog.core.codes import (
    check_modifiers,
    check_pointers,
    check_procedure_code,
    procedure_code_kind,
)
from regenlog.core.errors import ValidationError


def message(call, *args) -> str:
    with pytest.raises(ValidationError) as raised:
        call(*args)
    return str(raised.value)


@pytest.mark.parametrize(
    ("typed", "code", "kind"),
    [
        ("0232t", "0232T", "CPT Category III"),
        (" 20610 ", "20610", "CPT Category I"),
        ("3074F", "3074F", "CPT Category II"),
        ("0342u", "0342U", "CPT PLA"),
        ("j3420", "J3420", "HCPCS Level II"),
        ("G0465", "G0465", "HCPCS Level II"),
        ("S9055", "S9055", "HCPCS Level II"),
        ("V5008", "V5008", "HCPCS Level II"),
    ],
)
def test_the_domain_codes_are_accepted_and_classified(typed, code, kind):
    assert check_procedure_code(typed) == code
    assert procedure_code_kind(typed) == kind


def test_a_short_code_says_how_many_characters_it_has():
    assert message(check_procedure_code, "0232") == (
        "0232 has 4 characters; CPT and HCPCS codes have 5."
    )
    assert message(check_procedure_code, "206100") == (
        "206100 has 6 characters; CPT and HCPCS codes have 5."
    )
    assert message(check_procedure_code, "J") == "J has 1 character; CPT and HCPCS codes have 5."


def test_a_five_character_code_of_the_wrong_shape_says_what_shapes_exist():
    assert message(check_procedure_code, "0232X") == (
        '"0232X" is not a CPT or HCPCS code: CPT codes are 5 digits, or 4 digits followed by '
        "F, T or U (e.g. 20610, 0232T); HCPCS Level II codes are a letter from A to V followed "
        "by 4 digits (e.g. J3420)."
    )
    assert message(check_procedure_code, "W1234") == (
        '"W1234" is not a CPT or HCPCS code: HCPCS Level II codes start with a letter from A to V.'
    )
    assert message(check_procedure_code, "0232-T").startswith('"0232-T" is not a CPT or HCPCS')
    assert message(check_procedure_code, "  ") == (
        "Enter the CPT or HCPCS code from your paperwork (5 characters, e.g. 20610)."
    )
    with pytest.raises(ValidationError):
        procedure_code_kind("0232")


VALID_CODE = r"[0-9]{5}|[0-9]{4}[FTU]|[A-V][0-9]{4}"


@given(st.from_regex(VALID_CODE, fullmatch=True))
def test_every_code_of_a_valid_shape_is_accepted_in_any_case(code):
    assert check_procedure_code(f" {code.lower()} ") == code
    assert check_procedure_code(check_procedure_code(code)) == code


@given(st.text(max_size=8))
def test_random_text_is_accepted_only_in_a_valid_shape(text):
    try:
        code = check_procedure_code(text)
    except ValidationError as error:
        assert str(error).endswith(".")
    else:
        assert re.fullmatch(VALID_CODE, code) and code.isascii()


@given(st.text(alphabet=st.characters(categories=["Nd"]), min_size=5, max_size=5))
def test_digits_of_other_scripts_are_not_a_code(digits):
    # Full-width "２０６１０" looks like 20610 on screen but no claim system reads it.
    if digits.isascii():
        assert check_procedure_code(digits) == digits
    else:
        with pytest.raises(ValidationError, match="is not a CPT or HCPCS code"):
            check_procedure_code(digits)


def test_modifiers_accept_commas_spaces_and_hyphens():
    assert check_modifiers("rt, 59") == ["RT", "59"]
    assert check_modifiers("RT-59 xs") == ["RT", "59", "XS"]
    assert check_modifiers(["ga", " JW "]) == ["GA", "JW"]
    assert check_modifiers("") == [] and check_modifiers(None) == []


def test_more_than_four_modifiers_is_refused_with_the_count():
    assert message(check_modifiers, "RT, LT, 59, XS, GA") == (
        "A procedure line takes at most 4 modifiers; you entered 5 (RT, LT, 59, XS, GA)."
    )


def test_a_malformed_or_repeated_modifier_is_named():
    assert message(check_modifiers, "RT, 5") == (
        '"5" is not a modifier: each modifier is exactly 2 letters or digits (e.g. RT, 59); '
        "separate several with commas."
    )
    assert message(check_modifiers, "RTLT").startswith('"RTLT" is not a modifier')
    assert message(check_modifiers, "RT rt") == (
        "Modifier RT is listed twice; enter each modifier once."
    )


def test_pointers_accept_letters_or_numbers():
    assert check_pointers("A,B", 2) == "AB"
    assert check_pointers("ab", 2) == "AB"
    assert check_pointers("1, 2", 3) == "AB"
    assert check_pointers(" c a ", 3) == "CA"  # primary first: the order is kept
    assert check_pointers("12", 12) == "L"  # numbers must be separated: 12 is L


def test_pointers_must_refer_to_existing_diagnoses():
    assert message(check_pointers, "A,C", 2) == (
        "Pointer C refers to diagnosis 3, but this treatment has only 2 diagnoses."
    )
    assert message(check_pointers, "B", 1) == (
        "Pointer B refers to diagnosis 2, but this treatment has only 1 diagnosis."
    )
    assert message(check_pointers, "A", 0) == (
        "This treatment has no diagnosis codes yet; add one before pointing to it."
    )


def test_pointer_mistakes_get_a_precise_sentence():
    assert message(check_pointers, "ABCDE", 12) == (
        "A procedure line points to at most 4 diagnoses; you entered 5 (A, B, C, D, E)."
    )
    assert message(check_pointers, "A, A", 2) == (
        "Pointer A is listed twice; point to each diagnosis once."
    )
    assert message(check_pointers, "M", 12) == (
        '"M" is not a diagnosis pointer: use letters A to L or numbers 1 to 12.'
    )
    assert message(check_pointers, "13", 12) == (
        '"13" is not a diagnosis pointer: use letters A to L or numbers 1 to 12.'
    )
    assert message(check_pointers, "A2", 12).startswith('"A2" is not a diagnosis pointer')
    assert message(check_pointers, " ", 2) == (
        "Enter at least one diagnosis pointer: the letter of the diagnosis this line treats "
        "(A for the first)."
    )


@given(st.text(max_size=10), st.integers(min_value=0, max_value=12))
def test_pointers_never_crash_and_always_return_valid_letters(text, n):
    try:
        pointers = check_pointers(text, n)
    except ValidationError:
        return
    assert 1 <= len(pointers) <= 4 and len(set(pointers)) == len(pointers)
    assert all("A" <= p <= "L" and ord(p) - ord("A") < n for p in pointers)
