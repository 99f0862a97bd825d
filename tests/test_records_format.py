"""The records format: a patient exports everything, imports it elsewhere, and nothing changes.

Every test imports into its own data folders under tmp_path. To keep the file fast, each new
data folder starts from a copy of one freshly migrated, empty database (made with the SQLite
backup API) instead of running the migrations again, and the rich household that tests export
from is built once per module and never changed.
"""

import base64
import datetime as dt
import hashlib
import itertools
import json
import re
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from sqlmodel import select
from strategies import households, populate

from regenlog.core import enums
from regenlog.core import models as m
from regenlog.core.errors import ValidationError
from regenlog.core.record_kinds import RECORD_KINDS
from regenlog.core.records_format import (
    SECTIONS,
    dumps,
    export_records,
    import_records,
    load_schema,
)
from regenlog.core.records_format.layout import columns, required_fields
from regenlog.core.services import ProcedureInput, ReceiptLineInput, Services
from regenlog.store.database import open_database
from regenlog.store.paths import DataPaths
from regenlog.store.sqlite_backup import snapshot

UTC = dt.UTC


# -- data folders ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    paths = DataPaths(tmp_path_factory.mktemp("template") / "data")
    open_database(paths).close()
    return paths.database


@pytest.fixture
def folder(tmp_path, template):
    """folder(name) -> Services over a new, empty data folder under tmp_path."""
    opened: list[Services] = []

    def make(name: str) -> Services:
        paths = DataPaths(tmp_path / name).ensure()
        snapshot(template, paths.database)
        services = Services(open_database(paths))
        opened.append(services)
        return services

    yield make
    for services in opened:
        services.db.close()


def counts(services: Services) -> dict[str, int]:
    return {key: services.records.count(model, include_deleted=True) for key, model in SECTIONS}


def same_ignoring_export_time(a: dict, b: dict) -> bool:
    return dumps({**a, "exported_at": ""}) == dumps({**b, "exported_at": ""})


def without_time(text: str) -> str:
    return re.sub(r'"exported_at": "[^"]*"', '"exported_at": ""', text, count=1)


