"""Which treatments a bundle covers, and the records around them that a reviewer needs.

A selection names treatments by id, or by a date range (and a person when the household has
several). The bundle is always about one patient: the cover letter goes to one payer about
one member. Around each treatment we gather what the payer will ask for: the provider, the
plan or account, codes and lines, receipts, lab results, insurer calls, written
determinations, letters of medical necessity, claims and Good Faith Estimates. Financing
plans and the user's private notes stay out: a payer has no need of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TypeVar

from sqlmodel import col

from ..core import models as m
from ..core.enums import ClaimDestination, DeterminationKind
from ..core.errors import ValidationError
from ..core.reimbursement import TreatmentMoney, treatment_money
from ..core.services import Services
from ..core.vocabulary import Destination, check_destination


@dataclass(frozen=True)
class BundleSelection:
    """Treatments by id, or every treatment from ``date_from`` to ``date_to`` (inclusive)."""

    treatment_ids: tuple[int, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    person_id: int | None = None


@dataclass
class Receipted:
    receipt: m.Receipt
    lines: list[m.ReceiptLine]


@dataclass
class Letter:
    letter: m.MedicalNecessityLetter
    diagnoses: list[str]
    treatment_ids: list[int]


@dataclass
class TreatmentRecords:
    """One treatment and everything that belongs to it."""

    treatment: m.Treatment
    provider: m.Provider | None
    plan: m.InsurancePlan | None
    diagnoses: list[m.DiagnosisCode]
    lines: list[m.ProcedureLine]
    receipts: list[Receipted] = field(default_factory=list)
    estimates: list[m.GoodFaithEstimate] = field(default_factory=list)
    labs: list[m.LabResult] = field(default_factory=list)
    calls: list[m.InsurerCall] = field(default_factory=list)
    determinations: list[m.Determination] = field(default_factory=list)
    letters: list[Letter] = field(default_factory=list)
    claims: list[m.Claim] = field(default_factory=list)
    referring: m.Provider | None = None  # who referred the patient (CMS-1500 box 17)


@dataclass
class BundleRecords:
    """What the bundle is made of, gathered once and read by every part of the writer."""

    destination: Destination
    person: m.Person
    payer_plan: m.InsurancePlan | None  # insurer and appeal bundles
    account: m.Account | None  # HSA and FSA bundles
    treatments: list[TreatmentRecords]
    # Every plan a treatment, call or determination names (an HSA bundle still shows the
    # insurer's EOB, and the EOB names its insurer).
    plans: dict[int, m.InsurancePlan] = field(default_factory=dict)
    # The core's money figures of each treatment: the only source of every amount shown.
    money: dict[int, TreatmentMoney] = field(default_factory=dict)
    # The patient's pre-authorizations, whichever visit each is filed with (one approval
    # often covers a series of visits).
    authorizations: list[m.Determination] = field(default_factory=list)

    @property
    def treatment_ids(self) -> list[int]:
        return [t.treatment.id for t in self.treatments]

    def unique(self, attribute: str) -> list:
        """Items of one kind across treatments (``"calls"``), each once, in first-seen order:
        a coverage call or a letter can concern several treatments."""
        seen: dict[int, object] = {}
        for t in self.treatments:
            for item in getattr(t, attribute):
                seen.setdefault(record_of(item).id, item)
        return list(seen.values())


def record_of(item) -> m.Record:
    """The stored record behind a gathered item."""
    if isinstance(item, Receipted):
        return item.receipt
    if isinstance(item, Letter):
        return item.letter
    return item


def resolve_treatments(services: Services, selection: BundleSelection) -> list[m.Treatment]:
    """The live treatments a selection names, oldest first; all for one patient."""
    records = services.records
    if selection.treatment_ids:
        if selection.date_from or selection.date_to:
            raise ValidationError("Choose treatments by number or by dates, not both.")
        found = [records.get(m.Treatment, tid) for tid in dict.fromkeys(selection.treatment_ids)]
    else:
        if selection.date_from is None and selection.date_to is None:
            raise ValidationError(
                "Choose the treatments for the bundle: give their numbers or a date range."
            )
        if selection.date_from and selection.date_to and selection.date_to < selection.date_from:
            raise ValidationError("The end of the date range is before its start.")
        where = []
        if selection.date_from:
            where.append(col(m.Treatment.date_of_service) >= selection.date_from)
        if selection.date_to:
            where.append(col(m.Treatment.date_of_service) <= selection.date_to)
        if selection.person_id is not None:
            records.get(m.Person, selection.person_id)
            where.append(col(m.Treatment.person_id) == selection.person_id)
        found = records.list(m.Treatment, where=where)
        if not found:
            raise ValidationError("No treatment falls in that date range.")
    people = {t.person_id for t in found}
    if selection.person_id is not None and people != {selection.person_id}:
        raise ValidationError("Those treatments are for someone else than the chosen person.")
    if len(people) > 1:
        raise ValidationError(
            "Those treatments are for more than one person; a bundle covers one patient, "
            "so choose one person."
        )
    return sorted(found, key=lambda t: (t.date_of_service, t.id))


def gather(services: Services, selection: BundleSelection, destination: str) -> BundleRecords:
    """Everything the bundle needs, read through the services. Raises ValidationError when
    an insurer claim bundle would ask the insurer again for a treatment it has decided."""
    destination = check_destination(destination)
    treatments = resolve_treatments(services, selection)
    records, details = services.records, services.details
    person = records.get(m.Person, treatments[0].person_id)
    ids = [t.id for t in treatments]
    plan_ids = {t.plan_id for t in treatments if t.plan_id is not None}

    def by_treatment(model):
        return records.list(model, where=[col(model.treatment_id).in_(ids)])

    def person_level(model):
        # Records of this patient not tied to a treatment (a coverage call made before any
        # visit) count for the plan the treatments were billed to, or when no plan is named.
        return records.list(model, where=[
            col(model.person_id) == person.id, col(model.treatment_id).is_(None),
        ])

    receipts = by_treatment(m.Receipt)
    estimates = by_treatment(m.GoodFaithEstimate)
    labs = by_treatment(m.LabResult)
    calls = by_treatment(m.InsurerCall)
    determinations = by_treatment(m.Determination)
    claims = by_treatment(m.Claim)
    loose_calls = [c for c in person_level(m.InsurerCall) if _same_plan(c, plan_ids)]
    loose_determinations = [d for d in person_level(m.Determination) if _same_plan(d, plan_ids)]
    loose_labs = person_level(m.LabResult)
    letters = _letters(services, person.id)

    out: list[TreatmentRecords] = []
    providers: dict[int, m.Provider] = {}
    plans: dict[int, m.InsurancePlan] = {}
    for t in treatments:
        for provider_id in (t.provider_id, t.referring_provider_id):
            if provider_id is not None and provider_id not in providers:
                providers[provider_id] = records.get(m.Provider, provider_id, include_deleted=True)
        if t.plan_id is not None and t.plan_id not in plans:
            plans[t.plan_id] = records.get(m.InsurancePlan, t.plan_id, include_deleted=True)
        dx = details.diagnoses(t.id)
        codes = {d.code for d in dx}
        out.append(TreatmentRecords(
            treatment=t,
            provider=_found(providers, t.provider_id),
            referring=_found(providers, t.referring_provider_id),
            plan=_found(plans, t.plan_id),
            diagnoses=dx,
            lines=details.procedure_lines(t.id),
            receipts=[
                Receipted(r, details.receipt_lines(r.id))
                for r in _dated(receipts, t.id, "paid_on")
            ],
            estimates=_dated(estimates, t.id, "issued_on"),
            labs=_dated(labs, t.id, "collected_on") + [
                lab for lab in loose_labs if _lab_documents(lab, t)
            ],
            calls=sorted(
                [c for c in calls if c.treatment_id == t.id] + _for_plan(loose_calls, t),
                key=lambda c: (c.called_at or dt.datetime.min, c.id),
            ),
            determinations=sorted(
                [d for d in determinations if d.treatment_id == t.id]
                + _for_plan(loose_determinations, t),
                key=lambda d: (d.received_on, d.id),
            ),
            letters=[x for x in letters if _covers(x, t, codes)],
            claims=_dated(claims, t.id, "submitted_on"),
        ))
    payer_plan = _payer_plan(services, person, treatments, plans, destination)
    if payer_plan is not None:
        plans.setdefault(payer_plan.id, payer_plan)
    for gathered_records in out:
        answers: list[m.InsurerCall | m.Determination] = [
            *gathered_records.calls, *gathered_records.determinations]
        for r in answers:
            if r.plan_id is not None and r.plan_id not in plans:
                plans[r.plan_id] = records.get(m.InsurancePlan, r.plan_id, include_deleted=True)
    account = _account(services, person, destination, claims)
    authorizations = records.list(m.Determination, where=[
        col(m.Determination.person_id) == person.id,
        col(m.Determination.kind) == DeterminationKind.preauthorization,
    ])
    gathered = BundleRecords(destination, person, payer_plan, account, out, plans,
                             treatment_money(services.db, ids), authorizations)
    from .asking import refuse_asking_again

    refuse_asking_again(gathered)
    return gathered


Held = TypeVar("Held")


def _found(found: dict[int, Held], record_id: int | None) -> Held | None:
    """The record gathered under this id, or None for no reference."""
    return found.get(record_id) if record_id is not None else None


def _dated(rows, treatment_id: int, date_field: str) -> list:
    mine = [r for r in rows if r.treatment_id == treatment_id]
    return sorted(mine, key=lambda r: (getattr(r, date_field) or dt.date.min, r.id))


def _same_plan(record, plan_ids: set[int]) -> bool:
    return record.plan_id is None or record.plan_id in plan_ids


def _for_plan(rows, t: m.Treatment) -> list:
    # A loose call or determination about plan P belongs with the treatments billed to P.
    return [r for r in rows if r.plan_id is None or r.plan_id == t.plan_id]


def _lab_documents(lab: m.LabResult, t: m.Treatment) -> bool:
    """A lab not tied to a visit still documents one when taken in the year before it."""
    return t.date_of_service - dt.timedelta(days=365) <= lab.collected_on <= t.date_of_service


def _letters(services: Services, person_id: int) -> list[Letter]:
    details = services.details
    return [
        Letter(x, details.letter_diagnoses(x.id), details.letter_treatments(x.id))
        for x in services.records.list(
            m.MedicalNecessityLetter,
            where=[col(m.MedicalNecessityLetter.person_id) == person_id],
            order_by=col(m.MedicalNecessityLetter.written_on),
        )
    ]


def _covers(letter: Letter, t: m.Treatment, codes: set[str]) -> bool:
    """Named for the treatment, or written for one of its diagnoses before the visit and
    still valid on the day."""
    if t.id in letter.treatment_ids:
        return True
    if letter.treatment_ids or not codes.intersection(letter.diagnoses):
        return False
    x = letter.letter
    return x.written_on <= t.date_of_service and (
        x.valid_until is None or t.date_of_service <= x.valid_until
    )


def _payer_plan(services: Services, person, treatments, plans, destination) -> m.InsurancePlan | None:
    if destination.payer != ClaimDestination.insurer:
        return None
    for t in treatments:  # the plan the first treatment was billed to
        if t.plan_id is not None:
            return plans[t.plan_id]
    own = services.records.list(
        m.InsurancePlan, where=[col(m.InsurancePlan.person_id) == person.id]
    )
    return own[0] if len(own) == 1 else None


def _account(services: Services, person, destination, claims) -> m.Account | None:
    if not destination.to_account:
        return None
    for claim in claims:  # a claim already made to a named account decides
        if claim.destination == destination and claim.account_id is not None:
            return services.records.get(m.Account, claim.account_id, include_deleted=True)
    own = services.records.list(m.Account, where=[
        col(m.Account.person_id) == person.id, col(m.Account.kind) == destination,
    ])
    # The newest account of that kind is the one a patient files with today.
    return max(own, key=lambda a: (a.opened_on or dt.date.min, a.id)) if own else None
