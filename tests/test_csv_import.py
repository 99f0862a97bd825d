"""A patient moves from their spreadsheet to RegenLog: map the columns, see every bad row with
its line number, then import the good rows only, or nothing unless all are good."""

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regenlog.core import models as m
from regenlog.core.errors import ValidationError
from regenlog.core.spreadsheet import (
    Mapping,
    dry_run,
    import_csv,
    parse_category,
    parse_cell_date,
    parse_cell_money,
    parse_payment_method,
    read_table,
    run_csv_import_cli,
    suggest_mapping,
)

D = dt.date
DATA = Path(__file__).parent / "data"
MIXED = DATA / "treatments_mixed.csv"
MIXED_BAD_LINES = [3, 4, 7, 9, 12]


def _counts(services):
    return {model.__name__: services.records.count(model)
            for model in (m.Person, m.Provider, m.Treatment, m.Receipt)}


# -- the mapping -----------------------------------------------------------------------------
def test_the_mapping_is_suggested_from_the_header_names():
    mapping = suggest_mapping([
        "Date of Service (DOS)", "Patient Name", "Clinic", "Treatment type", "CPT/HCPCS",
        "ICD-10 Code", "Amount ($)", "Paid with", "Date paid", "Receipt #", "Notes",
        "Date of birth", "Insurance card",
    ])
    assert mapping.columns == {
        "date_of_service": "Date of Service (DOS)", "person": "Patient Name",
        "provider": "Clinic", "category": "Treatment type", "diagnosis_codes": "ICD-10 Code",
        "procedure_codes": "CPT/HCPCS", "amount": "Amount ($)", "payment_date": "Date paid",
        "payment_method": "Paid with", "receipt_number": "Receipt #", "notes": "Notes",
    }


@pytest.mark.parametrize("header", ["Date", "DOS", "Service date", "date of service"])
def test_every_usual_name_for_the_date_of_service_is_recognised(header):
    assert suggest_mapping(["Total", header]).columns == {"date_of_service": header, "amount": "Total"}


def test_a_saved_mapping_reads_back_the_same():
    mapping = Mapping(columns={"date_of_service": "DOS", "amount": "Paid"},
                      default_person="Dana Whitfield", default_category="prp",
                      default_payment_method="hsa_card")
    saved = mapping.to_json()
    assert json.loads(saved)["version"] == 1
    assert json.loads(saved)["format"] == "regenlog-csv-mapping"
    assert Mapping.from_json(saved) == mapping


@pytest.mark.parametrize("document, sentence", [
    ("{", "not valid JSON"),
    ('{"format": "other", "version": 1}', "not a RegenLog column mapping"),
    ('{"format": "regenlog-csv-mapping", "version": 2}', "newer RegenLog"),
    ('{"format": "regenlog-csv-mapping", "version": 1, "columns": {"price": "Paid"}}',
     'field "price"'),
    ('{"format": "regenlog-csv-mapping", "version": 1, "defaults": {"category": "massage"}}',
     '"massage" is not a default category'),
])
def test_a_broken_mapping_file_is_refused_with_one_sentence(document, sentence):
    with pytest.raises(ValidationError, match=sentence):
        Mapping.from_json(document)


def test_a_mapping_must_name_the_date_column_and_only_columns_the_file_has(services):
    with pytest.raises(ValidationError, match="column that holds the date of service"):
        dry_run(services.db, MIXED, Mapping(columns={"amount": "Amount"}))
    with pytest.raises(ValidationError, match='a column "DOS", which the file does not have'):
        dry_run(services.db, MIXED, Mapping(columns={"date_of_service": "DOS"}))
    assert _counts(services) == dict.fromkeys(_counts(services), 0)