# -- a household with one of everything --------------------------------------------------------
def build_rich(s: Services) -> dict[str, int]:
    r, d = s.records, s.details
    ann = r.create(m.Person, name="Ann Lée", date_of_birth=dt.date(1968, 4, 2), sex="F",
                   address="12 Elm St\nSpringfield", notes="Primary account holder ✓")
    bob = r.create(m.Person, name="Bob Lee")
    clinic = r.create(m.Provider, name="Regen Ortho Clinic", is_organization=True,
                      npi="1234567893", tax_id="12-3456789", address="1 Main St",
                      place_of_service="11")
    plan = r.create(m.InsurancePlan, person_id=ann.id, insurer="Aetna", plan_type="commercial",
                    member_id="W123", filing_limit_days=365)
    hsa = r.create(m.Account, person_id=ann.id, kind="hsa", opened_on=dt.date(2024, 1, 1))
    r.create(m.Account, person_id=ann.id, kind="fsa", plan_year_start=dt.date(2026, 1, 1),
             plan_year_end=dt.date(2026, 12, 31), extension="grace_period",
             grace_period_end=dt.date(2027, 3, 15))
    knee = r.create(m.Treatment, person_id=ann.id, provider_id=clinic.id, plan_id=plan.id,
                    date_of_service=dt.date(2026, 3, 2), category="prp", body_site="knee",
                    side="right", indication="Osteoarthritis", regulatory_note="hctp_361")
    d.set_diagnoses(knee.id, ["m17.11", "M25.561"])
    d.set_procedure_lines(knee.id, [
        ProcedureInput("0232T", 150_000, modifiers="rt", pointers="AB", description="PRP"),
        ProcedureInput("76942", 25_000, pointers="A"),
    ])
    iv = r.create(m.Treatment, person_id=ann.id, date_of_service=dt.date(2026, 4, 1),
                  category="iv_therapy")
    old = r.create(m.Treatment, person_id=bob.id, date_of_service=dt.date(2025, 1, 5),
                   category="consultation")
    r.create(m.GoodFaithEstimate, person_id=ann.id, provider_id=clinic.id, treatment_id=knee.id,
             issued_on=dt.date(2026, 2, 1), total_cents=120_000)
    receipt = r.create(m.Receipt, treatment_id=knee.id, paid_on=dt.date(2026, 3, 2),
                       total_cents=175_000, payment_method="card", receipt_number="R-1")
    d.set_receipt_lines(receipt.id, [
        ReceiptLineInput("procedure", 150_000, "PRP injection"),
        ReceiptLineInput("imaging_guidance", 25_000),
    ])
    wrong = r.create(m.Receipt, treatment_id=knee.id, paid_on=dt.date(2026, 3, 3),
                     total_cents=1)
    lab = r.create(m.LabResult, person_id=ann.id, treatment_id=iv.id, test="Vitamin B12",
                   value="150", unit="pg/mL", reference_range="200-900",
                   collected_on=dt.date(2026, 3, 20), abnormal=True)
    call = r.create(m.InsurerCall, person_id=ann.id, plan_id=plan.id, treatment_id=knee.id,
                    called_at=dt.datetime(2026, 2, 10, 15, 4, 5, 250_000, tzinfo=UTC),
                    rep_name="Dana", reference_number="REF-9", outcome="not_currently_denied",
                    written_confirmation="requested",
                    confirmation_requested_on=dt.date(2026, 2, 11))
    eob = r.create(m.Determination, person_id=ann.id, plan_id=plan.id, treatment_id=knee.id,
                   call_id=call.id, kind="eob", decision="denied", received_on=dt.date(2026, 4, 2),
                   valid_from=dt.date(2026, 4, 1), valid_to=dt.date(2026, 12, 31),
                   is_final=True, amount_allowed_cents=0, amount_paid_cents=0)
    letter = r.create(m.MedicalNecessityLetter, person_id=ann.id, provider_id=clinic.id,
                      physician_name="Dr. Ng", written_on=dt.date(2026, 2, 20),
                      valid_until=dt.date(2027, 2, 20), rationale="Failed conservative care")
    d.set_letter_coverage(letter.id, ["M17.11"], [iv.id, knee.id])
    r.create(m.Claim, treatment_id=knee.id, destination="insurer", plan_id=plan.id,
             determination_id=eob.id, submitted_on=dt.date(2026, 3, 5),
             amount_claimed_cents=175_000, status="denied")
    r.create(m.Claim, treatment_id=knee.id, destination="hsa", account_id=hsa.id,
             amount_claimed_cents=175_000, status="paid", amount_paid_cents=175_000,
             paid_on=dt.date(2026, 3, 20))
    loan = r.create(m.FinancingPlan, person_id=ann.id, treatment_id=knee.id, lender="CareCredit",
                    amount_cents=175_000, purchase_date=dt.date(2026, 3, 2), promo_months=12,
                    promo_end=dt.date(2027, 3, 2), promo_apr_bp=0, standard_apr_bp=2999,
                    minimum_payment_cents=3_500)
    d.add_payment(loan.id, dt.date(2026, 5, 1), 20_000)
    d.add_payment(loan.id, dt.date(2026, 4, 1), 10_000)
    d.add_payment(loan.id, dt.date(2026, 4, 1), 5_000)
    scan = s.documents.attach_bytes(b"%PDF-1.7 receipt", "receipt.pdf", kind="receipt",
                                    document_date=dt.date(2026, 3, 2),
                                    links=[("receipt", receipt.id), ("treatment", knee.id)])
    s.documents.attach_bytes(b"%PDF-1.7 receipt", "receipt copy.pdf", links=[("claim", 1)])
    s.documents.attach_bytes("lettre é".encode(), "letter.txt", kind="medical_necessity_letter",
                             links=[("medical_necessity_letter", letter.id)])
    photo = s.documents.attach_bytes(bytes(range(256)) * 4, "knee.jpg", links=[("lab_result", lab.id)])
    # The trash: a mistaken receipt, a photo, and a whole person with their visit.
    r.delete(m.Receipt, wrong.id)
    r.delete(m.Document, photo.id)
    r.delete(m.Treatment, old.id)
    r.delete(m.Person, bob.id)
    return {"ann": ann.id, "knee": knee.id, "iv": iv.id, "letter": letter.id, "scan": scan.id}


