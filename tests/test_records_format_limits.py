"""The records format at its limits: huge numbers, rejected files that must leave no trace,
money counted twice, absurd nesting, and exports that cannot be written.

A refused import raises one sentence naming the JSON path, stores nothing, makes no
pre-import backup and leaves no attachment behind; a refused export leaves no partial
side folder and never removes anything that was there before.
"""

import copy
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from regenlog.core import models as m
from regenlog.core.errors import RegenLogError, ValidationError
from regenlog.core.money import MAX_CENTS
from regenlog.core.records_format import (
    SECTIONS,
    check_document,
    export_records,
    import_records,
    load_schema,
)
from regenlog.core.reimbursement import create_claim, update_claim
from regenlog.core.services import Services
from regenlog.resources import resource
from regenlog.store.backups import backup_before

DEMO = resource("demo", "demo.json")
BIGGEST_ID = 2**53 - 1  # the largest whole number every JSON reader keeps exact


@pytest.fixture
def demo() -> dict:
    """The shipped demo file, parsed (a private copy; its documents are files beside it)."""
    return json.loads(DEMO.read_text("utf-8"))


def counts(s: Services) -> dict[str, int]:
    return {key: s.records.count(model, include_deleted=True) for key, model in SECTIONS}


class Backups:
    """A before_write that takes the real pre-import backup and remembers it was called."""

    def __init__(self, s: Services):
        self.paths, self.calls = s.db.paths, 0

    def __call__(self):
        self.calls += 1
        return backup_before(self.paths, "import")

    def files(self) -> list[str]:
        return sorted(p.name for p in self.paths.backups.glob("*")) if self.paths.backups.is_dir() else []


def refused(s: Services, source, message: str, base_dir: Path | None = None) -> None:
    """Import ``source``; it must fail with ``message`` and leave ``s`` exactly as it was."""
    before, hashes = counts(s), s.db.attachments.all_hashes()
    backups = Backups(s)
    with pytest.raises(ValidationError) as caught:
        import_records(s.db, source, base_dir, before_write=backups)
    text = str(caught.value)
    assert text.startswith(message), text
    assert "\n" not in text and text.endswith(".")
    assert counts(s) == before and s.db.attachments.all_hashes() == hashes
    assert backups.calls == 0 and backups.files() == []


# -- 1. numbers that do not fit ----------------------------------------------------------------
def _set(document: dict, where: tuple, value) -> str:
    """Set the value at ``where`` under "records"; return its JSON path."""
    node = document["records"]
    for step in where[:-1]:
        node = node[step]
    node[where[-1]] = value
    return "$.records" + "".join(f".{s}" if isinstance(s, str) else f"[{s}]" for s in where)


@pytest.mark.parametrize(("where", "value"), [
    (("receipts", 0, "total_cents"), 2**62),
    (("receipts", 0, "lines", 0, "amount_cents"), 2**62),
    (("receipts", 0, "lines", 0, "amount_cents"), 10**30),
    (("treatments", 0, "procedure_lines", 0, "charge_cents"), MAX_CENTS + 1),
    (("financing_plans", 0, "payments", 0, "amount_cents"), 10**30),
    (("claims", 1, "amount_paid_cents"), 2**63),
    (("good_faith_estimates", 0, "total_cents"), 10**30),
])
def test_amounts_above_ten_million_dollars_are_refused(new_folder, demo, where, value):
    path = _set(demo, where, value)
    refused(new_folder(), demo, f"{path}: {value} cents is more than $10,000,000.00", DEMO.parent)


@pytest.mark.parametrize(("where", "value"), [
    (("people", 0, "id"), BIGGEST_ID + 1),
    (("treatments", 0, "person_id"), 10**30),
    (("documents", 0, "size"), 10**30),
    (("documents", 0, "links", 0, "record_id"), 2**63),
    (("treatments", 0, "procedure_lines", 0, "units"), 10**30),
    (("financing_plans", 0, "promo_months"), 2**64),
    (("accounts", 1, "run_out_days"), 10**30),
])
def test_other_whole_numbers_too_big_for_the_database_are_refused(new_folder, demo, where, value):
    path = _set(demo, where, value)
    refused(new_folder(), demo, f"{path}: {value} is more than ", DEMO.parent)


