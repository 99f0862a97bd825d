"""The command line, run as a patient or a script would: ``python -m regenlog ...``."""

import json
import subprocess
import sys

import pytest

from regenlog import __version__


def regenlog(*args, data_dir=None, **kwargs):
    command = [sys.executable, "-m", "regenlog"]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    return subprocess.run(command + list(args), capture_output=True, text=True, timeout=120, **kwargs)


def test_version():
    result = regenlog("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"RegenLog {__version__}"


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo") / "data"
    result = regenlog("demo", data_dir=folder)
    assert result.returncode == 0, result.stderr
    assert "The demo household is in" in result.stdout
    return folder


def test_demo_refuses_a_folder_that_already_has_records(demo_folder):
    result = regenlog("demo", data_dir=demo_folder)
    assert result.returncode == 2
    assert "already holds records" in result.stderr
    assert result.stderr.count("\n") == 1  # one sentence, no traceback


def test_export_import_export_gives_back_the_same_records(demo_folder, tmp_path):
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "records.json", tmp_path / "b" / "records.json"
    assert regenlog("export-json", "-o", str(first), data_dir=demo_folder).returncode == 0
    fresh = tmp_path / "fresh"
    result = regenlog("import", str(first), data_dir=fresh)
    assert result.returncode == 0, result.stderr
    assert regenlog("export-json", "-o", str(second), data_dir=fresh).returncode == 0
    a, b = json.loads(first.read_text()), json.loads(second.read_text())
    a.pop("exported_at"), b.pop("exported_at")
    assert a == b
    assert a["records"]["treatments"], "the demo has treatments"
    files_a = sorted(p.name for p in (tmp_path / "a" / "records.files").iterdir())
    files_b = sorted(p.name for p in (tmp_path / "b" / "records.files").iterdir())
    assert files_a == files_b and len(files_a) == len(a["records"]["documents"])


def test_export_to_standard_output_embeds_the_documents(demo_folder):
    result = regenlog("export-json", data_dir=demo_folder)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["format"] == "regenlog-records"
    assert all("content_base64" in d for d in document["records"]["documents"])


def test_a_broken_file_is_rejected_with_its_json_path_and_nothing_imported(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({
        "format": "regenlog-records", "version": 1,
        "records": {"people": [{"id": 1, "name": "Dana", "date_of_birth": "1964-13-02"}]},
    }))
    data = tmp_path / "data"
    result = regenlog("import", str(bad), data_dir=data)
    assert result.returncode == 2
    assert "people[0]" in result.stderr
    exported = json.loads(regenlog("export-json", data_dir=data).stdout)
    assert exported["records"]["people"] == []


@pytest.mark.parametrize(
    "args, sentence",
    [
        (["import", "notes.txt"], "neither a .json records file nor a .csv"),
        (["import", "missing.json"], "missing.json"),
    ],
)
def test_bad_input_exits_2_with_one_sentence(tmp_path, args, sentence):
    result = regenlog(*args, data_dir=tmp_path / "data", cwd=tmp_path)
    assert result.returncode == 2
    assert sentence in result.stderr
    assert "Traceback" not in result.stderr


def test_codes_lists_matches_with_billable_status():
    result = regenlog("codes", "tennis", "elbow")
    assert result.returncode == 0
    assert "M77.11" in result.stdout and "billable" in result.stdout
    result = regenlog("codes", "M54.5")
    assert "M54.5" in result.stdout and "heading, not billable" in result.stdout
    missing = regenlog("codes", "qqqzzz")
    assert missing.returncode == 2 and "No ICD-10-CM code matches" in missing.stderr


def test_csv_dry_run_reports_bad_rows_and_imports_nothing(tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "Date,Patient,Category,Amount,ICD\n"
        "1/15/2026,Dana Whitfield,PRP,\"$1,200.00\",M77.11\n"
        "13/45/2026,Dana Whitfield,PRP,$50.00,M77.11\n"
    )
    data = tmp_path / "data"
    result = regenlog("import", str(sheet), "--dry-run", data_dir=data)
    assert result.returncode == 1, result.stderr
    assert "line 3" in result.stdout and "nothing was imported" in result.stdout
    assert not data.exists()  # a dry run stores nothing, not even a new folder
    result = regenlog("import", str(sheet), "--good-rows-only", data_dir=data)
    assert result.returncode == 0, result.stderr
    exported = json.loads(regenlog("export-json", data_dir=data).stdout)
    assert len(exported["records"]["treatments"]) == 1


def test_a_newer_database_is_refused_by_every_command(tmp_path):
    import sqlite3

    from regenlog.store.database import open_database
    from regenlog.store.paths import DataPaths

    data = tmp_path / "data"
    open_database(DataPaths(data)).close()
    with sqlite3.connect(data / "regenlog.sqlite3") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    result = regenlog("export-json", data_dir=data)
    assert result.returncode == 2 and "newer version of RegenLog" in result.stderr


def test_bundle_for_an_insurer_from_the_demo(demo_folder, tmp_path):
    import zipfile

    out = tmp_path / "knee.zip"
    result = regenlog("bundle", "--destination", "insurer", "--treatment", "3", "-o", str(out),
                      data_dir=demo_folder)
    assert result.returncode == 0, result.stderr
    assert "gaps remain" in result.stderr or "No gaps remain" in result.stderr
    names = zipfile.ZipFile(out).namelist()
    assert {"00-cover-letter.pdf", "01-statement.pdf", "index.csv", "manifest.json",
            "fhir/bundle.json"} <= set(names)


def test_bundle_refuses_an_empty_password_and_leaves_nothing(demo_folder, tmp_path):
    password = tmp_path / "pw.txt"
    password.write_text("\n")
    out = tmp_path / "secret.zip"
    result = regenlog("bundle", "--destination", "hsa", "--treatment", "3", "-o", str(out),
                      "--password-file", str(password), data_dir=demo_folder)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert list(tmp_path.glob("secret*")) == []


def test_check_prints_the_gaps_and_strict_fails_on_errors(demo_folder):
    human = regenlog("check", data_dir=demo_folder)
    assert human.returncode == 0
    assert "ERROR  appeal.deadline" in human.stdout
    assert "[treatment 9]" in human.stdout  # gaps are grouped under their treatment
    as_json = regenlog("check", "--json", "--strict", data_dir=demo_folder)
    assert as_json.returncode == 1
    gaps = json.loads(as_json.stdout)
    assert all(list(g) == ["rule", "severity", "record_type", "record_id", "message", "fix",
                           "about"] for g in gaps)
    assert {"appeal.deadline", "iv.no_lab", "call.unconfirmed"} <= {g["rule"] for g in gaps}
    hsa = json.loads(regenlog("check", "--json", "--destination", "hsa", data_dir=demo_folder).stdout)
    assert {g["rule"] for g in hsa} < {g["rule"] for g in gaps}


def test_backup_verify_restore_round_trip(demo_folder, tmp_path):
    archive = tmp_path / "backup.zip"
    made = regenlog("backup", "-o", str(archive), data_dir=demo_folder)
    assert made.returncode == 0, made.stderr
    other = tmp_path / "restored"
    restored = regenlog("restore", str(archive), data_dir=other)
    assert restored.returncode == 0, restored.stderr
    verified = regenlog("verify", data_dir=other)
    assert verified.returncode == 0 and "everything is in order" in verified.stdout
    a = json.loads(regenlog("export-json", data_dir=demo_folder).stdout)
    b = json.loads(regenlog("export-json", data_dir=other).stdout)
    a.pop("exported_at"), b.pop("exported_at")
    assert a == b


def test_verify_names_a_missing_attachment_in_plain_words(tmp_path):
    data = tmp_path / "data"
    assert regenlog("demo", data_dir=data).returncode == 0
    victim = next(p for p in (data / "attachments").rglob("*") if p.is_file())
    victim.unlink()
    result = regenlog("verify", data_dir=data)
    assert result.returncode == 1
    assert "is missing from the data folder" in result.stdout


def test_writing_commands_refuse_a_folder_open_elsewhere(tmp_path):
    """A command that writes takes the folder's writer lock, like the window does."""
    from regenlog.store.lock import acquire_writer_lock
    from regenlog.store.paths import DataPaths

    data = tmp_path / "data"
    with acquire_writer_lock(DataPaths(data)):
        result = regenlog("demo", data_dir=data)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.strip()
    assert regenlog("demo", data_dir=data).returncode == 0


def test_exports_never_write_into_the_data_folder(demo_folder):
    database = demo_folder / "regenlog.sqlite3"
    before = database.read_bytes()[:100]
    for args in (["backup", "-o", str(database)], ["export-json", "-o", str(database)],
                 ["bundle", "--destination", "insurer", "--treatment", "3", "-o",
                  str(demo_folder / "bundle.zip")]):
        result = regenlog(*args, data_dir=demo_folder)
        assert result.returncode == 2, args
        assert "inside its own data folder" in result.stderr
    assert database.read_bytes()[:100] == before
    assert not (demo_folder / "bundle.zip").exists()


def test_a_mistyped_data_folder_is_not_an_empty_success(tmp_path):
    for args in (["check", "--strict"], ["export-json"]):
        result = regenlog(*args, data_dir=tmp_path / "typo")
        assert result.returncode == 2 and "There is no RegenLog data" in result.stderr
    assert not (tmp_path / "typo").exists()


def test_a_rejected_import_leaves_no_backup_behind(tmp_path):
    data = tmp_path / "data"
    assert regenlog("demo", data_dir=data).returncode == 0
    before = sorted((data / "backups").iterdir())
    bad = tmp_path / "cut.json"
    bad.write_text('{"format": "regenlog-records", "version": 1, "records": {')
    assert regenlog("import", str(bad), data_dir=data).returncode == 2
    assert sorted((data / "backups").iterdir()) == before