# -- round trips -----------------------------------------------------------------------------
def test_side_folder_round_trip_is_byte_identical(folder, rich, tmp_path):
    first = rich[0]
    out = tmp_path / "out1" / "records.json"
    out.parent.mkdir()
    assert export_records(first, out) is None
    files = sorted(p.name for p in (out.parent / "records.files").iterdir())
    with first.db.session() as session:
        hashes = sorted({d.sha256 for d in session.exec(select(m.Document))})
    assert files == hashes  # one file per distinct content, named by its SHA-256
    assert not list(out.parent.glob(".*.tmp"))

    second = folder("second")
    report = import_records(second.db, out)
    assert report.ids_kept and report.counts == counts(first)
    assert report.counts["documents"] == 4 and report.attachments == 3
    again = tmp_path / "out2" / "records.json"
    again.parent.mkdir()
    export_records(second, again)
    assert without_time(again.read_text("utf-8")) == without_time(out.read_text("utf-8"))
    for name in files:
        assert (again.parent / "records.files" / name).read_bytes() == (
            out.parent / "records.files" / name
        ).read_bytes()


def test_base64_round_trip_keeps_ids_timestamps_and_trash(folder, rich):
    first = rich[0]
    exported = export_records(first, None)
    second = folder("second")
    import_records(second, exported)
    assert same_ignoring_export_time(export_records(second, None), exported)
    people = {p.name: p for p in second.records.list(m.Person, include_deleted=True)}
    assert people["Bob Lee"].deleted_at is not None and people["Ann Lée"].deleted_at is None
    call = second.records.get(m.InsurerCall, 1)
    assert call.called_at.replace(tzinfo=None) == dt.datetime(2026, 2, 10, 15, 4, 5, 250_000)


def test_export_is_deterministic_text(rich):
    s = rich[0]
    text = dumps(export_records(s, None))
    data = json.loads(text)
    assert text.startswith('{\n  "format": "regenlog-records",\n  "version": 1,')
    assert "Ann Lée" in text and "\\u" not in text  # UTF-8, not escaped
    assert list(data["records"]) == [key for key, _ in SECTIONS]
    treatment = data["records"]["treatments"][0]
    assert list(treatment)[:2] == ["id", "person_id"]
    assert list(treatment)[-4:] == ["notes", "created_at", "updated_at", "deleted_at"]
    assert treatment["diagnoses"][0] == {
        "code": "M17.11", "description": "Unilateral primary osteoarthritis, right knee"
    }
    assert treatment["procedure_lines"][0]["modifiers"] == "RT"
    payments = data["records"]["financing_plans"][0]["payments"]
    assert [p["amount_cents"] for p in payments] == [10_000, 5_000, 20_000]
    assert data["records"]["insurer_calls"][0]["called_at"] == "2026-02-10T15:04:05.25Z"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", data["exported_at"])


_example = itertools.count()


def keep_claims_within_the_rule(s: Services) -> None:
    """populate() writes claims with random amounts through the raw record service, but an
    import refuses a claim that counts money twice (records_format.claims_rule), as the app
    does: zero each claim the app's stricter check (reimbursement.check_claim) would refuse.
    In id order, one pass is enough: zeroing a claim only leaves more for the others."""
    from regenlog.core.reimbursement import check_claim, claim_stake

    for claim in s.records.list(m.Claim):
        stake = claim_stake(claim.status, claim.amount_claimed_cents, claim.amount_paid_cents)
        try:
            check_claim(s, claim.treatment_id, claim.destination, stake,
                        exclude_claim_id=claim.id)
        except ValidationError:
            s.records.update(m.Claim, claim.id, amount_claimed_cents=0, amount_paid_cents=0)


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(plan=households())
def test_round_trip_property(folder, plan):
    n = next(_example)
    first = folder(f"p{n}a")
    populate(first, plan)
    keep_claims_within_the_rule(first)
    exported = export_records(first, None)
    second = folder(f"p{n}b")
    import_records(second.db, json.loads(dumps(exported)))
    assert same_ignoring_export_time(export_records(second, None), exported)


