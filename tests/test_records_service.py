"""The record services: what the GUI and the command line call to keep a patient's records."""

import datetime as dt

import pytest

from regenlog.core import models as m
from regenlog.core.errors import InUseError, NotFoundError, ValidationError

D = dt.date


@pytest.fixture
def household(services):
    r = services.records
    dana = r.create(m.Person, name="Dana Whitfield", date_of_birth=D(1964, 5, 2))
    clinic = r.create(m.Provider, name="Summit Regenerative", npi="1234567893", place_of_service="11")
    knee = r.create(
        m.Treatment, person_id=dana.id, provider_id=clinic.id, date_of_service=D(2026, 3, 2),
        category="stem_cell_bone_marrow", body_site="knee", side="right",
    )
    return dana, clinic, knee


def test_a_patient_records_a_treatment_and_reads_it_back(services, household):
    dana, clinic, knee = household
    stored = services.records.get(m.Treatment, knee.id)
    assert stored.person_id == dana.id and stored.provider_id == clinic.id
    assert stored.date_of_service == D(2026, 3, 2)
    assert stored.category == "stem_cell_bone_marrow"
    assert [t.id for t in services.records.list(m.Treatment)] == [knee.id]


@pytest.mark.parametrize(
    "model, values, sentence",
    [
        (m.Person, {"name": "  "}, "Give the person a name."),
        (m.Treatment, {"person_id": 1, "category": "massage", "date_of_service": D(2026, 1, 1)},
         '"massage" is not a valid category'),
        (m.Treatment, {"person_id": 1, "category": "prp", "date_of_service": "2026-01-01"},
         "date of service must be a date"),
        (m.Treatment, {"person_id": 99, "category": "prp", "date_of_service": D(2026, 1, 1)},
         "There is no person number 99"),
        (m.Receipt, {"treatment_id": 1, "paid_on": D(2026, 1, 1), "total_cents": -5},
         "total cannot be negative"),
        (m.Receipt, {"treatment_id": 1, "paid_on": D(2026, 1, 1), "total_cents": 12.5},
         "total must be a whole number"),
        (m.Provider, {"name": "Clinic", "place_of_service": "1"}, "not a place-of-service code"),
        (m.MedicalNecessityLetter,
         {"person_id": 1, "written_on": D(2026, 5, 1), "valid_until": D(2026, 4, 1)},
         "cannot expire before it was written"),
    ],
)
def test_bad_input_is_refused_with_one_sentence_and_nothing_stored(
    services, household, model, values, sentence
):
    before = services.records.count(model)
    with pytest.raises(ValidationError) as error:
        services.records.create(model, **values)
    assert sentence in str(error.value)
    assert str(error.value).endswith(".")
    assert services.records.count(model) == before


def test_update_validates_the_whole_record(services, household):
    dana, _, knee = household
    with pytest.raises(ValidationError, match="Give the person a name"):
        services.records.update(m.Person, dana.id, name="")
    assert services.records.get(m.Person, dana.id).name == "Dana Whitfield"
    updated = services.records.update(m.Treatment, knee.id, indication="Failed PT for 6 months")
    assert updated.indication == "Failed PT for 6 months"
    assert updated.updated_at >= updated.created_at


def test_read_only_fields_cannot_be_set(services, household):
    dana, _, _ = household
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.records.update(m.Person, dana.id, id=77)


def test_deleting_a_record_others_depend_on_is_refused(services, household):
    dana, clinic, _ = household
    with pytest.raises(InUseError, match="used by 1 treatment"):
        services.records.delete(m.Provider, clinic.id)
    assert services.records.get(m.Provider, clinic.id).deleted_at is None


def test_a_referring_physician_is_a_provider_that_cannot_vanish_under_the_treatment(
    services, household
):
    dana, clinic, knee = household
    gp = services.records.create(m.Provider, name="Maya Lindqvist", credentials="MD")
    services.records.update(m.Treatment, knee.id, referring_provider_id=gp.id)
    assert services.records.get(m.Treatment, knee.id).referring_provider_id == gp.id
    with pytest.raises(InUseError, match="used by 1 treatment"):
        services.records.delete(m.Provider, gp.id)
    with pytest.raises(ValidationError, match="no provider number 999"):
        services.records.update(m.Treatment, knee.id, referring_provider_id=999)
    assert services.records.get(m.Treatment, knee.id).referring_provider_id == gp.id


def test_deleted_records_go_to_the_trash_and_come_back(services, household):
    dana, clinic, knee = household
    services.records.delete(m.Treatment, knee.id)
    assert services.records.list(m.Treatment) == []
    assert [r.id for r in services.records.trash()] == [knee.id]
    with pytest.raises(NotFoundError, match="in the trash"):
        services.records.get(m.Treatment, knee.id)
    services.records.restore(m.Treatment, knee.id)
    assert [t.id for t in services.records.list(m.Treatment)] == [knee.id]
    assert services.records.trash() == []


def test_restoring_needs_the_parent_back_first(services, household):
    dana, clinic, knee = household
    services.records.delete(m.Treatment, knee.id)
    services.records.delete(m.Provider, clinic.id)
    with pytest.raises(ValidationError, match="Restore the provider"):
        services.records.restore(m.Treatment, knee.id)
    services.records.restore(m.Provider, clinic.id)
    services.records.restore(m.Treatment, knee.id)


