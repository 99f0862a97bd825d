"""Hypothesis strategies for whole households of records, built through the services.

``households()`` draws a plan (plain data, references by position) that obeys the services'
rules; ``populate(services, plan)`` creates it, parts and documents included, and moves some
records to the trash. Reusable by any test that needs varied, valid data.
"""

import datetime as dt

from hypothesis import strategies as st

from regenlog.core import enums
from regenlog.core import models as m
from regenlog.core.services import ProcedureInput, ReceiptLineInput

# Well-formed, billable FY2026 ICD-10-CM codes seen on regenerative-medicine paperwork.
DX_CODES = [
    "M17.11", "M17.12", "M17.0", "M25.561", "M75.101", "E53.8", "E55.9", "M54.50",
    "M70.61", "S83.511A", "M76.61", "M72.2",
]
PX_CODES = ["0232T", "20610", "J3420", "76942", "99204", "86999", "38232", "G0460"]
MODIFIERS = ["RT", "LT", "50", "59", "GA", "KX"]

UTC = dt.UTC

text = st.text(
    st.characters(exclude_categories=("Cs", "Cc"), include_characters="\n"), max_size=24
)
names = text.filter(lambda s: s.strip())
dates = st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31))
cents = st.integers(0, 5_000_000)
datetimes = st.datetimes(dt.datetime(2015, 1, 1), dt.datetime(2030, 12, 31)).map(
    lambda d: d.replace(tzinfo=UTC)
)


def maybe(strategy):
    return st.none() | strategy


def _enum(cls):
    return st.sampled_from(list(cls))


