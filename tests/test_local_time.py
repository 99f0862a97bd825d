"""Dana lives in Boise. She called her insurer at 8:30 pm on February 24 (03:30 UTC on the
25th, as the database stores it). Wherever she reads that call (a list in the app, a search,
the check, the confirmation letter, the bundle's statement and the file name of the call's
notes in the bundle) it is 8:30 pm on February 24: local time, from one function."""

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest

from regenlog.core import models as m
from regenlog.core.dates import local_date, local_time

UTC = dt.UTC
CALLED = dt.datetime(2026, 2, 25, 3, 30, tzinfo=UTC)


@pytest.fixture
def boise(time_zone):
    time_zone("America/Boise")


@pytest.fixture
def call(services, boise):
    r = services.records
    dana = r.create(m.Person, name="Dana Whitfield")
    plan = r.create(m.InsurancePlan, person_id=dana.id, insurer="Granite Peak Health")
    knee = r.create(m.Treatment, person_id=dana.id, plan_id=plan.id,
                    date_of_service=dt.date(2026, 3, 12), category="prp")
    r.create(m.Receipt, treatment_id=knee.id, paid_on=dt.date(2026, 3, 12), total_cents=85_000)
    call = r.create(m.InsurerCall, person_id=dana.id, plan_id=plan.id, treatment_id=knee.id,
                    called_at=CALLED, rep_name="Terrence B.", outcome="preauth_required")
    services.documents.attach_bytes(b"%PDF-1.4 notes", "notes.pdf", kind="correspondence",
                                    links=[("insurer_call", call.id)])
    return knee, call


def test_the_one_function_gives_the_patients_own_clock(boise):
    assert local_time(CALLED).strftime("%Y-%m-%d %H:%M %Z") == "2026-02-24 20:30 MST"
    assert local_time(CALLED.replace(tzinfo=None)) == local_time(CALLED)  # SQLite's naive UTC
    assert local_date(CALLED) == dt.date(2026, 2, 24)
    assert local_date(dt.date(2026, 2, 25)) == dt.date(2026, 2, 25)


def test_lists_and_search_file_the_call_under_its_local_day(services, call):
    from regenlog.core.record_kinds import record_date
    from regenlog.core.search import ListQuery, RecordLists

    _, c = call
    stored = services.records.get(m.InsurerCall, c.id)
    assert record_date(stored) == dt.date(2026, 2, 24)
    assert RecordLists.label(stored).startswith("2026-02-24 ")
    lists = RecordLists(services.db)
    assert lists.ids(ListQuery("insurer_call", text="2026-02-24")) == [c.id]
    assert lists.ids(ListQuery("insurer_call", text="2026-02-25")) == []


def test_the_check_and_the_letter_date_the_call_in_local_time(services, call):
    from regenlog.core.checklist import run_check
    from regenlog.core.letters import draft_for_call

    _, c = call
    gaps = run_check(services.db, today=dt.date(2026, 3, 1))
    incomplete = next(g for g in gaps.gaps if g.rule == "call.incomplete")
    assert "on 2026-02-24" in incomplete.message
    letter = draft_for_call(services, c.id, today=dt.date(2026, 3, 1))
    assert "February 24, 2026 at 20:30" in letter.body


@pytest.mark.usefixtures("qapp")
def test_the_bundle_prints_and_files_the_call_in_local_time(services, call, tmp_path):
    from regenlog.bundle import BundleSelection, export_bundle

    knee, _ = call
    target = tmp_path / "insurer.zip"
    export_bundle(services.db, BundleSelection(treatment_ids=(knee.id,)), "insurer", target,
                  today=dt.date(2026, 3, 20))
    archive = zipfile.ZipFile(target)
    notes = [n for n in archive.namelist() if "correspondence" in n]
    assert notes == ["documents/02-2026-02-24-correspondence-notes.pdf"]
    from pypdf import PdfReader

    reader = PdfReader(archive.open("01-statement.pdf"))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    assert "2026-02-24 20:30 MST" in text


@pytest.mark.usefixtures("qapp")
def test_the_app_shows_the_call_in_local_time(boise):
    from regenlog.ui.formats import Formats

    assert Formats().datetime(CALLED) == "02/24/2026 20:30"
    assert Formats(date_style="iso").datetime(CALLED.replace(tzinfo=None)) == "2026-02-24 20:30"


def test_only_the_one_function_turns_stored_times_into_local_ones():
    # Every reader calls regenlog.core.dates; none converts on its own (a second copy is how
    # the bundle once printed UTC while the letters printed local time).
    root = Path(__file__).resolve().parents[1] / "regenlog"
    converting = [
        str(path.relative_to(root)) for path in root.rglob("*.py")
        if re.search(r"\.astimezone\(\s*\)", path.read_text(encoding="utf-8"))
    ]
    assert converting == ["core/dates.py"]
