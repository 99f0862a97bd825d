"""`regenlog codes`: a code that is not one gets the checker's own sentence."""

import pytest

from regenlog.cli import main
from regenlog.core.codes import check_icd10


@pytest.mark.parametrize("typed", ["T15.01A", "t1501a", "S46.011G", "M17.99"])
def test_a_code_that_is_not_one_gets_the_checkers_sentence(typed, capsys, tmp_path):
    assert main(["--data-dir", str(tmp_path / "none"), "codes", typed]) == 2
    err = capsys.readouterr().err
    assert err == f"regenlog: {check_icd10(typed).message}\n"
    assert not (tmp_path / "none").exists()  # a lookup creates no data folder


def test_the_placeholder_hint_names_the_right_code(capsys):
    assert main(["codes", "T15.01A"]) == 2
    assert capsys.readouterr().err == (
        "regenlog: T15.01A is missing its placeholder X: the 7th character must sit in "
        "position 7, so write T15.01XA.\n"
    )


def test_words_that_match_nothing_still_say_so(capsys):
    assert main(["codes", "qqqzzz"]) == 2
    assert 'No ICD-10-CM code matches "qqqzzz"' in capsys.readouterr().err