# -- appending to a data folder that already holds records ------------------------------------
def test_import_into_non_empty_database_remaps_every_reference(folder, rich):
    source, ids = rich
    exported = export_records(source, None)
    target = folder("target")
    carol = target.records.create(m.Person, name="Carol")
    target.records.create(m.Treatment, person_id=carol.id, date_of_service=dt.date(2026, 1, 1),
                          category="imaging")
    report = import_records(target.db, exported)
    assert not report.ids_kept
    assert report.counts == counts(source)
    assert counts(target)["people"] == 3 and counts(target)["treatments"] == 4

    ann = next(p for p in target.records.list(m.Person) if p.name == "Ann Lée")
    assert ann.id != ids["ann"]
    knee = next(t for t in target.records.list(m.Treatment) if t.body_site == "knee")
    assert knee.person_id == ann.id and knee.id != ids["knee"]
    assert [c.code for c in target.details.diagnoses(knee.id)] == ["M17.11", "M25.561"]
    assert [p.pointers for p in target.details.procedure_lines(knee.id)] == ["AB", "A"]
    letter = target.records.list(m.MedicalNecessityLetter)[0]
    covered = target.details.letter_treatments(letter.id)
    assert knee.id in covered and all(
        target.records.get(m.Treatment, t).person_id == ann.id for t in covered
    )
    receipt = next(r for r in target.records.list(m.Receipt) if r.receipt_number == "R-1")
    assert receipt.treatment_id == knee.id
    scans = target.documents.for_record(m.Receipt, receipt.id)
    assert [d.original_name for d in scans] == ["receipt.pdf"]
    assert ("treatment", knee.id) in target.documents.links_of(scans[0].id)
    with target.db.session() as session:
        claims = session.exec(select(m.Claim)).all()
        determination = session.exec(select(m.Determination)).one()
        assert {c.treatment_id for c in claims} == {knee.id}
        assert determination.call_id == session.exec(select(m.InsurerCall)).one().id
    # Timestamps still come from the file.
    assert knee.created_at == source.records.get(m.Treatment, ids["knee"]).created_at


# -- the schema --------------------------------------------------------------------------------
def _generic_validator():
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@pytest.fixture(scope="module")
def rich(tmp_path_factory, template):
    """(services, ids) of the rich household, built once and only ever read (exported)."""
    paths = DataPaths(tmp_path_factory.mktemp("rich") / "data").ensure()
    snapshot(template, paths.database)
    services = Services(open_database(paths))
    ids = build_rich(services)
    yield services, ids
    services.db.close()


@pytest.fixture(scope="module")
def rich_export(rich) -> dict:
    return export_records(rich[0], None)


@pytest.fixture
def exported(rich_export) -> dict:
    return json.loads(json.dumps(rich_export))  # a private copy each test may change


BROKEN = [
    ("wrong enum", ("treatments", 0, "category"), "stemcells",
     '$.records.treatments[0].category: "stemcells" is not one of the choices: '
     "stem_cell_bone_marrow, stem_cell_adipose"),
    ("string for cents", ("receipts", 0, "total_cents"), "1750.00",
     '$.records.receipts[0].total_cents: "1750.00" is not a whole number of cents.'),
    ("float for cents", ("receipts", 0, "total_cents"), 1750.0,
     "$.records.receipts[0].total_cents: 1750.0 is not a whole number of cents."),
    ("negative cents", ("claims", 1, "amount_paid_cents"), -5,
     "$.records.claims[1].amount_paid_cents: -5 is negative"),
    ("unknown field", ("people", 0, "nickname"), "Annie",
     '$.records.people[0].nickname: a person record has no field called "nickname".'),
    ("missing field", ("providers", 0, "name"), None,
     '$.records.providers[0]: the required field "name" is missing.'),
    ("bad date", ("treatments", 1, "date_of_service"), "2026-13-01",
     '$.records.treatments[1].date_of_service: "2026-13-01" is not a date.'),
    ("bad datetime", ("people", 1, "created_at"), "2026-03-02 15:04",
     "$.records.people[1].created_at: \"2026-03-02 15:04\" is not a date and time in UTC"),
    ("nested part", ("receipts", 0, "lines", 1, "kind"), "surgery",
     '$.records.receipts[0].lines[1].kind: "surgery" is not one of the choices'),
    ("link type", ("documents", 0, "links", 0, "record_type"), "document",
     '$.records.documents[0].links[0].record_type: "document" is not one of the choices'),
]


