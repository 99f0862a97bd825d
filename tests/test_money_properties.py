"""Money properties, for any household: a bundle never asks to be paid back more than the
patient paid and was not paid back, not even bundles to every payer one after the other, and
the dashboard's "still claimable" is what a bundle would ask.

Each example builds a small household through the services (receipts by every method,
charges, EOBs paying the patient or the provider, denials, claims the claim form accepts),
then asks the bundle code, the FHIR writer, the claim rules and the reports. What the patient
paid and was paid back is counted here from the records themselves, not by the core.
"""

import contextlib
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regenlog.bundle.asking import requested
from regenlog.bundle.fhir import FhirBuilder
from regenlog.bundle.select import BundleSelection, gather
from regenlog.core import models as m
from regenlog.core.enums import ClaimStatus, Decision, PaymentMethod
from regenlog.core.errors import ValidationError
from regenlog.core.reimbursement import create_claim, treatment_money
from regenlog.core.reports import report_rows, totals
from regenlog.core.services import ProcedureInput

D = dt.date
DAY = D(2026, 3, 10)
PAYERS = ("insurer", "hsa", "fsa")
cents = st.integers(0, 300_000)


@st.composite
def households(draw) -> list[dict]:
    """Up to three treatments of one patient, each with its money story."""
    out = []
    for _ in range(draw(st.integers(1, 3))):
        eobs = draw(st.lists(st.fixed_dictionaries({
            "decision": st.sampled_from(list(Decision)),
            "amount_paid_cents": st.none() | cents,
            "amount_paid_to_provider_cents": st.none() | cents,
        }), max_size=2))
        out.append({
            "charges": draw(st.lists(cents, max_size=2)),
            "receipts": draw(st.lists(st.tuples(st.integers(1, 300_000),
                                                st.sampled_from(list(PaymentMethod))),
                                      max_size=3)),
            "eobs": eobs,
            "denied": draw(st.booleans()),
            "claims": draw(st.lists(st.fixed_dictionaries({
                "destination": st.sampled_from(PAYERS),
                "status": st.sampled_from(list(ClaimStatus)),
                "amount_claimed_cents": cents,
                "amount_paid_cents": cents,
                "amount_paid_to_provider_cents": cents,
                "links_eob": st.booleans(),
            }), max_size=3)),
        })
    return out


def build(services, household) -> list[int]:
    r = services.records
    dana = r.create(m.Person, name="Dana")
    plan = r.create(m.InsurancePlan, person_id=dana.id, insurer="Granite Peak Health")
    hsa = r.create(m.Account, person_id=dana.id, kind="hsa", opened_on=D(2020, 1, 1))
    fsa = r.create(m.Account, person_id=dana.id, kind="fsa")
    ids = []
    for story in household:
        t = r.create(m.Treatment, person_id=dana.id, plan_id=plan.id, date_of_service=DAY,
                     category="prp")
        ids.append(t.id)
        services.details.set_procedure_lines(
            t.id, [ProcedureInput("0232T", c, 1, "", "") for c in story["charges"]])
        for total, method in story["receipts"]:
            r.create(m.Receipt, treatment_id=t.id, paid_on=DAY, total_cents=total,
                     payment_method=method)
        eobs = [r.create(m.Determination, person_id=dana.id, plan_id=plan.id,
                         treatment_id=t.id, kind="eob", received_on=D(2026, 4, 1), **eob).id
                for eob in story["eobs"]]
        if story["denied"]:
            r.create(m.Determination, person_id=dana.id, plan_id=plan.id, treatment_id=t.id,
                     kind="denial", decision="denied", received_on=D(2026, 4, 2))
        for claim in story["claims"]:
            fields = dict(claim)
            links = fields.pop("links_eob")
            status = fields["status"]
            if status not in ("paid", "partly_paid", "appealed"):
                fields["amount_paid_cents"] = fields["amount_paid_to_provider_cents"] = 0
            where = ({"plan_id": plan.id} if fields["destination"] == "insurer" else
                     {"account_id": hsa.id if fields["destination"] == "hsa" else fsa.id})
            link = {"determination_id": eobs[0]} if links and eobs else {}
            # Only what the claim form accepts: the household is one RegenLog allows.
            with contextlib.suppress(ValidationError):
                create_claim(services, treatment_id=t.id, submitted_on=DAY, **fields,
                             **where, **link)
    return ids