def test_purge_only_from_the_trash_and_only_when_unreferenced(services, household):
    dana, clinic, knee = household
    with pytest.raises(ValidationError, match="Only records in the trash"):
        services.records.purge(m.Treatment, knee.id)
    services.records.delete(m.Treatment, knee.id)
    services.records.delete(m.Provider, clinic.id)
    with pytest.raises(InUseError):
        services.records.purge(m.Provider, clinic.id)
    services.records.purge(m.Treatment, knee.id)
    services.records.purge(m.Provider, clinic.id)
    assert services.records.trash() == []


def test_search_finds_records_by_any_words(services, household):
    dana, _, _ = household
    services.records.create(
        m.InsurerCall, person_id=dana.id, rep_name="Angela Ruiz", reference_number="REF-88812",
        outcome="not_currently_denied",
    )
    assert [c.rep_name for c in services.records.search(m.InsurerCall, "angela")] == ["Angela Ruiz"]
    assert services.records.search(m.InsurerCall, "angela 88812")
    assert services.records.search(m.InsurerCall, "bob") == []


def test_documents_attach_to_records_and_survive_deleting_them(services, household, tmp_path):
    dana, _, knee = household
    scan = tmp_path / "receipt.pdf"
    scan.write_bytes(b"%PDF-1.4 fake receipt")
    doc = services.documents.attach_file(scan, kind="receipt", links=[("treatment", knee.id)])
    assert doc.original_name == "receipt.pdf" and doc.content_type == "application/pdf"
    assert [d.id for d in services.documents.for_record(m.Treatment, knee.id)] == [doc.id]
    services.records.delete(m.Treatment, knee.id)
    assert services.db.attachments.verify(doc.sha256)
    assert services.records.get(m.Document, doc.id).deleted_at is None


def test_attaching_to_a_missing_record_stores_nothing(services, tmp_path):
    scan = tmp_path / "x.pdf"
    scan.write_bytes(b"data")
    with pytest.raises(NotFoundError):
        services.documents.attach_file(scan, links=[("treatment", 42)])
    assert services.records.count(m.Document) == 0
    assert services.db.attachments.all_hashes() == set()


def test_a_letter_and_the_treatment_it_covers_can_each_be_trashed(services, household):
    dana, _, knee = household
    letter = services.records.create(
        m.MedicalNecessityLetter, person_id=dana.id, written_on=D(2026, 2, 1)
    )
    services.details.set_letter_coverage(letter.id, ["M17.11"], [knee.id])
    services.records.delete(m.Treatment, knee.id)
    services.records.delete(m.MedicalNecessityLetter, letter.id)
    services.records.restore(m.MedicalNecessityLetter, letter.id)
    assert services.details.letter_treatments(letter.id) == [knee.id]
    services.records.purge(m.Treatment, knee.id)
    assert services.details.letter_treatments(letter.id) == []


@pytest.mark.parametrize("field, value", [("standard_apr_bp", 10001), ("promo_months", -1)])
def test_rates_and_lengths_have_ranges(services, household, field, value):
    dana, _, _ = household
    values = dict(person_id=dana.id, lender="CareCredit", amount_cents=100,
                  purchase_date=D(2026, 1, 1))
    with pytest.raises(ValidationError, match="must be between"):
        services.records.create(m.FinancingPlan, **values, **{field: value})


def test_a_call_time_typed_without_a_zone_is_the_local_time(services, household):
    dana, _, _ = household
    typed = dt.datetime(2026, 3, 2, 14, 30)
    call = services.records.create(m.InsurerCall, person_id=dana.id, called_at=typed)
    stored = services.records.get(m.InsurerCall, call.id).called_at
    assert stored.tzinfo is not None
    assert stored.astimezone().replace(tzinfo=None) == typed


def test_an_amount_over_ten_million_dollars_is_refused_and_nothing_stored(services, household):
    # Sums of amounts must stay inside SQLite's 64-bit integers; no receipt is that large.
    _, _, knee = household
    with pytest.raises(ValidationError, match=r"total is more than \$10,000,000.00"):
        services.records.create(m.Receipt, treatment_id=knee.id, paid_on=D(2026, 3, 2),
                                total_cents=2**62)
    assert services.records.list(m.Receipt) == []


def test_a_year_9999_date_of_service_is_refused(services, household):
    dana, _, knee = household
    with pytest.raises(ValidationError, match="date of service must be between 1900 and 2099"):
        services.records.update(m.Treatment, knee.id, date_of_service=D(9999, 12, 31))
    assert services.records.get(m.Treatment, knee.id).date_of_service == D(2026, 3, 2)


def test_a_document_always_has_a_title(services):
    doc = services.documents.attach_bytes(b"%PDF-1.4", "knee receipt.pdf")
    with pytest.raises(ValidationError, match="Give the document a title."):
        services.records.update(m.Document, doc.id, title="   ")
    assert services.records.get(m.Document, doc.id).title == "knee receipt"