def _mutate(document: dict, where: tuple, value) -> dict:
    broken = json.loads(json.dumps(document))
    node = broken["records"]
    for step in where[:-1]:
        node = node[step]
    if value is None:
        del node[where[-1]]
    else:
        node[where[-1]] = value
    return broken


def test_schema_accepts_a_valid_export(exported):
    assert list(_generic_validator().iter_errors(exported)) == []


@pytest.mark.parametrize(("case", "where", "value", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_schema_rejects_broken_files_naming_the_path(folder, exported, case, where, value, message):
    broken = _mutate(exported, where, value)
    if case not in ("float for cents", "bad date"):  # generic JSON Schema: 1750.0 is an integer
        assert list(_generic_validator().iter_errors(broken))
    target = folder("target")
    with pytest.raises(ValidationError) as caught:
        import_records(target.db, broken)
    assert str(caught.value).startswith(message)
    assert sum(counts(target).values()) == 0


def test_schema_enums_match_enums_py():
    defs = load_schema()["$defs"]
    enum_classes = {
        name: cls for name, cls in vars(enums).items()
        if isinstance(cls, type) and issubclass(cls, enums.Labelled) and cls is not enums.Labelled
    }
    for name, cls in enum_classes.items():
        assert defs[name]["enum"] == [c.value for c in cls], name
    assert defs["RecordType"]["enum"] == [t for t in RECORD_KINDS if t != "document"]
    # Every enum the schema lists is one of enums.py's.
    listed = {name for name, d in defs.items() if "enum" in d} - {"RecordType"}
    assert listed == set(enum_classes)


def test_schema_fields_match_the_tables():
    defs = load_schema()["$defs"]
    records = load_schema()["properties"]["records"]["properties"]
    assert list(records) == [key for key, _ in SECTIONS]
    parts = {"treatments": {"diagnoses", "procedure_lines"}, "receipts": {"lines"},
             "medical_necessity_letters": {"diagnoses", "treatment_ids"},
             "financing_plans": {"payments"},
             "documents": {"links", "file", "content_base64"}}
    for key, model in SECTIONS:
        definition = defs[model.__tablename__]
        assert records[key]["items"]["$ref"] == f"#/$defs/{model.__tablename__}"
        assert definition["additionalProperties"] is False
        assert set(definition["properties"]) == set(model.model_fields) | parts.get(key, set())
        assert definition["required"] == required_fields(model)
        for name in columns(model):
            if name.endswith("_cents"):
                assert definition["properties"][name]["$ref"].startswith("#/$defs/cents")
    assert defs["cents"]["minimum"] == 0


# -- refusing bad files, importing nothing -------------------------------------------------------
def test_bad_record_in_the_middle_imports_nothing(folder, exported):
    target = folder("target")
    target.records.create(m.Person, name="Carol")
    before = counts(target)
    broken = _mutate(exported, ("providers", 0, "name"), "")
    with pytest.raises(ValidationError, match=re.escape(
        "$.records.providers[0].name: Give the provider or clinic a name."
    )):
        import_records(target.db, broken)
    broken = _mutate(exported, ("people", 1, "name"), "   ")
    with pytest.raises(ValidationError, match=re.escape(
        "$.records.people[1].name: Give the person a name."
    )):
        import_records(target.db, broken)
    assert counts(target) == before


def test_failure_while_writing_rolls_everything_back(folder, exported, monkeypatch):
    target = folder("target")
    from regenlog.core.services.records import Records

    real = Records.create_in
    calls = itertools.count()

    def flaky(self, session, model, **values):
        if next(calls) == 10:
            raise ValidationError("Simulated failure.", "notes")
        return real(self, session, model, **values)

    monkeypatch.setattr(Records, "create_in", flaky)
    with pytest.raises(ValidationError, match=r"^\$\.records\.\w+\[\d+\]\.notes: Simulated"):
        import_records(target.db, exported)
    assert sum(counts(target).values()) == 0
    with target.db.session() as session:
        assert session.exec(select(m.DiagnosisCode)).all() == []


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["records"]["treatments"][0].update(person_id=99),
     "$.records.treatments[0].person_id: there is no person with id 99 in $.records.people."),
    (lambda d: d["records"]["people"][1].update(id=1),
     "$.records.people[1].id: id 1 is already used by $.records.people[0]"),
    (lambda d: d["records"]["documents"][0]["links"].append(
        {"record_type": "claim", "record_id": 42}),
     "$.records.documents[0].links[2]: there is no claim with id 42"),
    (lambda d: d["records"]["medical_necessity_letters"][0]["treatment_ids"].append(3),
     "$.records.medical_necessity_letters[0].treatment_ids[2]: treatment 3 is in the trash"),
    (lambda d: d["records"]["people"][1].update(deleted_at=None) or
     d["records"]["people"][0].update(deleted_at="2026-05-01T00:00:00Z"),
     "$.records.insurance_plans[0].person_id: person 1 is in the trash"),
    (lambda d: d["records"]["financing_plans"][0]["payments"][0].update(paid_on="2026-02-30"),
     '$.records.financing_plans[0].payments[0].paid_on: "2026-02-30" is not a date.'),
    (lambda d: d["records"]["treatments"][0]["diagnoses"].extend(
        {"code": c} for c in ["E55.9", "M54.50", "M70.61", "M17.0", "M76.61", "M72.2",
                              "E53.8", "M17.12", "M75.101", "S83.511A", "M25.562"]),
     "$.records.treatments[0].diagnoses: the list holds 13 entries; at most 12 are allowed."),
    (lambda d: d["records"]["treatments"][0]["diagnoses"].append({"code": "m1711"}),
     "$.records.treatments[0].diagnoses[2].code: M17.11 is listed twice."),
    (lambda d: d["records"]["documents"][1].update(sha256="A" * 64),
     '$.records.documents[1].sha256: "AAAA'),
    (lambda d: d["records"]["claims"][0].update(account_id=1),
     "$.records.claims[0].account_id: An insurer claim goes to a plan"),
    (lambda d: d["records"]["documents"][0].update(file="x.pdf"),
     '$.records.documents[0]: a document has both "file" and "content_base64"'),
    (lambda d: d["records"]["documents"][0].update(content_base64="not base64!"),
     "$.records.documents[0].content_base64: this is not valid base64 text."),
])
def test_cross_checks_name_the_first_problem(folder, exported, change, message):
    change(exported)
    target = folder("target")
    with pytest.raises(ValidationError) as caught:
        import_records(target.db, exported)
    assert str(caught.value).startswith(message)
    assert sum(counts(target).values()) == 0