@st.composite
def households(draw, max_treatments: int = 4) -> dict:
    """A plan of records, every reference an index into an earlier list."""
    plan: dict = {}
    n_people = draw(st.integers(1, 2))
    plan["people"] = [
        {"name": draw(names), "date_of_birth": draw(maybe(dates)), "sex": draw(text),
         "address": draw(text), "notes": draw(text)}
        for _ in range(n_people)
    ]
    person = st.integers(0, n_people - 1)
    plan["providers"] = [
        {"name": draw(names), "credentials": draw(text), "is_organization": draw(st.booleans()),
         "npi": draw(st.sampled_from(["", "1234567893"])),
         "place_of_service": draw(st.sampled_from(["", "11", "22"]))}
        for _ in range(draw(st.integers(0, 2)))
    ]
    plan["insurance_plans"] = [
        {"person_id": draw(person), "insurer": draw(names), "plan_type": draw(_enum(enums.PlanType)),
         "filing_limit_days": draw(maybe(st.integers(1, 3650))), "member_id": draw(text)}
        for _ in range(draw(st.integers(0, 2)))
    ]
    accounts = []
    for _ in range(draw(st.integers(0, 2))):
        start = draw(maybe(dates))
        accounts.append({
            "person_id": draw(person), "kind": draw(_enum(enums.AccountKind)),
            "opened_on": draw(maybe(dates)), "extension": draw(_enum(enums.FsaExtension)),
            "plan_year_start": start,
            "plan_year_end": None if start is None else start + dt.timedelta(days=364),
            "run_out_days": draw(maybe(st.integers(0, 120))),
        })
    plan["accounts"] = accounts
    n_prov, n_plans = len(plan["providers"]), len(plan["insurance_plans"])
    treatments = []
    for _ in range(draw(st.integers(0, max_treatments))):
        dx = draw(st.lists(st.sampled_from(DX_CODES), max_size=3, unique=True))
        lines = [
            ProcedureInput(
                code=draw(st.sampled_from(PX_CODES)), charge_cents=draw(cents),
                units=draw(st.integers(1, 999)),
                modifiers=",".join(draw(st.lists(st.sampled_from(MODIFIERS), max_size=4, unique=True))),
                pointers="".join("ABC"[: draw(st.integers(1, len(dx)))]) if dx else "A",
                description=draw(text),
            )
            for _ in range(draw(st.integers(0, 2)))
        ]
        treatments.append({
            "values": {
                "person_id": draw(person),
                "provider_id": draw(maybe(st.integers(0, n_prov - 1))) if n_prov else None,
                "plan_id": draw(maybe(st.integers(0, n_plans - 1))) if n_plans else None,
                "date_of_service": draw(dates), "category": draw(_enum(enums.Category)),
                "side": draw(_enum(enums.Side)), "body_site": draw(text),
                "regulatory_note": draw(_enum(enums.RegulatoryNote)),
                "paid_by_patient": draw(st.booleans()), "description": draw(text),
            },
            "diagnoses": dx, "procedure_lines": lines,
        })
    plan["treatments"] = treatments
    n_t = len(treatments)
    treatment = st.integers(0, n_t - 1) if n_t else st.nothing()
    plan["receipts"] = [
        {"values": {"treatment_id": draw(treatment), "paid_on": draw(dates),
                    "total_cents": draw(cents), "payment_method": draw(_enum(enums.PaymentMethod)),
                    "receipt_number": draw(text)},
         "lines": [ReceiptLineInput(draw(_enum(enums.ReceiptLineKind)), draw(cents), draw(text))
                   for _ in range(draw(st.integers(0, 3)))]}
        for _ in range(draw(st.integers(0, n_t and 2)))
    ]
    plan["insurer_calls"] = [
        {"person_id": draw(person), "called_at": draw(maybe(datetimes)), "rep_name": draw(text),
         "reference_number": draw(text), "outcome": draw(_enum(enums.CallOutcome)),
         "written_confirmation": draw(_enum(enums.WrittenConfirmation))}
        for _ in range(draw(st.integers(0, 2)))
    ]
    n_calls = len(plan["insurer_calls"])
    determinations = []
    for _ in range(draw(st.integers(0, 2))):
        start = draw(maybe(dates))
        determinations.append({
            "person_id": draw(person), "kind": draw(_enum(enums.DeterminationKind)),
            "decision": draw(_enum(enums.Decision)), "received_on": draw(dates),
            "call_id": draw(maybe(st.integers(0, n_calls - 1))) if n_calls else None,
            "valid_from": start,
            "valid_to": None if start is None else start + dt.timedelta(days=draw(st.integers(0, 400))),
            "is_final": draw(st.booleans()), "amount_paid_cents": draw(maybe(cents)),
        })
    plan["determinations"] = determinations
    letters = []
    for _ in range(draw(st.integers(0, 2))):
        who = draw(person)
        written = draw(dates)
        mine = [i for i, t in enumerate(treatments) if t["values"]["person_id"] == who]
        letters.append({
            "values": {"person_id": who, "written_on": written, "physician_name": draw(text),
                       "valid_until": draw(maybe(st.just(written + dt.timedelta(days=365))))},
            "diagnoses": draw(st.lists(st.sampled_from(DX_CODES), max_size=3, unique=True)),
            "treatments": draw(st.lists(st.sampled_from(mine), unique=True)) if mine else [],
        })
    plan["medical_necessity_letters"] = letters
    claims = []
    for _ in range(draw(st.integers(0, n_t and 2))):
        destination = draw(_enum(enums.ClaimDestination))
        insurer = destination == enums.ClaimDestination.insurer
        claims.append({
            "treatment_id": draw(treatment), "destination": destination,
            "plan_id": draw(maybe(st.integers(0, n_plans - 1))) if insurer and n_plans else None,
            "account_id": draw(maybe(st.integers(0, len(accounts) - 1)))
            if not insurer and accounts else None,
            "status": draw(_enum(enums.ClaimStatus)), "amount_claimed_cents": draw(cents),
            "submitted_on": draw(maybe(dates)),
        })
    plan["claims"] = claims
    financing = []
    for _ in range(draw(st.integers(0, 1))):
        bought = draw(dates)
        financing.append({
            "values": {"person_id": draw(person), "lender": draw(names), "amount_cents": draw(cents),
                       "purchase_date": bought, "promo_apr_bp": draw(st.integers(0, 10000)),
                       "standard_apr_bp": draw(st.integers(0, 10000)),
                       "promo_end": draw(maybe(st.just(bought + dt.timedelta(days=365)))),
                       "deferred_interest": draw(st.booleans())},
            "payments": [(bought + dt.timedelta(days=draw(st.integers(0, 60))),
                          draw(st.integers(1, 100_000))) for _ in range(draw(st.integers(0, 3)))],
        })
    plan["financing_plans"] = financing
    linkable = [(key, i) for key in ("treatments", "receipts", "insurer_calls")
                for i in range(len(plan[key]))]
    plan["documents"] = [
        {"data": draw(st.binary(max_size=64)), "name": draw(names).strip()[:40] or "scan",
         "kind": draw(_enum(enums.DocumentKind)), "document_date": draw(maybe(dates)),
         "links": draw(st.lists(st.sampled_from(linkable), unique=True, max_size=2))
         if linkable else []}
        for _ in range(draw(st.integers(0, 2)))
    ]
    # Leaf records nothing depends on, safe to move to the trash.
    leaves = [(key, i) for key in ("receipts", "claims", "documents", "financing_plans")
              for i in range(len(plan[key]))]
    plan["trash"] = draw(st.lists(st.sampled_from(leaves), unique=True)) if leaves else []
    return plan


