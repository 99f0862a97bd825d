"""The rows the documentation check reads: one named tuple per bulk query, its fields the
columns the query selects, in order (``queries.py`` builds each select from these fields, and
the store's row reader refuses a select whose columns differ).

Values are as SQLite hands them back: enum columns hold their string values ("prp", never
``Category.prp``, which compares equal anyway), booleans 0 or 1, dates ``date`` and times
``datetime`` (converted by the reader). Named tuples rather than dataclasses: a check over
10,000 treatments builds some 100,000 of them, each in C.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple


class TreatmentRow(NamedTuple):
    id: int
    person_id: int
    provider_id: int | None
    plan_id: int | None
    date_of_service: dt.date
    category: str
    indication: str
    paid_by_patient: int  # 0 or 1
    body_site: str
    side: str
    description: str


class ProviderRow(NamedTuple):
    id: int
    name: str
    npi: str
    tax_id: str
    address: str
    place_of_service: str


class PlanRow(NamedTuple):
    id: int
    person_id: int
    insurer: str
    plan_type: str
    filing_limit_days: int | None


class AccountRow(NamedTuple):
    id: int
    person_id: int
    kind: str
    administrator: str
    opened_on: dt.date | None
    plan_year_start: dt.date | None
    plan_year_end: dt.date | None
    extension: str
    grace_period_end: dt.date | None
    run_out_days: int | None


class ProcedureLineRow(NamedTuple):
    treatment_id: int
    position: int
    code: str
    modifiers: str
    pointers: str
    charge_cents: int


class ClaimRow(NamedTuple):
    id: int
    treatment_id: int
    destination: str
    account_id: int | None
    plan_id: int | None
    determination_id: int | None
    status: str


class EstimateRow(NamedTuple):
    id: int
    person_id: int
    treatment_id: int | None
    issued_on: dt.date
    total_cents: int


class ReceiptRow(NamedTuple):
    id: int
    treatment_id: int
    paid_on: dt.date
    total_cents: int
    payment_method: str


class LabRow(NamedTuple):
    id: int
    person_id: int
    treatment_id: int | None
    test: str
    collected_on: dt.date
    abnormal: int  # 0 or 1


class CallRow(NamedTuple):
    id: int
    person_id: int
    plan_id: int | None
    treatment_id: int | None
    called_at: dt.datetime | None
    rep_name: str
    reference_number: str
    outcome: str
    written_confirmation: str
    confirmation_requested_on: dt.date | None


class DeterminationRow(NamedTuple):
    id: int
    person_id: int
    plan_id: int | None
    treatment_id: int | None
    call_id: int | None
    kind: str
    decision: str
    reference_number: str
    received_on: dt.date
    valid_from: dt.date | None
    valid_to: dt.date | None
    is_final: int  # 0 or 1


class LetterRow(NamedTuple):
    """A letter of medical necessity as read, its diagnoses and treatments space-separated
    (the loader turns it into ``facts.Letter``)."""

    id: int
    person_id: int
    physician_name: str | None
    written_on: dt.date
    valid_until: dt.date | None
    codes: str | None
    treatment_ids: str | None


class FinancingPlanRow(NamedTuple):
    id: int
    person_id: int
    treatment_id: int | None
    lender: str
    amount_cents: int
    purchase_date: dt.date
    promo_months: int
    promo_end: dt.date | None
    promo_apr_bp: int
    standard_apr_bp: int
    deferred_interest: int  # 0 or 1
    minimum_payment_cents: int