def test_attachment_hash_mismatch_is_rejected(folder, rich, tmp_path):
    s = rich[0]
    out = tmp_path / "export" / "records.json"
    out.parent.mkdir()
    export_records(s, out)
    data = json.loads(out.read_text("utf-8"))
    doc = data["records"]["documents"][0]
    side = out.parent / doc["file"]
    original = side.read_bytes()
    side.write_bytes(original[:-1] + b"X")  # same size, different content
    target = folder("target")
    with pytest.raises(ValidationError, match=re.escape(
        "$.records.documents[0].file: the content's SHA-256 does not match"
    )):
        import_records(target.db, out)
    side.write_bytes(original + b"!")
    with pytest.raises(ValidationError, match=r"documents\[0\]\.file: the content is 17 bytes"):
        import_records(target.db, out)
    assert sum(counts(target).values()) == 0

    inline = export_records(s, None)
    inline["records"]["documents"][2]["content_base64"] = base64.b64encode(b"lettre e!").decode()
    with pytest.raises(ValidationError, match=r"documents\[2\]\.content_base64: the content's"):
        import_records(target.db, inline)
    assert sum(counts(target).values()) == 0


def test_both_content_forms_import(folder, rich, tmp_path):
    s, ids = rich
    out = tmp_path / "x" / "mine.json"
    out.parent.mkdir()
    export_records(s, out)
    side = folder("side")
    import_records(side.db, out)
    inline = folder("inline")
    import_records(inline.db, export_records(s, None))
    for target in (side, inline):
        doc = target.records.get(m.Document, ids["scan"])
        with target.db.attachments.open(doc.sha256) as handle:
            assert handle.read() == b"%PDF-1.7 receipt"
        assert target.db.attachments.verify(doc.sha256)