def test_the_largest_allowed_values_pass_the_schema(demo):
    records = demo["records"]
    records["receipts"][0]["lines"][0]["amount_cents"] = MAX_CENTS
    records["people"][0]["id"] = BIGGEST_ID
    records["documents"][0]["size"] = BIGGEST_ID
    check_document(demo)


def _integer_nodes(node, path=""):
    if isinstance(node, dict):
        kind = node.get("type")
        if kind == "integer" or (isinstance(kind, list) and "integer" in kind):
            yield path, node
        for key, child in node.items():
            yield from _integer_nodes(child, f"{path}/{key}")
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from _integer_nodes(child, f"{path}/{i}")


def test_every_whole_number_in_the_schema_is_bounded():
    """A new field cannot forget its maximum: SQLite stores at most 2**63 - 1, and sums of
    many amounts must fit too."""
    schema = load_schema()
    nodes = list(_integer_nodes(schema))
    assert len(nodes) > 5
    for path, node in nodes:
        if "const" in node or "enum" in node:
            continue
        assert "minimum" in node and "maximum" in node, path
        assert node["maximum"] <= BIGGEST_ID, path
    defs = schema["$defs"]
    assert defs["cents"]["maximum"] == defs["cents_or_null"]["maximum"] == MAX_CENTS
    assert defs["id"]["maximum"] == defs["id_or_null"]["maximum"] == BIGGEST_ID
    assert defs["financing_plan"]["properties"]["payments"]["items"]["properties"][
        "amount_cents"]["maximum"] == MAX_CENTS


def test_many_maximal_amounts_still_add_up(new_folder):
    """The totals the reports and `check` compute stay inside SQLite's integers."""
    receipts = [
        {"id": i, "treatment_id": 1, "paid_on": "2026-01-02", "total_cents": MAX_CENTS,
         "lines": [{"kind": "procedure", "amount_cents": MAX_CENTS}]}
        for i in range(1, 51)
    ]
    s = new_folder()
    import_records(s.db, {"format": "regenlog-records", "version": 1, "records": {
        "people": [{"id": 1, "name": "Ann"}],
        "treatments": [{"id": 1, "person_id": 1, "date_of_service": "2026-01-02",
                        "category": "prp"}],
        "receipts": receipts,
    }})
    from regenlog.core.reimbursement import treatment_money

    assert treatment_money(s.db)[1].paid_cents == 50 * MAX_CENTS


# -- 2. no backup and no stored file for a rejected file ----------------------------------------
def _side_file_document(tmp_path: Path) -> tuple[dict, Path]:
    content = b"%PDF-1.7 scan"
    (tmp_path / "in" / "files").mkdir(parents=True)
    (tmp_path / "in" / "files" / "scan.pdf").write_bytes(content)
    return {"format": "regenlog-records", "version": 1, "records": {
        "people": [{"id": 1, "name": "Dee"}],
        "documents": [{"id": 1, "sha256": hashlib.sha256(content).hexdigest(),
                       "size": len(content), "original_name": "scan.pdf",
                       "file": "files/scan.pdf",
                       "links": [{"record_type": "person", "record_id": 1}]}],
    }}, tmp_path / "in"


@pytest.mark.parametrize(("change", "message"), [
    (lambda doc: doc.update(sha256="0" * 64),
     "$.records.documents[0].file: the content's SHA-256 does not match"),
    (lambda doc: doc.update(file="../../../etc/passwd"),
     "$.records.documents[0].file: '../../../etc/passwd' must be a path inside"),
    (lambda doc: doc.update(file="files/missing.pdf"),
     '$.records.documents[0].file: the file "files/missing.pdf" is not in'),
    (lambda doc: doc.update(size=3),
     "$.records.documents[0].file: the content is 13 bytes"),
])
def test_a_file_with_a_bad_attachment_makes_no_backup(new_folder, tmp_path, change, message):
    document, base = _side_file_document(tmp_path)
    change(document["records"]["documents"][0])
    s = new_folder()
    s.records.create(m.Person, name="Already here")  # so a backup would have something to copy
    refused(s, document, message, base)


