"""Provider identifiers on the superbill: an NPI with a valid check digit, an EIN in its
usual form, and a tax ID the patient bundle never shows in full."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regenlog.core.codes import check_ein, check_npi, make_npi, mask_tax_id
from regenlog.core.errors import ValidationError


def message(call, *args) -> str:
    with pytest.raises(ValidationError) as raised:
        call(*args)
    return str(raised.value)


def test_the_cms_example_npi_is_valid():
    assert check_npi("1234567893") == "1234567893"
    assert check_npi(" 1234 567 893 ") == "1234567893"
    assert make_npi("123456789") == "1234567893"


def test_a_wrong_check_digit_says_a_digit_is_mistyped():
    assert message(check_npi, "1234567890") == (
        "NPI 1234567890 has a wrong check digit, so a digit is mistyped; copy it again from "
        "the provider's paperwork or the NPPES NPI Registry."
    )


def test_npi_shape_mistakes_get_a_precise_sentence():
    assert message(check_npi, "123456789") == "An NPI has 10 digits; 123456789 has 9."
    assert message(check_npi, "3234567893") == (
        "3234567893 is not an NPI: an NPI starts with 1 (a person) or 2 (an organization)."
    )
    assert message(check_npi, "12345A7893") == (
        '"12345A7893" is not an NPI: an NPI is 10 digits (e.g. 1234567893).'
    )
    assert message(make_npi, "12345678") == "Give the first 9 digits of an NPI; 12345678 has 8."


@given(st.from_regex(r"[12][0-9]{8}", fullmatch=True))
def test_make_npi_always_makes_a_valid_npi(prefix):
    npi = make_npi(prefix)
    assert npi[:9] == prefix and check_npi(npi) == npi


@given(
    st.from_regex(r"[12][0-9]{8}", fullmatch=True),
    st.integers(min_value=1, max_value=9),
    st.integers(min_value=1, max_value=9),
)
def test_any_single_mistyped_digit_is_caught(prefix, position, shift):
    npi = make_npi(prefix)
    digit = (int(npi[position]) + shift) % 10
    typo = npi[:position] + str(digit) + npi[position + 1 :]
    with pytest.raises(ValidationError):
        check_npi(typo)


def test_an_ein_is_written_with_its_dash():
    assert check_ein("123456789") == "12-3456789"
    assert check_ein(" 12-3456789 ") == "12-3456789"
    assert message(check_ein, "12-345678") == (
        '"12-345678" is not an EIN: an EIN is 9 digits, written NN-NNNNNNN (e.g. 12-3456789).'
    )
    with pytest.raises(ValidationError):
        check_ein("123-45-6789")  # an SSN, not an EIN


def test_an_ein_in_full_width_digits_is_refused():
    with pytest.raises(ValidationError, match="is not an EIN"):
        check_ein("１２-３４５６７８９")


def test_a_tax_id_shows_only_its_last_four_digits():
    assert mask_tax_id("123-45-6789") == "***-**-6789"
    assert mask_tax_id("123456789") == "***-**-6789"
    assert mask_tax_id("12-3456789") == "**-***6789"
    assert mask_tax_id("") == "" and mask_tax_id(None) == ""
    assert mask_tax_id("12345") == "*2345"
    assert mask_tax_id("123") == "***"


@given(st.text(max_size=15))
def test_a_masked_tax_id_never_shows_more_than_four_digits(text):
    assert sum(c.isdigit() for c in mask_tax_id(text)) <= 4