# -- the dry run and the import --------------------------------------------------------------
def test_the_dry_run_lists_every_bad_row_and_changes_nothing(services):
    report = dry_run(services.db, MIXED, suggest_mapping(read_table(MIXED).headers))
    assert [bad.line for bad in report.bad_rows] == MIXED_BAD_LINES
    reasons = {bad.line: bad.reason for bad in report.bad_rows}
    assert reasons[3] == 'Date: "13/45/2026" is not a real calendar date.'
    assert reasons[4] == 'Amount: "$1,2.00" is not an amount of money; write it like 1,234.56.'
    assert reasons[7] == "ICD-10: M17.99 is not an ICD-10-CM code in the FY2026 code set."
    assert reasons[9].startswith('Type: "Massage" is not a category RegenLog knows')
    assert reasons[12] == "Patient: the patient's name is empty."
    assert [row.line for row in report.good_rows] == [2, 6, 8, 10]
    assert report.new_people == ["Dana Whitfield", "Sam Whitfield"]
    assert report.new_providers == ["Summit Regenerative", "Peak Wellness"]
    assert _counts(services) == dict.fromkeys(_counts(services), 0)


def test_nothing_is_imported_unless_all_rows_are_good_when_the_patient_says_so(services):
    mapping = suggest_mapping(read_table(MIXED).headers)
    with pytest.raises(ValidationError) as refused:
        import_csv(services.db, MIXED, mapping, only_good_rows=False)
    assert str(refused.value).startswith(
        '5 of 9 rows have problems (the first, line 3: Date: "13/45/2026" is not a real '
        "calendar date.); nothing was imported."
    )
    assert _counts(services) == dict.fromkeys(_counts(services), 0)


def test_the_good_rows_only_are_imported_with_their_codes_and_receipts(services):
    mapping = suggest_mapping(read_table(MIXED).headers)
    result = import_csv(services.db, MIXED, mapping, only_good_rows=True)
    assert (result.treatments, result.receipts) == (4, 2)
    assert [b.line for b in result.skipped] == MIXED_BAD_LINES
    assert result.people_created == ["Dana Whitfield", "Sam Whitfield"]
    assert result.summary() == (
        "Imported 4 treatments and 2 receipts, with 2 new people and 2 new providers; "
        "skipped lines 3, 4, 7, 9, 12."
    )
    assert _counts(services) == {"Person": 2, "Provider": 2, "Treatment": 4, "Receipt": 2}

    r, details = services.records, services.details
    knee, infusion, consult, follow_up = (r.get(m.Treatment, i) for i in result.treatment_ids)
    dana = r.get(m.Person, knee.person_id)
    assert (dana.name, knee.date_of_service, knee.category) == ("Dana Whitfield", D(2026, 3, 14), "prp")
    assert r.get(m.Provider, knee.provider_id).name == "Summit Regenerative"
    assert knee.notes == "Right knee"
    assert [d.code for d in details.diagnoses(knee.id)] == ["M17.11"]
    (line,) = details.procedure_lines(knee.id)
    assert (line.code, line.charge_cents, line.pointers) == ("0232T", 200_000, "A")
    (receipt,) = r.list(m.Receipt, where=[m.Receipt.treatment_id == knee.id])
    assert (receipt.total_cents, receipt.paid_on, receipt.payment_method) == (
        200_000, D(2026, 3, 14), "card",
    )
    # Two codes on one line of the spreadsheet: two procedure lines, no guessed charges.
    assert infusion.category == "iv_therapy" and infusion.date_of_service == D(2026, 4, 20)
    assert [d.code for d in details.diagnoses(infusion.id)] == ["E53.8", "D51.0"]
    assert [(p.code, p.charge_cents, p.pointers) for p in details.procedure_lines(infusion.id)] == [
        ("96365", 0, "AB"), ("J3420", 0, "AB"),
    ]
    (hsa_receipt,) = r.list(m.Receipt, where=[m.Receipt.treatment_id == infusion.id])
    assert (hsa_receipt.total_cents, hsa_receipt.payment_method) == (35_000, "hsa_card")
    # "dana  whitfield" is Dana; an amount of 0 is not a payment; no provider named.
    assert consult.person_id == dana.id and consult.provider_id is None
    assert consult.paid_by_patient is False
    assert follow_up.notes == "multi\nline note" and follow_up.paid_by_patient is True
    assert r.list(m.Receipt, where=[m.Receipt.treatment_id.in_([consult.id, follow_up.id])]) == []


