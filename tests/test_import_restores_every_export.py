"""A patient's own export always restores. A value that today's entry rules refuse but the
check can flag (a procedure code written 0232 instead of 0232T, a malformed diagnosis code
or modifier, an NPI whose check digit fails, a tax ID that is not 9 digits...) is imported as
written, named in the import summary, and flagged by the check; only a broken format (types,
references, structure) refuses the file.

The demo household's records file is the base; each case changes one value. A walk over
schema.json keeps every field of the format in one of the lists below, so a new field cannot
be added without deciding which it is.
"""

import datetime as dt
import json
from pathlib import Path

import pytest

from regenlog.core import models as m
from regenlog.core.checklist import run_check
from regenlog.core.records_format import import_records, load_schema
from regenlog.resources import resource

TODAY = dt.date(2026, 11, 26)
DEMO = Path(resource("demo", "demo.json"))

# Values entry refuses and the check flags: (where in the demo file, bad value, the rule that
# flags it, the record it is flagged on).
FLAGGED = {
    "treatments[].procedure_lines[].code": (
        ("treatments", 3, "procedure_lines", 0, "code"), "0232", "px.invalid", ("treatment", 4)),
    "treatments[].procedure_lines[].modifiers": (
        ("treatments", 3, "procedure_lines", 0, "modifiers"), "RIGHT", "px.invalid",
        ("treatment", 4)),
    "treatments[].procedure_lines[].pointers": (
        ("treatments", 3, "procedure_lines", 0, "pointers"), "AZ", "px.invalid",
        ("treatment", 4)),
    "treatments[].diagnoses[].code": (
        ("treatments", 3, "diagnoses", 0, "code"), "M77-11", "dx.invalid", ("treatment", 4)),
    "medical_necessity_letters[].diagnoses[]": (
        ("medical_necessity_letters", 1, "diagnoses", 0), "M77-11", "dx.invalid",
        ("medical_necessity_letter", 2)),
    "providers[].npi": (("providers", 2, "npi"), "1837204650", "provider.incomplete",
                        ("provider", 3)),
    "providers[].tax_id": (("providers", 2, "tax_id"), "83-22451", "provider.incomplete",
                           ("provider", 3)),
    "providers[].place_of_service": (("providers", 2, "place_of_service"), "office",
                                     "provider.incomplete", ("provider", 3)),
}
# Any text at all is a valid value (what the patient typed: names, notes, descriptions).
TEXT = {
    "people[]": {"name", "sex", "address", "notes"},
    "insurance_plans[]": {"insurer", "plan_name", "member_id", "group_number", "phone",
                          "claims_address", "notes"},
    "accounts[]": {"administrator", "account_number", "notes"},
    "providers[]": {"name", "credentials", "address", "phone", "notes"},
    "treatments[]": {"description", "body_site", "indication", "notes"},
    "treatments[].diagnoses[]": {"description"},
    "treatments[].procedure_lines[]": {"description"},
    "good_faith_estimates[]": {"notes"},
    "receipts[]": {"receipt_number", "notes"},
    "receipts[].lines[]": {"description"},
    "lab_results[]": {"test", "value", "unit", "reference_range", "notes"},
    "insurer_calls[]": {"rep_name", "reference_number", "questions", "answer", "notes"},
    "determinations[]": {"reference_number", "codes_covered", "notes"},
    "medical_necessity_letters[]": {"physician_name", "rationale", "treatment_and_frequency",
                                    "expected_duration", "notes"},
    "claims[]": {"notes"},
    "financing_plans[]": {"lender", "notes"},
    "documents[]": {"original_name", "content_type", "title", "notes"},
}
# Shape only: ids and references, choices, dates and times, amounts and counts, yes/no, the
# content of a document, and the parts a record owns. A wrong value here breaks the format
# and refuses the file (the records format tests cover each refusal).
SHAPE = {
    "people[]": {"id", "date_of_birth", "created_at", "updated_at", "deleted_at"},
    "insurance_plans[]": {"id", "person_id", "plan_type", "filing_limit_days", "created_at",
                          "updated_at", "deleted_at"},
    "accounts[]": {"id", "person_id", "kind", "opened_on", "plan_year_start", "plan_year_end",
                   "extension", "grace_period_end", "run_out_days", "created_at", "updated_at",
                   "deleted_at"},
    "providers[]": {"id", "is_organization", "created_at", "updated_at", "deleted_at"},
    "treatments[]": {"id", "person_id", "provider_id", "plan_id", "date_of_service", "category",
                     "side", "regulatory_note", "paid_by_patient", "referring_provider_id",
                     "diagnoses", "procedure_lines", "created_at", "updated_at", "deleted_at"},
    "treatments[].procedure_lines[]": {"units", "charge_cents"},
    "good_faith_estimates[]": {"id", "person_id", "provider_id", "treatment_id", "issued_on",
                               "total_cents", "created_at", "updated_at", "deleted_at"},
    "receipts[]": {"id", "treatment_id", "paid_on", "total_cents", "payment_method", "lines",
                   "created_at", "updated_at", "deleted_at"},
    "receipts[].lines[]": {"kind", "amount_cents"},
    "lab_results[]": {"id", "person_id", "treatment_id", "collected_on", "abnormal",
                      "created_at", "updated_at", "deleted_at"},
    "insurer_calls[]": {"id", "person_id", "plan_id", "treatment_id", "called_at", "outcome",
                        "written_confirmation", "confirmation_requested_on", "created_at",
                        "updated_at", "deleted_at"},
    "determinations[]": {"id", "person_id", "plan_id", "treatment_id", "call_id", "kind",
                         "decision", "received_on", "valid_from", "valid_to", "is_final",
                         "amount_allowed_cents", "amount_paid_cents",
                         "amount_paid_to_provider_cents", "created_at", "updated_at",
                         "deleted_at"},
    "medical_necessity_letters[]": {"id", "person_id", "provider_id", "written_on",
                                    "valid_until", "diagnoses", "treatment_ids", "created_at",
                                    "updated_at", "deleted_at"},
    "claims[]": {"id", "treatment_id", "destination", "plan_id", "account_id",
                 "determination_id", "submitted_on", "amount_claimed_cents", "status",
                 "amount_paid_cents", "paid_on", "amount_paid_to_provider_cents", "created_at",
                 "updated_at", "deleted_at"},
    "financing_plans[]": {"id", "person_id", "treatment_id", "amount_cents", "purchase_date",
                          "promo_months", "promo_end", "promo_apr_bp", "standard_apr_bp",
                          "deferred_interest", "minimum_payment_cents", "payments",
                          "created_at", "updated_at", "deleted_at"},
    "financing_plans[].payments[]": {"paid_on", "amount_cents"},
    "documents[]": {"id", "sha256", "size", "kind", "document_date", "links", "file",
                    "content_base64", "created_at", "updated_at", "deleted_at"},
    "documents[].links[]": {"record_type", "record_id"},
}


