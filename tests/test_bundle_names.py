"""File names in the bundle open on every system: a patient's "CON.pdf" or a scan named
"../../etc/passwd" must neither break Windows nor climb out of the unzip folder."""

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regenlog.bundle.names import UniqueNames, document_file_name, is_safe_name, safe_name


@pytest.mark.parametrize(
    "typed, safe",
    [
        ("../../etc/passwd", "etc-passwd"),
        ("..\\..\\Windows\\win.ini", "Windows-win.ini"),
        ("CON.pdf", "_CON.pdf"),
        ("prn", "_prn"),
        ("Lpt1 .txt", "_Lpt1.txt"),
        ("COM9.tar.gz", "_COM9.tar.gz"),
        ("Receipt – März 2026.PDF", "Receipt-Marz-2026.pdf"),
        ("scan.   ", "scan"),
        ("  .hidden", "hidden"),
        ("a\x00b\x1fc.jpg", "a-b-c.jpg"),
        ('what?<>:"|*.png', "what.png"),
        ("日本語.pdf", "document.pdf"),
        ("", "document"),
    ],
)
def test_a_name_becomes_safe(typed, safe):
    assert safe_name(typed) == safe
    assert is_safe_name(safe)


def test_long_names_are_cut_but_keep_their_extension():
    name = safe_name("x" * 500 + ".pdf")
    assert len(name) <= 100 and name.endswith(".pdf")


def test_the_same_name_twice_differs_even_where_case_does_not_count():
    names = UniqueNames()
    assert [names.take(n) for n in ("Scan.pdf", "scan.PDF", "scan.pdf", "CON", "con")] == [
        "Scan.pdf", "scan-2.pdf", "scan-3.pdf", "_CON", "_con-2"]


def test_a_document_name_starts_with_its_number_date_and_kind():
    assert document_file_name(
        "07", "2026-03-10", "medical_necessity_letter", "Letter from Dr. Ortiz", "scan 3.PDF"
    ) == "07-2026-03-10-medical-necessity-letter-Letter-from-Dr.-Ortiz.pdf"


@given(st.lists(st.text(max_size=300), min_size=1, max_size=30))
def test_any_names_come_out_safe_and_unique(typed):
    names = UniqueNames()
    out = [names.take(t) for t in typed]
    assert all(is_safe_name(n) for n in out), out
    assert len({n.casefold() for n in out}) == len(out)
    for n in out:
        # Unzipping cannot leave the folder: no separators, no "..", no drive letters.
        assert "/" not in n and "\\" not in n and ":" not in n and n not in (".", "..")


@given(st.text(max_size=200))
def test_a_safe_name_survives_a_zip_round_trip(typed):
    name = safe_name(typed)
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr(f"documents/{name}", b"x")
    with zipfile.ZipFile(data) as archive:
        assert archive.namelist() == [f"documents/{name}"]