def test_importing_the_same_file_again_records_nothing_twice(services):
    mapping = suggest_mapping(read_table(MIXED).headers)
    import_csv(services.db, MIXED, mapping, only_good_rows=True)
    before = _counts(services)
    report = dry_run(services.db, MIXED, mapping)
    assert report.good_rows == []
    twin = {bad.line: bad.reason for bad in report.bad_rows}[2]
    assert twin.startswith("this is already recorded as treatment 1 (Dana Whitfield, 2026-03-14, PRP, $2,000.00)")
    with pytest.raises(ValidationError, match="no row that can be imported"):
        import_csv(services.db, MIXED, mapping, only_good_rows=True)
    assert _counts(services) == before


def test_a_failure_halfway_through_leaves_nothing_behind(services, monkeypatch):
    from regenlog.core.spreadsheet import importer

    calls = {"n": 0}
    original = importer._Writer.write

    def write_then_fail(self, row):
        calls["n"] += 1
        if calls["n"] == 3:
            raise ValidationError("The disk is full.")
        original(self, row)

    monkeypatch.setattr(importer._Writer, "write", write_then_fail)
    with pytest.raises(ValidationError, match="Line 8: The disk is full. Nothing was imported."):
        import_csv(services.db, MIXED, suggest_mapping(read_table(MIXED).headers), only_good_rows=True)
    assert _counts(services) == dict.fromkeys(_counts(services), 0)


def test_a_utf8_file_with_a_byte_order_mark(services):
    table = read_table(DATA / "treatments_bom.csv")
    assert table.headers[0] == "DOS"  # the mark is not part of the first header
    result = import_csv(services.db, DATA / "treatments_bom.csv", suggest_mapping(table.headers),
                        only_good_rows=False)
    treatment = services.records.get(m.Treatment, result.treatment_ids[0])
    assert services.records.get(m.Person, treatment.person_id).name == "José Núñez"
    assert treatment.category == "consultation"
    (receipt,) = services.records.list(m.Receipt)
    assert (receipt.total_cents, receipt.paid_on) == (12_000, D(2026, 1, 20))


def test_a_windows_1252_file_with_semicolons(services):
    path = DATA / "treatments_cp1252.csv"
    table = read_table(path)
    assert table.encoding == "Windows-1252"
    mapping = Mapping(columns={"date_of_service": "Service date", "person": "Patient",
                               "amount": "Total", "description": "Description"},
                      default_category="prp", default_payment_method="financing")
    result = import_csv(services.db, path, mapping, only_good_rows=False)
    treatment = services.records.get(m.Treatment, result.treatment_ids[0])
    assert services.records.get(m.Person, treatment.person_id).name == "Renée Côté"
    assert treatment.description == "PRP \u2013 \u201cleft\u201d elbow"
    assert (treatment.date_of_service, treatment.category) == (D(2026, 1, 15), "prp")
    (receipt,) = services.records.list(m.Receipt)
    assert (receipt.total_cents, receipt.payment_method) == (123_456, "financing")


def test_a_utf16_export_and_an_excel_workbook(tmp_path):
    utf16 = tmp_path / "unicode.csv"
    utf16.write_bytes("Date\tAmount\r\n1/2/2026\t$5.00\r\n".encode("utf-16"))
    table = read_table(utf16)
    assert (table.encoding, table.headers, table.rows[0].cells) == (
        "UTF-16", ("Date", "Amount"), ("1/2/2026", "$5.00"),
    )
    workbook = tmp_path / "book.csv"
    workbook.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(ValidationError, match="is an Excel workbook, not CSV"):
        read_table(workbook)


def test_a_row_with_an_unquoted_comma_in_its_amount_is_caught(services, tmp_path):
    path = tmp_path / "commas.csv"
    path.write_text("Date,Patient,Amount\n1/5/2026,Dana,1,234.56\n", encoding="utf-8")
    report = dry_run(services.db, path, suggest_mapping(read_table(path).headers))
    (bad,) = report.bad_rows
    assert bad.line == 2 and "needs quotes around it" in bad.reason


