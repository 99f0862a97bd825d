"""A new patient's first import: her own spreadsheet of PRP visits, with no patient column
and a "Procedure" column of CPT codes, into an empty data folder. Every row is checked and
reported, the report says how to name her, and the codes land as procedure codes."""

import io
from pathlib import Path

import pytest

from regenlog.core import models as m
from regenlog.core.errors import ValidationError
from regenlog.core.spreadsheet import (
    Mapping,
    dry_run,
    import_csv,
    read_table,
    run_csv_import_cli,
    suggest_mapping,
)

DATA = Path(__file__).parent / "data"
VISITS = DATA / "my_prp_visits.csv"  # lines 4 (day-first date) and 5 (unknown code) are bad
NO_ONE_YET = (
    "No column names the patient, and this data folder has no one yet: enter the patient's "
    "name as the “Patient for rows without one” (in a mapping file, \"person\" under "
    "\"defaults\"), and every row will be recorded for that one new person."
)


def _suggested(path: Path) -> Mapping:
    table = read_table(path)
    return suggest_mapping(table.headers, table.rows)


def _counts(services) -> dict[str, int]:
    return {model.__name__: services.records.count(model)
            for model in (m.Person, m.Provider, m.Treatment, m.Receipt)}


# -- columns mapped by what they hold --------------------------------------------------------


def test_a_procedure_column_of_cpt_codes_fills_the_procedure_codes():
    mapping = _suggested(VISITS)
    assert mapping.columns == {
        "date_of_service": "Date", "provider": "Clinic", "diagnosis_codes": "Diagnosis",
        "procedure_codes": "Procedure", "amount": "Amount", "notes": "Notes",
    }
    # By its name alone, "Procedure" would have been the description.
    assert suggest_mapping(read_table(VISITS).headers).column("description") == "Procedure"


def test_five_digit_codes_count_under_a_service_name_and_dates_fill_the_date_of_service():
    mapping = _suggested(DATA / "cpt_digits_only.csv")
    assert mapping.columns == {
        "date_of_service": "Visit", "diagnosis_codes": "Codes", "procedure_codes": "Procedure",
        "amount": "Cost",
    }


@pytest.mark.parametrize(("header", "cells", "field"), [
    ("Procedure", ["PRP injection", "Follow-up"], "description"),  # words: a description
    ("Zip", ["83706", "83702"], None),  # five digits under another name: not codes
    ("Amount", ["12000", "850"], "amount"),
    ("Item", ["J3420", "96365, J3420"], "procedure_codes"),
    ("Code", ["M17.11", "M25.561 M17.11"], "diagnosis_codes"),
    ("Code", ["E1100", "S9055"], None),  # each reads as HCPCS and as ICD-10-CM: a guess
    ("Code", ["0232T", "M17.11"], None),  # two kinds in one column
])
def test_content_decides_only_where_it_is_unambiguous(header, cells, field):
    mapping = suggest_mapping(["Date", header], [("1/5/2026", cell) for cell in cells])
    named = {column: name for name, column in mapping.columns.items()}
    assert named.get(header) == field


def test_two_date_columns_are_not_guessed_between():
    mapping = suggest_mapping(["Seen", "Settled"], [("1/5/2026", "1/9/2026")])
    assert "date_of_service" not in mapping.columns


# -- the patient ------------------------------------------------------------------------------


def test_an_empty_folder_gets_every_row_checked_and_the_way_to_name_the_patient(services):
    report = dry_run(services.db, VISITS, _suggested(VISITS))
    assert [row.line for row in report.good_rows] == [2, 3]
    assert [(bad.line, bad.reason) for bad in report.bad_rows] == [
        (4, 'Date: "13/01/2026" is not a real calendar date.'),
        (5, "Diagnosis: M77.99 is not an ICD-10-CM code in the FY2026 code set."),
    ]
    assert report.problems == [NO_ONE_YET]
    assert not report.all_good
    assert report.new_people == [] and report.new_providers == ["Boise Sports & Spine"]
    assert NO_ONE_YET in report.lines()
    assert _counts(services) == dict.fromkeys(_counts(services), 0)
    with pytest.raises(ValidationError, match="every row will be recorded for that one new "
                                              "person; nothing was imported"):
        import_csv(services.db, VISITS, _suggested(VISITS), only_good_rows=True)
    assert _counts(services) == dict.fromkeys(_counts(services), 0)


def test_named_once_every_row_is_hers_with_its_procedure_codes(services):
    mapping = Mapping(columns=_suggested(VISITS).columns, default_person="Ana Reyes")
    report = dry_run(services.db, VISITS, mapping)
    assert report.problems == [] and report.new_people == ["Ana Reyes"]
    result = import_csv(services.db, VISITS, mapping, only_good_rows=True)
    assert result.people_created == ["Ana Reyes"] and result.treatments == 2
    [ana] = services.records.list(m.Person)
    first, second = (services.records.get(m.Treatment, tid) for tid in result.treatment_ids)
    assert first.person_id == second.person_id == ana.id
    assert [p.code for p in services.details.procedure_lines(second.id)] == ["0232T", "76942"]
    assert [(p.code, p.charge_cents) for p in services.details.procedure_lines(first.id)] == [
        ("0232T", 85000)
    ]
    assert first.description == ""  # the codes did not become a description


def test_a_household_of_two_is_asked_to_choose(services):
    for name in ("Dana Whitfield", "Marcus Whitfield"):
        services.records.create(m.Person, name=name)
    report = dry_run(services.db, VISITS, _suggested(VISITS))
    assert report.problems == [
        "No column names the patient, and this data folder holds 2 people (Dana Whitfield, "
        "Marcus Whitfield): choose the column that names the patient, or enter one of them as "
        "the “Patient for rows without one” (in a mapping file, \"person\" under \"defaults\")."
    ]
    assert len(report.good_rows) + len(report.bad_rows) == 4
    mapping = Mapping(columns=_suggested(VISITS).columns, default_person="marcus whitfield")
    result = import_csv(services.db, VISITS, mapping, only_good_rows=True)
    assert result.people_created == []  # matched by name, case ignored


def test_the_command_line_reports_every_row_and_the_way_on(services):
    out = io.StringIO()
    assert run_csv_import_cli(services.imports, VISITS, None, True, out) == 1
    text = out.getvalue()
    assert '"procedure_codes": "Procedure"' in text  # the printed mapping to save and edit
    assert "Checked 4 rows of my_prp_visits.csv (UTF-8): 2 good, 2 with problems." in text
    assert '  line 4: Date: "13/01/2026" is not a real calendar date.' in text
    assert NO_ONE_YET in text
    backups = []
    with pytest.raises(ValidationError, match="no one yet"):
        run_csv_import_cli(services.imports, VISITS, None, False, io.StringIO(),
                           only_good_rows=True, before_write=lambda: backups.append(1))
    assert backups == []  # no backup for an import that cannot go ahead