def test_readable_file_names_and_defaults_from_a_hand_written_file(folder, tmp_path):
    (tmp_path / "demo" / "files").mkdir(parents=True)
    content = b"scan of a receipt"
    (tmp_path / "demo" / "files" / "knee-receipt.pdf").write_bytes(content)
    document = {
        "format": "regenlog-records",
        "version": 1,
        "records": {
            "people": [{"id": 7, "name": "Dee"}],
            "treatments": [{"id": 3, "person_id": 7, "date_of_service": "2026-01-15",
                            "category": "prp", "diagnoses": [{"code": "m17.11"}],
                            "procedure_lines": [{"code": "0232t", "modifiers": "rt ga"}]}],
            "documents": [{"id": 1, "sha256": hashlib.sha256(content).hexdigest(),
                           "size": len(content), "original_name": "knee-receipt.pdf",
                           "file": "files/knee-receipt.pdf",
                           "links": [{"record_type": "treatment", "record_id": 3}]}],
        },
    }
    path = tmp_path / "demo" / "demo.json"
    path.write_text(json.dumps(document), "utf-8")
    s = folder("data")
    report = import_records(s.db, path)
    assert report.counts["people"] == 1 and report.total == 3 and report.ids_kept
    assert report.summary() == "Imported 1 person, 1 treatment, 1 document (with their ids)."
    person = s.records.get(m.Person, 7)
    assert person.notes == "" and person.deleted_at is None and person.created_at is not None
    dx = s.details.diagnoses(3)
    assert [(d.code, d.description) for d in dx] == [
        ("M17.11", "Unilateral primary osteoarthritis, right knee")
    ]
    line = s.details.procedure_lines(3)[0]
    assert (line.code, line.modifiers, line.pointers, line.units) == ("0232T", "RT,GA", "A", 1)
    doc = s.records.get(m.Document, 1)
    assert (doc.content_type, doc.title, doc.kind) == ("application/pdf", "knee-receipt", "other")
    assert s.documents.links_of(1) == [("treatment", 3)]


def test_file_paths_cannot_leave_the_json_folder(folder, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"x")
    (tmp_path / "in").mkdir()
    document = {"format": "regenlog-records", "version": 1, "records": {"documents": [
        {"id": 1, "sha256": hashlib.sha256(b"x").hexdigest(), "size": 1,
         "original_name": "s.txt", "file": "../secret.txt"}]}}
    path = tmp_path / "in" / "r.json"
    path.write_text(json.dumps(document), "utf-8")
    with pytest.raises(ValidationError, match=r"documents\[0\]\.file: .* inside the JSON"):
        import_records(folder("data").db, path)


@pytest.mark.parametrize(("text", "message"), [
    ("", "r.json is empty"),
    ("not json at all", "r.json is not valid JSON: expecting value at line 1, column 1."),
    ('{"format": "regenlog-records", "version": 1, "records": {"people": [{"id": 1,',
     "r.json ends before its data is complete"),
    ("[1, 2]", "r.json is not a RegenLog records file: it holds a list, not a JSON object."),
    ('{"format": "other", "version": 1}',
     'r.json is not a RegenLog records file: $.format is "other", not "regenlog-records".'),
    ('{"format": "regenlog-records", "version": 2, "records": {"new": []}}',
     "This file was written by a newer RegenLog (format version 2); this RegenLog reads "
     "format version 1."),
    ('{"format": "regenlog-records", "version": 0, "records": {}}',
     "$.version: 0 should be 1."),
    ('{"format": "regenlog-records", "version": 1, "records": {}, "records": {}}',
     'r.json has the key "records" twice'),
])
def test_unreadable_files_get_one_clear_sentence(folder, tmp_path, text, message):
    path = tmp_path / "r.json"
    path.write_text(text, "utf-8")
    with pytest.raises(ValidationError) as caught:
        import_records(folder("data").db, path)
    assert str(caught.value).startswith(message)