def test_a_good_file_backs_up_the_state_before_the_import(new_folder, tmp_path):
    document, base = _side_file_document(tmp_path)
    s = new_folder()
    s.records.create(m.Person, name="Already here")
    backups = Backups(s)
    import_records(s.db, document, base, before_write=backups)
    assert backups.calls == 1 and counts(s)["people"] == 2 and counts(s)["documents"] == 1
    [copy_] = s.db.paths.backups.glob("pre-import-*.sqlite3")
    with sqlite3.connect(copy_) as old:
        assert old.execute("SELECT count(*) FROM person").fetchone() == (1,)
        assert old.execute("SELECT count(*) FROM document").fetchone() == (0,)


def test_a_dry_run_makes_no_backup(new_folder, tmp_path):
    document, base = _side_file_document(tmp_path)
    s = new_folder()
    backups = Backups(s)
    import_records(s.db, document, base, dry_run=True, before_write=backups)
    assert backups.calls == 0 and s.db.attachments.all_hashes() == set()


# -- 3. money counted twice ------------------------------------------------------------------------
def _extra_hsa_claim(**values) -> dict:
    """A second HSA claim on demo treatment 3 (paid $7,000; the HSA already paid $2,400)."""
    claim = {"id": 99, "treatment_id": 3, "destination": "hsa", "account_id": 1,
             "amount_claimed_cents": 700_000, "status": "paid", "amount_paid_cents": 700_000}
    claim.update(values)
    return claim


@pytest.mark.parametrize(("claim", "field"), [
    (_extra_hsa_claim(), "amount_paid_cents"),
    (_extra_hsa_claim(status="submitted", amount_paid_cents=0), "amount_claimed_cents"),
    (_extra_hsa_claim(destination="insurer", account_id=None, plan_id=1),
     "amount_paid_cents"),
])
def test_a_claim_that_counts_money_twice_imports_and_is_named(new_folder, demo, claim, field):
    """A patient's own export must always restore, so the claim is imported, not refused,
    and the summary names it for the patient to fix."""
    demo["records"]["claims"].append(claim)
    last = len(demo["records"]["claims"]) - 1
    for dry_run in (True, False):
        s = new_folder()
        report = import_records(s.db, demo, DEMO.parent, dry_run=dry_run)
        assert report.warnings == (
            f"$.records.claims[{last}].{field}: The HSA already reimbursed $2,400.00 of this "
            "$7,000.00 treatment; you can claim at most $4,600.00 from the HSA."
            if claim["destination"] == "hsa" else report.warnings[0],
        )
        assert report.warnings[0].startswith(f"$.records.claims[{last}].{field}: ")
        assert "Imported as they are, but check this claim" in report.summary()
        assert counts(s)["claims"] == (0 if dry_run else len(demo["records"]["claims"]))


def test_of_two_claims_that_only_together_count_twice_the_later_is_named(new_folder, demo):
    """Claims count in file order, each against what the claims before it took."""
    claims = demo["records"]["claims"]
    claims.append(_extra_hsa_claim(amount_claimed_cents=300_000, amount_paid_cents=300_000))
    claims.append(_extra_hsa_claim(id=100, status="pending", amount_claimed_cents=200_000,
                                   amount_paid_cents=0))
    report = import_records(new_folder().db, demo, DEMO.parent)
    assert report.warnings == (
        f"$.records.claims[{len(claims) - 1}].amount_claimed_cents: The HSA already "
        "reimbursed $5,400.00 of this $7,000.00 treatment; you can claim at most $1,600.00 "
        "from the HSA.",
    )


