"""The label and value readers: any date, amount or code a document prints comes back exact,
and text that is not one is refused (a wrong value is worse than a missing one)."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from regenlog.core.codes import make_npi
from regenlog.core.reading import values as v
from regenlog.core.reading.labels import find_labels
from regenlog.core.reading.words import Word

days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))
STYLES = [
    lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",
    lambda d: d.isoformat(),
    lambda d: f"{d:%B} {d.day}, {d.year}",
    lambda d: f"{d:%b}. {d.day} {d.year}",
    lambda d: f"{d.day} {d:%B} {d.year}",
    lambda d: f"{d.day:02d}-{d:%b}-{d.year}",
]


@given(days, st.sampled_from(STYLES), st.sampled_from([": ", " ", " - ", "# "]))
def test_a_date_in_any_usual_style_reads_back_exactly(day, style, lead):
    shown = style(day)
    assert v.read_date_value(f"{lead}{shown} Paid") == (day, len(lead) + len(shown))


@given(st.integers(min_value=0, max_value=99_999_999), st.booleans(), st.booleans())
def test_an_amount_reads_back_in_exact_cents(cents, dollar, commas):
    whole = f"{cents // 100:,}" if commas else str(cents // 100)
    shown = f"{'$' if dollar else ''}{whole}.{cents % 100:02d}"
    assert v.read_money_value(shown) == (cents, len(shown))


@given(st.integers(min_value=0, max_value=9999))
def test_a_bare_number_is_not_an_amount(number):
    assert v.read_money_value(str(number)) is None
    assert v.read_money_value(f"{number}.5mg") is None


@given(st.from_regex(r"[12][0-9]{8}", fullmatch=True))
def test_an_npi_passes_only_with_its_check_digit(prefix):
    npi = make_npi(prefix)
    assert v.read_npi_value(f": {npi}") == (npi, 12)
    wrong = npi[:9] + str((int(npi[9]) + 1) % 10)
    assert v.read_npi_value(wrong) is None


def test_a_tax_id_is_proposed_only_written_as_an_ein():
    assert v.read_ein_value("83-2245180 ") == ("83-2245180", 10)
    assert v.read_ein_value("123-45-6789") is None  # an SSN: never proposed
    assert v.read_ein_value("832245180") is None


def test_names_stop_where_the_name_ends():
    assert v.read_name_value(": Dana Whitfield, date of birth 08/14/1964")[0] == "Dana Whitfield"
    assert v.read_name_value("Priya Raman, MD (out-of-network)", credentials=True)[0] == "Priya Raman, MD"
    assert v.read_name_value("of Mr. Whitfield") is None
    assert v.read_name_value("03/12/2026") is None


def test_codes_and_modifiers_read_only_when_the_cell_is_exactly_that():
    assert v.read_code_and_modifiers("0232T-RT") == ("0232T", ["RT"])
    assert v.read_code_and_modifiers("20611 RT 59") == ("20611", ["RT", "59"])
    assert v.read_code_and_modifiers("38232 / 20611-RT") is None
    assert v.read_code_and_modifiers("incl. in 20611") is None
    assert v.read_code_and_modifiers("W1234") is None


def test_payment_words_name_the_method():
    assert v.read_payment_method("FSA debit card") == "fsa_card"
    assert v.read_payment_method("Visa ending 4419") == "card"
    assert v.read_payment_method("CareCredit financing") == "financing"
    assert v.read_payment_method("Check #1042") == "check"
    assert v.read_payment_method("Wire") is None


def _words(text):
    return [Word(t, i * 10, 0, i * 10 + 8, 10) for i, t in enumerate(text.split())]


@given(st.sampled_from(["DOS", "Date of service", "Service date", "Date(s) of service"]))
def test_every_label_for_the_date_of_service_is_known(label):
    hits = find_labels(_words(f"{label}: 03/12/2026"))
    assert hits[0].fields == ("date_of_service",)


def test_longer_labels_shield_shorter_ones():
    assert [h.phrase for h in find_labels(_words("Not allowed $230.00 Allowed $620.00"))] == [
        "not allowed", "allowed"]
    assert find_labels(_words("Plan paid $372.00"))[0].fields == ("plan_paid_cents",)
    assert find_labels(_words("Date of birth 08/14/1964"))[0].fields == ()


def _line(*texts, top=100.0, height=10.0, confidence=0.95):
    """OCR words laid out left to right on one line."""
    words, x = [], 50.0
    for text in texts:
        width = 6.0 * len(text)
        words.append(Word(text, x, top, x + width, top + height, confidence))
        x += width + 5
    return words


def test_what_ocr_adds_around_a_label_or_a_name_does_not_hide_or_change_it():
    # A speck before a label, a full stop after a name, a card slip's "USD 225.00".
    assert [h.fields for h in find_labels(_line("'Patient:", "Dana", "Whitfield"))] == [("patient_name",)]
    assert v.read_name_value("Grace Brennan.") == ("Grace Brennan", 14)
    assert v.read_name_value("Owen Petrov Jr.")[0] == "Owen Petrov Jr."
    assert v.read_money_value("USD 225.00") == (22500, 10)


def test_a_header_misread_in_a_word_still_heads_columns_and_is_no_label():
    from regenlog.core.reading.fields import labelled
    from regenlog.core.reading.tables import find_tables
    from regenlog.core.reading.words import Line

    header = Line(_line("Service", "date", "Code", "Billed", "Allowed", "Plan", "paid", "'You", "owe"))
    row = Line(_line("02/18/2025", "96365", "$220.00", "$132.00", "$79.20", "$140.80", top=115.0))
    [table] = find_tables([header, row])
    assert "owe" in table.kinds()
    assert labelled([header, row]) == []  # "$220.00" is the row's, not "Billed"'s value


def test_a_flat_rule_or_an_unsure_lone_letter_is_noise_but_an_unsure_md_is_kept():
    from regenlog.core.reading.words import drop_noise

    text = _line("Priya", "Raman,", "MD") + _line("Total", "paid", top=120.0)
    rule = Word("pas", 50, 200, 80, 201, 0.3)
    speck = Word("J", 50, 220, 56, 230, 0.54)
    text[2].confidence = 0.4
    assert [w.text for w in drop_noise([*text, rule, speck])] == ["Priya", "Raman,", "MD", "Total", "paid"]


def test_a_diagnosis_code_with_a_speck_glued_on_is_read_and_a_list_ocr_half_read_is_not_proposed():
    import datetime as dt

    from regenlog.core.reading.fields import diagnosis_codes
    from regenlog.core.reading.words import Line

    day = dt.date(2026, 3, 12)
    found = diagnosis_codes([Line(_line("Dx:", "/-M75.121,", "M17.0"))], set(), day)
    assert found.value == ["M75.121", "M17.0"]
    # "M7S.12I" is a code OCR could not read: "M17.0" alone would be a wrong, short list.
    assert diagnosis_codes([Line(_line("Dx:", "M7S.12I,", "M17.0"))], set(), day) is None
    assert diagnosis_codes([Line(_line("Dx:", "£83.42,", "E53.8"))], set(), day) is None
    # A second character that can only be a digit is read as the digit it looks like.
    assert diagnosis_codes([Line(_line("ICD-10-CM:", "M17.11,", "DS1.0"))], set(), day).value == [
        "M17.11", "D51.0"]
    # Words of the label are not codes, whatever a look-alike would make of them ("C0DES").
    assert diagnosis_codes([Line(_line("Diagnosis", "codes", "M25.561"))], set(), day).value == [
        "M25.561"]
    text_layer = _line("Dx:", "M77.11", confidence=1.0)
    assert diagnosis_codes([Line(text_layer)], set(), day).value == ["M77.11"]