def test_one_person_in_the_folder_needs_no_patient_column(services, tmp_path):
    dana = services.records.create(m.Person, name="Dana Whitfield")
    path = tmp_path / "mine.csv"
    path.write_text("Date,Amount\n1/5/2026,$40\n", encoding="utf-8")
    result = import_csv(services.db, path, suggest_mapping(["Date", "Amount"]), only_good_rows=False)
    assert services.records.get(m.Treatment, result.treatment_ids[0]).person_id == dana.id
    services.records.create(m.Person, name="Sam Whitfield")
    report = dry_run(services.db, path, suggest_mapping(["Date", "Amount"]))
    assert "choose the column that names the patient" in report.problems[0]
    with pytest.raises(ValidationError, match="column that names the patient"):
        import_csv(services.db, path, suggest_mapping(["Date", "Amount"]), only_good_rows=True)


# -- the command line ------------------------------------------------------------------------
def test_the_command_line_prints_the_suggested_mapping_and_the_report(services):
    out = io.StringIO()
    code = run_csv_import_cli(services.imports, MIXED, None, True, out)
    text = out.getvalue()
    assert code == 1
    assert text.startswith("No --map given: using the mapping suggested from the column names.")
    mapping_json = text[text.index("{"):text.index("Checked")]
    assert Mapping.from_json(mapping_json).columns["date_of_service"] == "Date"
    assert "Checked 9 rows of treatments_mixed.csv (UTF-8): 4 good, 5 with problems." in text
    assert '  line 3: Date: "13/45/2026" is not a real calendar date.' in text
    assert text.endswith("Dry run: nothing was imported.\n")
    assert services.records.count(m.Treatment) == 0


def test_the_command_line_imports_with_a_saved_mapping(services, tmp_path):
    shutil.copy(DATA / "treatments_bom.csv", tmp_path / "clinic.csv")
    map_path = tmp_path / "clinic-map.json"
    map_path.write_text(suggest_mapping(read_table(tmp_path / "clinic.csv").headers).to_json())
    out = io.StringIO()
    assert run_csv_import_cli(services.imports, tmp_path / "clinic.csv", map_path, False, out) == 0
    assert "{" not in out.getvalue()  # a saved mapping is not printed again
    assert out.getvalue().endswith("Imported 1 treatment and 1 receipt, with 1 new person.\n")
    with pytest.raises(ValidationError, match="nothing was imported"):
        run_csv_import_cli(services.imports, MIXED, None, False, io.StringIO())
    assert services.records.count(m.Treatment) == 1


# -- cells, with any text a spreadsheet can hold -----------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("1/15/2026", D(2026, 1, 15)), ("01/15/26", D(2026, 1, 15)), ("2026-01-15", D(2026, 1, 15)),
    ("2026/1/15", D(2026, 1, 15)), ("Jan 15, 2026", D(2026, 1, 15)),
    ("January 15 2026", D(2026, 1, 15)), ("15-Jan-26", D(2026, 1, 15)),
    ("Sept. 3, 2026", D(2026, 9, 3)), ("1/15/2026 0:00", D(2026, 1, 15)),
    ("1/15/2026 12:00:00 AM", D(2026, 1, 15)), ("2026-01-15T00:00:00", D(2026, 1, 15)),
])
def test_spreadsheet_dates(text, expected):
    assert parse_cell_date(text) == expected


@pytest.mark.parametrize("text, sentence", [
    ("2/30/2026", "not a real calendar date"), ("46037", "spreadsheet date number"),
    ("15/01/2026", "not a real calendar date"), ("soon", "not a date"),
    ("1/1/1850", "not a plausible date"),
])
def test_bad_spreadsheet_dates(text, sentence):
    with pytest.raises(ValidationError, match=sentence):
        parse_cell_date(text)


@pytest.mark.parametrize("text, cents", [
    ("$1,234.56", 123_456), ("1234.5", 123_450), ("$ 1,234", 123_400), ("USD 1,234.56", 123_456),
    ("1,234.56 USD", 123_456), ("\u00a0$12.00\u00a0", 1_200), ("0", 0),
])
def test_spreadsheet_money(text, cents):
    assert parse_cell_money(text) == cents


@pytest.mark.parametrize("text, sentence", [
    ("$1,2.00", "not an amount"), ("(12.00)", "negative"), ("\u221212", "negative"),
    ("1.234,56", "not an amount"), ("$10,000,000.01", r"more than \$10,000,000\.00"),
    ("9" * 5000, "not an amount"),
])
def test_bad_spreadsheet_money(text, sentence):
    with pytest.raises(ValidationError, match=sentence):
        parse_cell_money(text)