def test_an_export_whose_claims_were_changed_out_of_order_still_restores(new_folder):
    """Earlier, raising an insurer claim could leave an earlier HSA claim over its share
    (the claim service now refuses that; the raw record service stands in for the old one).
    The export of such a database must still import."""
    s = new_folder()
    r = s.records
    dana = r.create(m.Person, name="Dana")
    plan = r.create(m.InsurancePlan, person_id=dana.id, insurer="Aetna")
    hsa = r.create(m.Account, person_id=dana.id, kind="hsa")
    t = r.create(m.Treatment, person_id=dana.id, plan_id=plan.id, category="prp",
                 date_of_service=dt.date(2026, 3, 2))
    r.create(m.Receipt, treatment_id=t.id, paid_on=dt.date(2026, 3, 2), total_cents=70_000)
    r.create(m.Receipt, treatment_id=t.id, paid_on=dt.date(2026, 3, 2), total_cents=30_000,
             payment_method="hsa_card")
    insurer = create_claim(s, treatment_id=t.id, destination="insurer", plan_id=plan.id,
                           amount_claimed_cents=20_000)
    create_claim(s, treatment_id=t.id, destination="hsa", account_id=hsa.id,
                 amount_claimed_cents=50_000)
    with pytest.raises(ValidationError):
        update_claim(s, insurer.id, amount_claimed_cents=50_000)
    r.update(m.Claim, insurer.id, amount_claimed_cents=50_000)
    second = new_folder()
    report = import_records(second.db, export_records(s, None))
    assert counts(second) == counts(s) and report.ids_kept
    assert len(report.warnings) == 1 and report.warnings[0].startswith("$.records.claims[1].")


def test_a_claim_the_form_would_refuse_imports_and_is_named(new_folder, demo):
    claims = demo["records"]["claims"]
    fsa = next(i for i, c in enumerate(claims) if c["destination"] == "fsa")
    claims[fsa]["account_id"] = 1  # the HSA
    claims[fsa]["submitted_on"] = "2020-01-01"
    report = import_records(new_folder().db, demo, DEMO.parent)
    assert report.warnings == (
        f"$.records.claims[{fsa}].account_id: An FSA claim goes to an FSA; this account is "
        "an HSA.",
    )


def test_a_claim_that_fits_or_is_in_the_trash_imports(new_folder, demo):
    claims = demo["records"]["claims"]
    claims.append(_extra_hsa_claim(amount_claimed_cents=460_000, amount_paid_cents=460_000))
    claims.append(_extra_hsa_claim(id=100, deleted_at="2026-05-01T00:00:00Z"))
    claims.append(_extra_hsa_claim(id=101, status="denied", amount_paid_cents=0))
    s = new_folder()
    import_records(s.db, demo, DEMO.parent)
    assert counts(s)["claims"] == len(claims)


def test_the_demo_and_its_export_still_import(new_folder):
    s = new_folder()
    import_records(s.db, DEMO)
    second = new_folder()
    import_records(second.db, export_records(s, None))
    assert counts(second) == counts(s)


# -- 4. absurd nesting -------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "[" * 100_000,
    '{"format": "regenlog-records", "version": 1, "records": ' + '{"a": ' * 100_000,
    "[" * 100_000 + "]" * 100_000,
])
def test_deeply_nested_json_gets_one_sentence(new_folder, tmp_path, text):
    path = tmp_path / "r.json"
    path.write_text(text, "utf-8")
    refused(new_folder(), path, "r.json is not a RegenLog records file: its data is nested")


def test_nesting_that_parses_is_refused_by_the_schema(new_folder, tmp_path):
    deep = "[" * 900 + "]" * 900
    path = tmp_path / "r.json"
    path.write_text('{"format": "regenlog-records", "version": 1, "records": {"people": '
                    f'[{{"id": 1, "name": {deep}}}]}}}}', "utf-8")
    refused(new_folder(), path, "$.records.people[0].name: a list is not text.")


# -- 5. exports that cannot be written --------------------------------------------------------------
@pytest.fixture
def demo_data(new_folder) -> Services:
    s = new_folder()
    import_records(s.db, DEMO)
    return s


@pytest.fixture
def out(tmp_path) -> Path:
    """An empty folder to export into (tmp_path itself holds the data folders)."""
    (tmp_path / "out").mkdir()
    return tmp_path / "out"