def test_missing_sections_mean_empty_lists(folder):
    s = folder("data")
    report = import_records(s.db, {"format": "regenlog-records", "version": 1, "records": {}})
    assert report.total == 0 and set(report.counts) == {key for key, _ in SECTIONS}


def test_the_example_in_the_documentation_imports(folder, tmp_path):
    text = (Path(__file__).parents[1] / "docs" / "data-format.md").read_text("utf-8")
    example = re.search(r"```json\n(.*?)```", text, re.S).group(1)
    content = b"%PDF-1.7 knee receipt"
    example = re.sub(r'"sha256": "[^"]*", "size": \d+',
                     f'"sha256": "{hashlib.sha256(content).hexdigest()}", "size": {len(content)}',
                     example)
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "knee-receipt.pdf").write_bytes(content)
    (tmp_path / "example.json").write_text(example, "utf-8")
    s = folder("data")
    report = import_records(s.db, tmp_path / "example.json")
    assert report.total == 5
    assert s.documents.for_record(m.Receipt, 1)[0].kind == "receipt"


def test_records_edited_after_their_parts_still_round_trip(folder):
    """Entry-time rules a later edit can undo must not make an export impossible to import."""
    s = folder("first")
    ann = s.records.create(m.Person, name="Ann")
    bob = s.records.create(m.Person, name="Bob")
    visit = s.records.create(m.Treatment, person_id=ann.id, date_of_service=dt.date(2026, 1, 5),
                             category="prp")
    letter = s.records.create(m.MedicalNecessityLetter, person_id=ann.id,
                              written_on=dt.date(2026, 1, 1))
    s.details.set_letter_coverage(letter.id, ["M17.11"], [visit.id])
    s.records.update(m.Treatment, visit.id, person_id=bob.id)  # logged under the wrong person
    loan = s.records.create(m.FinancingPlan, person_id=ann.id, lender="CareCredit",
                            amount_cents=100_000, purchase_date=dt.date(2026, 1, 5))
    s.details.add_payment(loan.id, dt.date(2026, 1, 6), 10_000)
    s.records.update(m.FinancingPlan, loan.id, purchase_date=dt.date(2026, 2, 1))
    exported = export_records(s, None)
    second = folder("second")
    import_records(second.db, exported)
    assert same_ignoring_export_time(export_records(second, None), exported)


def test_dry_run_checks_everything_and_imports_nothing(folder, rich, tmp_path, exported):
    s = rich[0]
    out = tmp_path / "x" / "records.json"
    out.parent.mkdir()
    export_records(s, out)
    target = folder("target")
    report = import_records(target.db, out, dry_run=True)
    assert report.dry_run and report.counts == counts(s) and report.attachments == 3
    assert report.summary().startswith("The file is fine: importing it would add 2 people,")
    assert sum(counts(target).values()) == 0
    assert target.db.attachments.all_hashes() == set()
    exported["records"]["people"][0]["name"] = ""
    with pytest.raises(ValidationError, match=r"people\[0\]\.name: Give the person a name"):
        import_records(target.db, exported, dry_run=True)


def test_the_schema_accepts_the_shipped_demo_file():
    from regenlog.resources import resource

    demo = json.loads(resource("demo", "demo.json").read_text(encoding="utf-8"))
    _generic_validator().validate(demo)
    broken = json.loads(json.dumps(demo))
    broken["records"]["treatments"][0]["category"] = "massage"
    with pytest.raises(jsonschema.ValidationError):
        _generic_validator().validate(broken)
