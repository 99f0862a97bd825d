"""One enum per vocabulary: the destinations, severities and record types every face of
RegenLog names are defined once, and the command line, the check and the bundle agree."""

import pytest

from regenlog.cli import build_parser
from regenlog.core.enums import ClaimDestination
from regenlog.core.errors import ValidationError
from regenlog.core.fileio import reading
from regenlog.core.text import plural
from regenlog.core.vocabulary import About, Destination, RecordType, Severity, check_destination


def test_each_bundle_asks_its_own_payer_and_an_appeal_asks_the_insurer_again():
    assert [d.payer for d in Destination] == [
        ClaimDestination.insurer, ClaimDestination.hsa, ClaimDestination.fsa,
        ClaimDestination.insurer,
    ]
    assert [d for d in Destination if d.to_account] == [Destination.hsa, Destination.fsa]
    assert [d.label for d in Destination] == [
        "Insurer claim", "HSA reimbursement", "FSA reimbursement", "Appeal",
    ]
    assert Destination.hsa.for_phrase == "an HSA reimbursement"
    assert [c.payer_name for c in ClaimDestination] == ["the insurer", "the HSA", "the FSA"]


def test_a_destination_is_its_string_wherever_it_is_stored_or_compared():
    assert Destination.appeal == "appeal" and f"{Destination.appeal}" == "appeal"
    assert {"hsa": 1}[Destination.hsa] == 1 and "fsa" in {Destination.fsa}
    assert check_destination("hsa") is Destination.hsa


def test_an_unknown_destination_is_one_sentence_naming_every_choice():
    with pytest.raises(ValidationError) as caught:
        check_destination("medicare")
    assert str(caught.value) == (
        '"medicare" is not a bundle destination; choose insurer, hsa, fsa or appeal.'
    )
    assert caught.value.field == "destination"


def test_the_command_line_offers_exactly_the_destinations():
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    for name in ("check", "bundle"):
        option = next(a for a in commands[name]._actions if a.dest == "destination")
        assert option.choices == [d.value for d in Destination]
    with pytest.raises(SystemExit):
        parser.parse_args(["check", "--destination", "medicare"])


def test_severities_are_listed_errors_first_with_the_words_the_app_shows():
    assert list(Severity) == ["error", "warning", "info"]
    assert [s.rank for s in Severity] == [0, 1, 2]
    assert [s.heading for s in Severity] == ["Errors", "Warnings", "Notes"]
    assert [s.noun for s in Severity] == ["error", "warning", "note"]
    assert list(About) == ["bundle", "patient"]


def test_record_types_are_the_table_names():
    assert RecordType.insurance_plan == "insurance_plan"
    assert len(RecordType) == 14


@pytest.mark.parametrize(("n", "noun", "nouns", "text"), [
    (0, "error", None, "0 errors"), (1, "error", None, "1 error"),
    (1, "person", None, "1 person"), (2, "person", None, "2 people"),
    (1200, "treatment", None, "1,200 treatments"), (2, "letter", "letters", "2 letters"),
])
def test_a_count_reads_as_a_patient_would_say_it(n, noun, nouns, text):
    assert plural(n, noun, nouns) == text


def test_a_file_that_cannot_be_read_is_one_sentence(tmp_path):
    missing = tmp_path / "visits.csv"
    with pytest.raises(ValidationError, match="^There is no file .*visits.csv.$"), \
            reading(missing, "a spreadsheet"):
        missing.read_bytes()
    with pytest.raises(ValidationError, match="^records is a folder, not a records file.$"), \
            reading(tmp_path / "records", "a records file"):
        (tmp_path / "records").mkdir()
        (tmp_path / "records").read_bytes()