def schema_fields() -> set[str]:
    """Every field of the records format, as "section[].field" or "section[].part[].field"
    ("section[].part[]" for a list of plain values)."""
    schema = load_schema()
    defs = schema["$defs"]

    def resolve(node):
        while "$ref" in node:
            node = defs[node["$ref"].rsplit("/", 1)[-1]]
        return node

    found: set[str] = set()

    def walk(prefix: str, node) -> None:
        for name, spec in resolve(node).get("properties", {}).items():
            found.add(f"{prefix}.{name}")
            spec = resolve(spec)
            if spec.get("type") == "array":
                items = resolve(spec["items"])
                if items.get("type") == "object":
                    walk(f"{prefix}.{name}[]", items)
                else:
                    found.add(f"{prefix}.{name}[]")

    for section, spec in schema["properties"]["records"]["properties"].items():
        walk(f"{section}[]", spec["items"])
    return found


def test_every_field_of_the_format_is_known_to_be_text_shape_or_flagged():
    known = {f"{where}.{name}" for table in (TEXT, SHAPE) for where, names in table.items()
             for name in names}
    known |= set(FLAGGED) | {"medical_necessity_letters[].treatment_ids[]"}  # ids: shape
    assert schema_fields() == known


def demo_document() -> dict:
    return json.loads(DEMO.read_text(encoding="utf-8"))


def put(document: dict, where: tuple, value) -> None:
    node = document["records"]
    for step in where[:-1]:
        node = node[step]
    node[where[-1]] = value


