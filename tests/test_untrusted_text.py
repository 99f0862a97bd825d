"""What a records file or a typed name can hold that no real text has: numbers thousands of
digits long, lone surrogates, NUL characters, megabytes in one code, terminal escapes and
direction overrides. Each ends in one short sentence, and nothing of it reaches a terminal,
a CSV file or a PDF."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regenlog.bundle.markup import esc
from regenlog.cli import main
from regenlog.core import models as m
from regenlog.core.enums import Category
from regenlog.core.errors import ValidationError
from regenlog.core.records_format import export_records, import_records, read_document
from regenlog.core.reports import report_csv, report_rows

ESCAPES = "\x1b]0;owned\x07\x1b[2J\x1b[31m"
OVERRIDE = "\u202e"


def regenlog(folder: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--data-dir", str(folder), *args])
    return code, out.getvalue(), err.getvalue()


def records_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "records.json"
    path.write_text(text, encoding="utf-8")
    return path


def document(records: dict) -> str:
    return json.dumps({"format": "regenlog-records", "version": 1, "records": records})


PERSON = {"id": 1, "name": "Dana Whitfield"}


@pytest.mark.parametrize("text, words", [
    ('{"format": "regenlog-records", "version": 1, "records": {"people": [{"id": '
     + "9" * 5000 + ', "name": "Dana"}]}}', "holds a number 5,000 digits long"),
    (document({"people": [{"id": 1, "name": "Dana \ud800"}]}).replace("\\ud800", "\\ud800"),
     "$.records.people[0].name: this text holds half of a character pair"),
    (document({"documents": [{"id": 1, "sha256": "0" * 64, "original_name": "scan.pdf",
                              "size": 3, "file": "scan\u0000.pdf"}]}),
     "$.records.documents[0].file: this text holds a NUL character"),
])
def test_what_no_real_text_holds_ends_in_one_sentence(tmp_path, text, words):
    code, _, err = regenlog(tmp_path / "data", "import", "--dry-run",
                            str(records_file(tmp_path, text)))
    assert code == 2, err
    assert "Traceback" not in err and err.count("\n") == 1
    assert words in err


def test_a_two_megabyte_code_is_not_echoed_back_as_the_sentence(tmp_path):
    huge = "M" * 2_000_000
    text = document({"people": [PERSON], "treatments": [{
        "id": 1, "person_id": 1, "date_of_service": "2026-01-01", "category": "prp",
        "diagnoses": [{"code": huge, "description": ""}]}]})
    code, _, err = regenlog(tmp_path / "data", "import", "--dry-run",
                            str(records_file(tmp_path, text)))
    assert code == 2
    assert len(err) < 1000 and "…" in err
    assert "$.records.treatments[0].diagnoses[0].code" in err


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(st.one_of(
    st.characters(), st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), st.just("\x00"),
), min_size=1, max_size=40))
def test_any_text_as_a_name_is_read_or_refused_with_a_sentence(tmp_path, name):
    path = tmp_path / "any.json"
    path.write_text(document({"people": [{"id": 1, "name": name}]}), encoding="utf-8")
    try:
        parsed = read_document(path)
    except ValidationError as error:
        assert str(error).startswith("$.records.people[0].name: this text holds")
        return
    assert parsed["records"]["people"][0]["name"] == name
    name.encode("utf-8")  # only a text that can be stored got through
    assert "\x00" not in name


def test_check_texts_names_the_path_of_a_bad_key():
    from regenlog.core.records_format.importer import check_texts

    with pytest.raises(ValidationError, match=r"^\$\.records\.people\[0\]: this text holds"):
        check_texts({"records": {"people": [{"\ud800": 1}]}}, "x.json")


# -- ids --------------------------------------------------------------------------------------
def test_an_id_at_the_documented_maximum_leaves_room_for_the_next_record(services, tmp_path):
    path = records_file(tmp_path, document({"people": [{"id": 2**53 - 1, "name": "Dana"}]}))
    report = import_records(services.db, path)
    assert "with new ids" in report.summary()
    marcus = services.records.create(m.Person, name="Marcus")
    assert marcus.id <= 2**53 - 1
    again = tmp_path / "again.json"
    export_records(services.db, again)
    code, out, err = regenlog(tmp_path / "fresh", "import", "--dry-run", str(again))
    assert code == 0, err
    assert "importing it would add 2 people" in out


# -- terminal, CSV, PDF -----------------------------------------------------------------------
def test_printable_removes_controls_and_overrides_and_keeps_real_text():
    from regenlog.core.text import printable

    assert printable(f"Dana{ESCAPES} Whitfield{OVERRIDE}00.058,1$") == \
        "Dana]0;owned[2J[31m Whitfield00.058,1$"
    assert printable("Zoë Ångström\tשרה כהן\nمريم") == "Zoë Ångström\tשרה כהן\nمريم"
    assert printable("half \ud800 pair") == "half \ufffd pair"


@pytest.fixture
def evil_name(services):
    person = services.records.create(m.Person, name=f"Dana{ESCAPES}{OVERRIDE} Whitfield")
    services.records.create(m.Treatment, person_id=person.id, category=Category.prp,
                            date_of_service=dt.date(2026, 3, 2), body_site="knee")
    return person


def test_check_prints_no_escape_sequence(services, evil_name):
    folder = services.db.paths.root
    services.db.close()
    code, out, _ = regenlog(folder, "check")
    assert code == 0
    assert "Dana]0;owned[2J[31m Whitfield" in out
    assert "\x1b" not in out and "\x07" not in out and OVERRIDE not in out
    code, out, _ = regenlog(folder, "check", "--json")
    assert "\x1b" not in out and OVERRIDE not in out


def test_the_csv_report_holds_no_control_character(services, evil_name):
    text = report_csv(report_rows(services.db, 2026))
    assert "Dana]0;owned[2J[31m Whitfield" in text
    assert "\x1b" not in text and OVERRIDE not in text


def test_pdf_text_holds_no_override():
    assert esc(f"Paid {OVERRIDE}00.058,1$ to <Clinic>{ESCAPES}") == \
        "Paid 00.058,1$ to &lt;Clinic&gt;]0;owned[2J[31m"


def test_the_cover_letter_lays_out_no_override_or_escape(services, evil_name, tmp_path, qapp,
                                                        monkeypatch):
    """What Qt is given to lay out: an override there reverses the text on the page (a PDF's
    extracted text keeps the logical order, so the page's words are checked before layout)."""
    from regenlog.bundle import BundleSelection, export_bundle, pdf

    laid_out: list[str] = []
    real = pdf.render_pdf

    def spy(body_html, *, title, footer):
        laid_out.append(body_html)
        return real(body_html, title=title, footer=footer)

    monkeypatch.setattr(pdf, "render_pdf", spy)
    visit = services.records.list(m.Treatment)[0]
    export_bundle(services.db, BundleSelection(treatment_ids=(visit.id,)), "insurer",
                  tmp_path / "bundle.zip", today=dt.date(2026, 7, 1))
    text = "".join(laid_out)
    assert "Whitfield" in text
    assert OVERRIDE not in text and "\x1b" not in text and "\x07" not in text
