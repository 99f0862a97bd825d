"""Money is parsed from what people type into exact cents; dates from ISO and US forms."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regenlog.core.dates import add_months, parse_date
from regenlog.core.errors import ValidationError
from regenlog.core.money import (
    MAX_CENTS,
    format_money,
    format_percent_bp,
    parse_money,
    parse_percent_bp,
)


@pytest.mark.parametrize(
    "text, cents",
    [("$1,234.56", 123456), ("1234.5", 123450), ("0.99", 99), (".5", 50), ("$12", 1200),
     (" 7 ", 700), ("1,000,000.00", 100000000)],
)
def test_amounts_people_type_parse_to_exact_cents(text, cents):
    assert parse_money(text) == cents


@pytest.mark.parametrize("text", ["$1,2.00", "12.345", "abc", "", "1.2.3", "$", "1,23", "--5"])
def test_malformed_amounts_are_refused_with_a_sentence(text):
    with pytest.raises(ValidationError, match="not an amount of money"):
        parse_money(text)


def test_negative_amounts_need_permission():
    with pytest.raises(ValidationError, match="negative"):
        parse_money("-5.00")
    assert parse_money("-$5.00", allow_negative=True) == -500
    assert parse_money("(5.00)", allow_negative=True) == -500


@given(st.integers(min_value=-MAX_CENTS, max_value=MAX_CENTS))
def test_format_then_parse_round_trips(cents):
    assert parse_money(format_money(cents), allow_negative=True) == cents


@given(st.integers(min_value=MAX_CENTS + 1, max_value=10**30))
def test_amounts_over_ten_million_dollars_are_refused_as_typos(cents):
    with pytest.raises(ValidationError, match=r"is more than \$10,000,000.00; check the amount."):
        parse_money(format_money(cents))


@given(st.text(max_size=20))
def test_parse_money_never_crashes_on_any_text(text):
    try:
        assert isinstance(parse_money(text, allow_negative=True), int)
    except ValidationError as error:
        assert str(error).endswith(".")


def test_format_money_refuses_floats():
    with pytest.raises(TypeError):
        format_money(12.5)
    assert format_money(123456) == "$1,234.56"
    assert format_money(-5) == "-$0.05"


def test_percentages_are_basis_points():
    assert parse_percent_bp("29.99%") == 2999
    assert parse_percent_bp("0") == 0
    assert format_percent_bp(2699) == "26.99%"
    with pytest.raises(ValidationError, match="over 100%"):
        parse_percent_bp("150")


@pytest.mark.parametrize(
    "text, expected",
    [("2026-01-15", dt.date(2026, 1, 15)), ("1/15/2026", dt.date(2026, 1, 15)),
     ("01/15/26", dt.date(2026, 1, 15)), ("12-31-1999", dt.date(1999, 12, 31)),
     ("2/29/2028", dt.date(2028, 2, 29))],
)
def test_dates_in_iso_and_us_forms(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2026-13-01", "2/30/2026", "2/29/2027"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(ValidationError, match="not a real calendar date"):
        parse_date(text)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_iso_and_us_forms_agree(day):
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.month}/{day.day}/{day.year}") == day


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2090, 1, 1)),
       st.integers(min_value=0, max_value=120))
def test_add_months_lands_in_the_right_month_and_clamps(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == day.day or result.day < day.day and (result + dt.timedelta(days=1)).day == 1


def test_add_months_month_end():
    assert add_months(dt.date(2026, 8, 31), 1) == dt.date(2026, 9, 30)
    assert add_months(dt.date(2027, 10, 31), 4) == dt.date(2028, 2, 29)


@given(st.dates())
def test_dates_outside_1900_to_2099_are_refused_as_typos(day):
    text = day.isoformat()
    if dt.date(1900, 1, 1) <= day <= dt.date(2099, 12, 31):
        assert parse_date(text) == day
    else:
        with pytest.raises(ValidationError, match="must be between 1900 and 2099; check the year"):
            parse_date(text)


@pytest.mark.parametrize("day, months, expected", [
    (dt.date(9999, 12, 1), 4, dt.date.max),
    (dt.date(9999, 8, 15), 4, dt.date(9999, 12, 15)),  # December of the last year itself
    (dt.date(9999, 12, 31), 0, dt.date(9999, 12, 31)),
    (dt.date(9999, 11, 30), 1, dt.date(9999, 12, 30)),
])
def test_month_arithmetic_past_the_calendars_end_stops_at_its_last_day(day, months, expected):
    assert add_months(day, months) == expected