def path_of(where: tuple) -> str:
    text = "$.records"
    for step in where:
        text += f"[{step}]" if isinstance(step, int) else f".{step}"
    return text


@pytest.mark.parametrize("field", sorted(FLAGGED))
def test_a_value_entry_refuses_is_imported_named_and_flagged(new_folder, field):
    where, bad, rule, (record_type, record_id) = FLAGGED[field]
    document = demo_document()
    put(document, where, bad)
    services = new_folder()
    report = import_records(services.db, document, DEMO.parent)

    lines = [line for line in report.summary().splitlines() if line.startswith("- ")]
    assert any(line.startswith(f"- {path_of(where)}: ") and f"({rule})" in line
               for line in lines), report.summary()
    found = {(g.rule, g.record_type, g.record_id)
             for g in run_check(services.db, today=TODAY).gaps}
    assert (rule, record_type, record_id) in found
    # Kept as written, so the next export is the same file again.
    from regenlog.core.records_format import build_document

    again = build_document(services.db, lambda doc: {"file": doc.original_name})
    node = again["records"]
    for step in where:
        node = node[step]
    assert node == bad


def test_the_demo_with_every_such_value_at_once_restores(new_folder):
    document = demo_document()
    for where, bad, _rule, _record in FLAGGED.values():
        put(document, where, bad)
    report = import_records(new_folder().db, document, DEMO.parent)
    assert report.counts["treatments"] == 11
    assert "the check flags" in report.summary()


@pytest.mark.parametrize("where, value, sentence", [
    (("treatments", 0, "person_id"), 99, "there is no person with id 99"),
    (("treatments", 0, "date_of_service"), "2026-02-30", "is not a date"),
    (("receipts", 0, "total_cents"), "325.00", "is not a whole number of cents"),
    (("treatments", 0, "category"), "massage", "is not one of the choices"),
    # Far too long to be a mistyped code: damaged data, refused like a broken format.
    (("treatments", 3, "procedure_lines", 0, "code"), "0232T" * 10, "CPT and HCPCS codes have 5"),
])
def test_a_broken_format_still_refuses_the_whole_file(new_folder, where, value, sentence):
    from regenlog.core.errors import ValidationError

    document = demo_document()
    put(document, where, value)
    services = new_folder()
    with pytest.raises(ValidationError, match=sentence):
        import_records(services.db, document, DEMO.parent)
    assert services.records.count(m.Treatment, include_deleted=True) == 0


def test_a_flagged_diagnosis_code_can_be_corrected_in_place(new_folder):
    where, bad, _rule, _record = FLAGGED["treatments[].diagnoses[].code"]
    document = demo_document()
    put(document, where, bad)
    services = new_folder()
    import_records(services.db, document, DEMO.parent)
    services.details.set_diagnoses(4, ["M77.11"], replaced={"M77-11": "M77.11"})
    assert [d.code for d in services.details.diagnoses(4)] == ["M77.11"]
    assert [line.pointers for line in services.details.procedure_lines(4)] == ["A"]
    assert not [g for g in run_check(services.db, today=TODAY).gaps if g.rule == "dx.invalid"]


@pytest.mark.usefixtures("qapp")
def test_a_restored_export_with_flagged_values_still_makes_a_bundle(new_folder, tmp_path):
    import zipfile

    from regenlog.bundle import BundleSelection, export_bundle

    document = demo_document()
    for where, bad, _rule, _record in FLAGGED.values():
        put(document, where, bad)
    services = new_folder()
    import_records(services.db, document, DEMO.parent)
    target = tmp_path / "hsa.zip"
    report = export_bundle(services.db, BundleSelection(treatment_ids=(4,)), "hsa", target,
                           today=TODAY)
    assert "dx.invalid" in {g.rule for g in report.gaps}  # px.invalid is the insurer's
    fhir = json.loads(zipfile.ZipFile(target).read("fhir/bundle.json"))
    [claim] = [e["resource"] for e in fhir["entry"] if e["resource"]["resourceType"] == "Claim"]
    # A code that is no CPT or HCPCS code is sent as written, with no code system claimed.
    assert claim["item"][0]["productOrService"]["coding"] == [{"code": "0232"}]
    assert claim["item"][0]["diagnosisSequence"] == [1]  # "AZ": only A points anywhere