def _listing(root: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


def test_export_to_an_existing_folder_is_refused(demo_data, out):
    (out / "records").mkdir()
    with pytest.raises(RegenLogError, match=r"is a folder, not a file name") as caught:
        export_records(demo_data, out / "records")
    assert "\n" not in str(caught.value)
    assert _listing(out) == {"records": None}


def test_export_beside_a_file_named_like_the_side_folder_is_refused(demo_data, out):
    (out / "r.files").write_text("mine")
    with pytest.raises(RegenLogError, match=r"r\.files.* is a file"):
        export_records(demo_data, out / "r.json")
    assert _listing(out) == {"r.files": b"mine"}


def test_a_failed_export_leaves_no_partial_side_folder(demo_data, out):
    doc = demo_data.records.list(m.Document)[5]
    demo_data.db.attachments.path_for(doc.sha256).unlink()
    with pytest.raises(RegenLogError, match="is missing from the data folder"):
        export_records(demo_data, out / "r.json")
    assert _listing(out) == {}


def test_a_failed_export_keeps_what_the_side_folder_held_before(demo_data, out):
    target = out / "r.json"
    export_records(demo_data, target)
    (out / "r.files" / "my-notes.txt").write_text("keep me")
    target.write_text("the earlier export")
    before = _listing(out)
    new = demo_data.documents.attach_bytes(b"a new scan", "new.pdf")  # copied, then...
    lost = demo_data.documents.attach_bytes(b"another scan", "lost.pdf")
    demo_data.db.attachments.path_for(lost.sha256).unlink()  # ...this one fails
    with pytest.raises(RegenLogError, match="is missing from the data folder"):
        export_records(demo_data, target)
    assert _listing(out) == before
    assert not (out / "r.files" / new.sha256).exists()


def test_exporting_again_over_an_earlier_export_works(demo_data, tmp_path):
    target = tmp_path / "x" / "r.json"
    target.parent.mkdir()
    export_records(demo_data, target)
    demo_data.documents.attach_bytes(b"a new scan", "new.pdf")
    export_records(demo_data, target)
    names = {p.name for p in (target.parent / "r.files").iterdir()}
    assert names == {d.sha256 for d in demo_data.records.list(m.Document)}
    assert sorted(p.name for p in target.parent.iterdir()) == ["r.files", "r.json"]


def test_an_export_with_no_documents_writes_no_side_folder(new_folder, tmp_path):
    s = new_folder()
    s.records.create(m.Person, name="Ann")
    (tmp_path / "x").mkdir()
    export_records(s, tmp_path / "x" / "r.json")
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == ["r.json"]


# -- the command line: exit 2, one sentence, nothing changed ------------------------------------
def regenlog(*args, data_dir):
    return subprocess.run(
        [sys.executable, "-m", "regenlog", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, timeout=120,
    )


def test_the_command_line_refuses_with_one_sentence_and_changes_nothing(tmp_path):
    data = tmp_path / "data"
    assert regenlog("demo", data_dir=data).returncode == 0
    before = sorted(os.listdir(data / "backups"))
    demo = json.loads(DEMO.read_text("utf-8"))
    damaged = copy.deepcopy(demo)
    damaged["records"]["documents"][0]["sha256"] = "0" * 64
    shutil.copytree(DEMO.parent / "files", tmp_path / "files")  # the demo's "file" paths
    cases = {"damaged.json": json.dumps(damaged), "deep.json": "[" * 100_000}
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text, "utf-8")
        result = regenlog("import", str(path), data_dir=data)
        assert result.returncode == 2, (name, result.stderr)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
        assert sorted(os.listdir(data / "backups")) == before, name
    with sqlite3.connect(data / "regenlog.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM claim").fetchone() == (len(demo["records"]["claims"]),)

    # A claim counting money twice imports (exit 0), and the summary names it.
    double = copy.deepcopy(demo)
    double["records"]["claims"].append(_extra_hsa_claim())
    (tmp_path / "double.json").write_text(json.dumps(double), "utf-8")
    result = regenlog("import", str(tmp_path / "double.json"), data_dir=data)
    assert result.returncode == 0, result.stderr
    assert "check this claim" in result.stdout and "claim at most $4,600.00" in result.stdout

    out = tmp_path / "out"
    out.mkdir()
    result = regenlog("export-json", "-o", str(out), data_dir=data)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert os.listdir(tmp_path / "out") == [] and not (tmp_path / "out.files").exists()