@pytest.mark.parametrize("text, category", [
    ("PRP", "prp"), ("Platelet-rich plasma", "prp"), ("BMAC knee", "stem_cell_bone_marrow"),
    ("Stem cells (adipose)", "stem_cell_adipose"), ("IV drip", "iv_therapy"),
    ("MRI", "imaging"), ("PRP follow-up", "follow_up"), ("New patient consult", "consultation"),
])
def test_category_words(text, category):
    assert parse_category(text) == category


def test_a_category_or_payment_method_that_cannot_be_told_is_refused():
    with pytest.raises(ValidationError, match="not from where"):
        parse_category("Stem cell injection")
    with pytest.raises(ValidationError, match="not a payment method"):
        parse_payment_method("barter")
    assert parse_payment_method("HSA Visa") == "hsa_card"
    assert parse_payment_method("Check #1042") == "cash"


@given(st.text(max_size=60))
def test_no_cell_text_crashes_the_parsers(text):
    for parse in (parse_cell_date, parse_cell_money, parse_category, parse_payment_method):
        try:
            parse(text)
        except ValidationError as error:
            assert str(error).endswith(".")


@given(st.integers(0, 10_000_000_00), st.sampled_from([
    "${:,}.{:02d}", "{}.{:02d}", "USD {:,}.{:02d}", " $ {:,}.{:02d} ", "{:,}.{:02d} USD",
]))
def test_good_amounts_round_trip(cents, form):
    assert parse_cell_money(form.format(cents // 100, cents % 100)) == cents


@given(st.dates(D(1970, 1, 1), D(2069, 12, 31)), st.sampled_from([
    "{d.month}/{d.day}/{d.year}", "{d:%m/%d/%y}", "{d:%Y-%m-%d}", "{d:%Y/%m/%d}",
    "{month} {d.day}, {d.year}", "{d.day}-{month}-{d:%y}", "{d.month}/{d.day}/{d.year} 0:00",
]))
def test_good_dates_round_trip(day, form):
    month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
             "Dec"][day.month - 1]
    assert parse_cell_date(form.format(d=day, month=month)) == day


# -- what the insurer paid the provider ------------------------------------------------------
def test_a_column_of_what_the_insurer_paid_the_provider_becomes_an_eob(services, tmp_path):
    """Dana's spreadsheet of her MRI: she paid $122.48; her plan paid the imaging center
    $489.92. That is the insurer's payment, never money paid back to her."""
    from regenlog.core.reimbursement import treatment_money

    sheet = tmp_path / "imaging.csv"
    sheet.write_text(
        "Date of service,Patient,Clinic,Category,Amount paid,Insurance paid provider\n"
        "11/06/2025,Dana Whitfield,Treasure Valley Imaging,imaging,122.48,489.92\n"
        "12/01/2025,Dana Whitfield,Treasure Valley Imaging,imaging,80.00,\n"
        "12/02/2025,Dana Whitfield,Treasure Valley Imaging,imaging,80.00,-5\n",
        encoding="utf-8",
    )
    mapping = suggest_mapping(read_table(sheet).headers)
    assert mapping.columns["paid_to_provider"] == "Insurance paid provider"
    assert mapping.columns["amount"] == "Amount paid"
    result = import_csv(services.db, sheet, mapping, only_good_rows=True)
    assert [b.line for b in result.skipped] == [4]  # a refund is no payment
    assert result.summary() == (
        "Imported 2 treatments and 2 receipts, with 1 new person and 1 new provider, and 1 "
        "payment the insurer made to the provider (as its EOB); skipped line 4."
    )
    mri = result.treatment_ids[0]
    [eob] = services.records.list(m.Determination)
    assert (eob.kind, eob.treatment_id, eob.amount_paid_to_provider_cents, eob.received_on) == (
        "eob", mri, 48_992, D(2025, 11, 6))
    money = treatment_money(services.db, [mri])[mri]
    assert (money.paid_to_provider_cents, money.reimbursed_cents) == (48_992, 0)
    assert money.insurer_decided  # no new insurer claim asks for it again