def paid_and_paid_back(services, treatment_id: int) -> tuple[int, int]:
    """What the patient paid, and what came back to the patient, read from the records."""
    r = services.records
    paid = sum(x.total_cents for x in r.list(m.Receipt) if x.treatment_id == treatment_id)
    claims = [c for c in r.list(m.Claim) if c.treatment_id == treatment_id]
    linked = {c.determination_id for c in claims}
    back = sum(c.amount_paid_cents for c in claims
               if c.status in ("paid", "partly_paid", "appealed"))
    back += sum(d.amount_paid_cents or 0 for d in r.list(m.Determination)
                if d.treatment_id == treatment_id and d.kind == "eob" and d.id not in linked)
    return paid, back


def asks(services, ids, destination) -> dict[int, int] | None:
    """What a bundle to ``destination`` asks for each treatment (None: it refuses to ask),
    and its FHIR claims say the same."""
    try:
        records = gather(services, BundleSelection(treatment_ids=tuple(ids)), destination)
    except ValidationError as refused:
        assert destination == "insurer" and "has already decided" in str(refused)
        return None
    out = {t.treatment.id: requested(records, t) for t in records.treatments}
    builder = FhirBuilder(records, dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    patient, coverage = builder.patient(), None
    coverage = builder.payer_coverage(patient)
    for t in records.treatments:
        url = builder.claim(t, patient, coverage)
        claim = next(e["resource"] for e in builder.entries if e["fullUrl"] == url)
        assert round(claim["total"]["value"] * 100) == out[t.treatment.id]
    return out


SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@SETTINGS
@given(household=households(), order=st.permutations(PAYERS))
def test_bundles_to_every_payer_together_never_ask_back_more_than_was_paid_out_of_pocket(
    new_folder, household, order
):
    services = new_folder()
    ids = build(services, household)
    left = {tid: max(0, p - back) for tid in ids
            for p, back in [paid_and_paid_back(services, tid)]}
    asked = dict.fromkeys(ids, 0)
    # The patient makes a bundle to each payer in turn and records it as the claim it is,
    # as the app asks her to: the claim form must accept exactly what the bundle asked.
    for destination in order:
        found = asks(services, ids, destination)
        for tid, cents in (found or {}).items():
            assert cents <= left[tid]  # one bundle alone
            asked[tid] += cents
            if cents:
                where = {"plan_id": services.records.list(m.InsurancePlan)[0].id} \
                    if destination == "insurer" else {"account_id": next(
                        a.id for a in services.records.list(m.Account) if a.kind == destination)}
                create_claim(services, treatment_id=tid, destination=destination,
                             status="submitted", submitted_on=DAY, amount_claimed_cents=cents,
                             **where)
    for tid in ids:
        assert asked[tid] <= left[tid]  # all of them together
    # An appeal asks the insurer again only for what is left too.
    for tid, cents in (asks(services, ids, "appeal") or {}).items():
        assert cents <= left[tid]


@SETTINGS
@given(household=households())
def test_the_dashboards_still_claimable_is_what_a_bundle_would_ask(new_folder, household):
    services = new_folder()
    ids = build(services, household)
    by_payer = {d: asks(services, ids, d) for d in PAYERS}
    money = treatment_money(services.db, ids)
    expected = 0
    for tid in ids:
        best = 0
        for destination in PAYERS:
            one = asks(services, [tid], destination)
            cents = 0 if one is None else one[tid]
            assert money[tid].claimable_cents(destination) == cents
            if by_payer[destination] is not None:
                assert by_payer[destination][tid] == cents  # alone or with the others
            best = max(best, cents)
        assert money[tid].still_claimable_cents == best
        expected += best
    assert totals(report_rows(services.db)).still_claimable_cents == expected
