"""Shared story for the documentation-check tests (no tests here; the test_checklist_*
files build a ``Household`` in their ``home`` fixture).

``Household`` builds, through the record services, a patient whose paperwork is complete:
a PRP injection with codes, an itemized receipt with its scan, and a letter of medical
necessity. Each test then takes one piece away (or changes one date) and looks at what the
check says, so "fires" and "does not fire" differ by exactly that piece.
"""

import datetime as dt

from regenlog.core import models as m
from regenlog.core.checklist import run_check, treatment_checklist
from regenlog.core.services import ProcedureInput, ReceiptLineInput

D = dt.date
TODAY = D(2026, 11, 26)
SERVICE_DAY = D(2026, 9, 1)


class Household:
    def __init__(self, services):
        self.services = services
        r = services.records
        self.dana = r.create(m.Person, name="Dana Whitfield", date_of_birth=D(1964, 5, 2))
        self.clinic = r.create(
            m.Provider, name="Summit Regenerative", credentials="MD", npi="1234567893",
            tax_id="12-3456789", address="410 Main St, Boise, ID 83702", place_of_service="11",
        )
        self.plan = r.create(m.InsurancePlan, person_id=self.dana.id, insurer="Granite Peak Health")

    # -- records -------------------------------------------------------------------------
    def treatment(
        self,
        category: str = "prp",
        day: dt.date = SERVICE_DAY,
        *,
        dx: tuple[str, ...] = ("M77.11",),
        px: tuple[ProcedureInput, ...] = (ProcedureInput("0232T", 85_000, modifiers="RT"),),
        receipt: bool = True,
        letter: bool = True,
        lab: bool = True,
        person=None,
        **fields,
    ) -> m.Treatment:
        """A treatment with everything the check asks for, unless told otherwise."""
        person = person or self.dana
        values = {
            "person_id": person.id, "provider_id": self.clinic.id, "date_of_service": day,
            "category": category, "body_site": "elbow", "side": "right",
            "indication": "Lateral epicondylitis, 6 months of failed physical therapy",
        }
        values.update(fields)
        t = self.services.records.create(m.Treatment, **values)
        if dx:
            self.services.details.set_diagnoses(t.id, list(dx))
        if px:
            self.services.details.set_procedure_lines(t.id, list(px))
        if receipt:
            self.receipt(t, 85_000)
        if letter and category in ("stem_cell_bone_marrow", "stem_cell_adipose", "prp", "iv_therapy"):
            self.letter(person, list(dx), written_on=day - dt.timedelta(days=20),
                        valid_until=day + dt.timedelta(days=180))
        if lab and category == "iv_therapy":
            self.lab(person, day - dt.timedelta(days=14))
        return t

    def receipt(self, t, total: int, *, lines=None, scan: bool = True) -> m.Receipt:
        rec = self.services.records.create(
            m.Receipt, treatment_id=t.id, paid_on=t.date_of_service, total_cents=total,
        )
        if lines is None:
            lines = [ReceiptLineInput("consultation", 25_000), ReceiptLineInput("procedure", total - 25_000)]
        if lines:
            self.services.details.set_receipt_lines(rec.id, lines)
        if scan:
            self.services.documents.attach_bytes(
                f"receipt {rec.id}".encode(), f"receipt-{rec.id}.pdf", kind="receipt",
                links=[("receipt", rec.id)],
            )
        return rec

    def letter(self, person, dx, *, written_on, valid_until, treatments=()):
        letter = self.services.records.create(
            m.MedicalNecessityLetter, person_id=person.id, provider_id=self.clinic.id,
            physician_name="Priya Raman, MD", written_on=written_on, valid_until=valid_until,
            rationale="Failed conservative care", treatment_and_frequency="PRP, 2 injections",
            expected_duration="6 months",
        )
        self.services.details.set_letter_coverage(letter.id, dx, [t.id for t in treatments])
        return letter

    def lab(self, person, collected_on, *, abnormal=True, treatment=None):
        return self.services.records.create(
            m.LabResult, person_id=person.id, test="Vitamin B12", value="148", unit="pg/mL",
            reference_range="200-900", collected_on=collected_on, abnormal=abnormal,
            treatment_id=treatment.id if treatment else None,
        )

    def call(self, **fields) -> m.InsurerCall:
        values = {
            "person_id": self.dana.id, "plan_id": self.plan.id,
            "called_at": dt.datetime(2026, 8, 10, 15, 30, tzinfo=dt.UTC),
            "rep_name": "Alyssa M.", "reference_number": "GPH-0810-5531",
            "outcome": "covered", "written_confirmation": "received",
        }
        values.update(fields)
        return self.services.records.create(m.InsurerCall, **values)

    def determination(self, kind, **fields) -> m.Determination:
        values = {"person_id": self.dana.id, "plan_id": self.plan.id, "kind": kind,
                  "received_on": D(2026, 8, 20)}
        values.update(fields)
        return self.services.records.create(m.Determination, **values)

    # -- what the check says ---------------------------------------------------------------
    def check(self, today=TODAY, destination=None, treatment_ids=None):
        return run_check(self.services.db, today=today, destination=destination,
                         treatment_ids=treatment_ids)

    def found(self, today=TODAY, destination=None) -> set[tuple[str, str, int]]:
        return {(g.rule, g.record_type, g.record_id)
                for g in self.check(today, destination).gaps}

    def rules(self, today=TODAY, destination=None) -> set[str]:
        return {g.rule for g in self.check(today, destination).gaps}

    def gap(self, rule, today=TODAY, destination=None):
        """The one gap of ``rule`` (fails if there is not exactly one)."""
        matching = [g for g in self.check(today, destination).gaps if g.rule == rule]
        assert len(matching) == 1, matching
        return matching[0]

    def checklist(self, t, today=TODAY, destination=None):
        return {item.rule.id: item for item in
                treatment_checklist(self.services.db, t.id, today=today, destination=destination)}