MODELS = {
    "people": m.Person, "providers": m.Provider, "insurance_plans": m.InsurancePlan,
    "accounts": m.Account, "treatments": m.Treatment, "receipts": m.Receipt,
    "insurer_calls": m.InsurerCall, "determinations": m.Determination,
    "medical_necessity_letters": m.MedicalNecessityLetter, "claims": m.Claim,
    "financing_plans": m.FinancingPlan, "documents": m.Document,
}
REFERS = {
    "person_id": "people", "provider_id": "providers", "plan_id": "insurance_plans",
    "account_id": "accounts", "treatment_id": "treatments", "call_id": "insurer_calls",
}
LINK_TYPES = {"treatments": "treatment", "receipts": "receipt", "insurer_calls": "insurer_call"}


def populate(services, plan: dict) -> dict[str, list[int]]:
    """Create ``plan`` through the services; returns the ids created per list."""
    ids: dict[str, list[int]] = {}

    def create(key: str, values: dict) -> int:
        resolved = {
            k: (ids[REFERS[k]][v] if k in REFERS and v is not None else v)
            for k, v in values.items()
        }
        record_id = services.records.create(MODELS[key], **resolved).id
        ids.setdefault(key, []).append(record_id)
        return record_id

    for key in ("people", "providers", "insurance_plans", "accounts"):
        for values in plan[key]:
            create(key, values)
    for t in plan["treatments"]:
        tid = create("treatments", t["values"])
        services.details.set_diagnoses(tid, t["diagnoses"])
        services.details.set_procedure_lines(tid, t["procedure_lines"])
    for r in plan["receipts"]:
        services.details.set_receipt_lines(create("receipts", r["values"]), r["lines"])
    for key in ("insurer_calls", "determinations"):
        for values in plan[key]:
            create(key, values)
    for letter in plan["medical_necessity_letters"]:
        lid = create("medical_necessity_letters", letter["values"])
        services.details.set_letter_coverage(
            lid, letter["diagnoses"], [ids["treatments"][i] for i in letter["treatments"]]
        )
    for values in plan["claims"]:
        create("claims", values)
    for f in plan["financing_plans"]:
        fid = create("financing_plans", f["values"])
        for paid_on, amount in f["payments"]:
            services.details.add_payment(fid, paid_on, amount)
    for d in plan["documents"]:
        doc = services.documents.attach_bytes(
            d["data"], d["name"], kind=d["kind"], document_date=d["document_date"],
            links=[(LINK_TYPES[key], ids[key][i]) for key, i in d["links"]],
        )
        ids.setdefault("documents", []).append(doc.id)
    for key, i in plan["trash"]:
        services.records.delete(MODELS[key], ids[key][i])
    return ids
