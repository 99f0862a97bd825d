"""Field rules for each record: one clear sentence for the first thing that is wrong.

The services call ``validate`` before anything is written, so a failure changes nothing.
"""

import datetime as dt
from enum import StrEnum
from typing import Any

from . import models as m
from .codes.identifiers import check_place_of_service
from .dates import OUT_OF_RANGE, in_range
from .errors import ValidationError
from .money import MAX_CENTS, format_money

MAX_SIZE = 2**53 - 1  # bytes: beyond any real file, and exact in JSON readers

# Text fields a record cannot be saved without, with the sentence that asks for them.
REQUIRED_TEXT: dict[type, dict[str, str]] = {
    m.Person: {"name": "Give the person a name."},
    m.InsurancePlan: {"insurer": "Name the insurer (for example Aetna or Blue Cross)."},
    m.Provider: {"name": "Give the provider or clinic a name."},
    m.LabResult: {
        "test": "Name the lab test (for example Vitamin B12).",
        "value": "Enter the result value from the lab report.",
    },
    m.FinancingPlan: {"lender": "Name the lender (for example CareCredit)."},
    m.Document: {"original_name": "A document needs a file name."},
}

# Money fields that must be zero or more.
NON_NEGATIVE = {
    "total_cents", "amount_cents", "charge_cents", "amount_claimed_cents",
    "amount_paid_cents", "amount_allowed_cents", "amount_paid_to_provider_cents",
    "minimum_payment_cents", "size",
}

# Whole-number fields with a range: (lowest, highest, sentence).
RANGES = {
    "promo_apr_bp": (0, 10000, "The promotional APR must be between 0% and 100%."),
    "standard_apr_bp": (0, 10000, "The standard APR must be between 0% and 100%."),
    "promo_months": (0, 120, "The promotion length must be between 0 and 120 months."),
    "run_out_days": (0, 730, "The run-out period must be between 0 and 730 days."),
}

FIELD_LABELS = {
    "date_of_service": "date of service",
    "paid_on": "payment date",
    "issued_on": "estimate date",
    "collected_on": "collection date",
    "received_on": "date received",
    "written_on": "letter date",
    "purchase_date": "purchase date",
    "total_cents": "total",
    "amount_cents": "amount",
    "amount_paid_to_provider_cents": "amount paid to the provider",
}


def _label(field: str) -> str:
    return FIELD_LABELS.get(field, field.replace("_cents", "").replace("_", " "))


# Values entry refuses but the check flags (provider.incomplete): a records file keeps them as
# written, so a patient's own export always restores, and the check names them.
FLAGGED_BY_THE_CHECK = {(m.Provider, "place_of_service")}


def validate(model: type[m.Record], values: dict[str, Any], *, imported: bool = False) -> None:
    """Raise ValidationError for the first problem in a record's complete field values;
    ``imported`` lets through what the check flags (``FLAGGED_BY_THE_CHECK``)."""
    fields = model.model_fields
    for name in values:
        if name not in fields:
            raise ValidationError(f"{model.__name__} has no field called {name}.", name)
    for name, sentence in REQUIRED_TEXT.get(model, {}).items():
        if not str(values.get(name) or "").strip():
            raise ValidationError(sentence, name)
    for name, info in fields.items():
        value = values.get(name)
        annotation = info.annotation
        required = info.is_required() or (
            info.default is None and not _optional(annotation) and info.default_factory is None
        )
        if value is None:
            if required and name not in ("id",):
                raise ValidationError(f"The {_label(name)} is required.", name)
            continue
        base = _base_type(annotation)
        if base is dt.date and not isinstance(value, dt.date) or (
            base is dt.date and isinstance(value, dt.datetime)
        ):
            raise ValidationError(f"The {_label(name)} must be a date.", name)
        if base is dt.datetime and not isinstance(value, dt.datetime):
            raise ValidationError(f"The {_label(name)} must be a date and time.", name)
        if base in (dt.date, dt.datetime) and not in_range(value):
            raise ValidationError(f"The {_label(name)} {OUT_OF_RANGE}", name)
        if base is int and (not isinstance(value, int) or isinstance(value, bool)):
            raise ValidationError(f"The {_label(name)} must be a whole number.", name)
        if base is bool and not isinstance(value, bool):
            raise ValidationError(f"The {_label(name)} must be yes or no.", name)
        if isinstance(base, type) and issubclass(base, StrEnum):
            try:
                base(value)
            except ValueError:
                choices = ", ".join(getattr(c, "label", c.value) for c in base)
                raise ValidationError(
                    f'"{value}" is not a valid {_label(name)}; choose one of: {choices}.', name
                ) from None
        if name in NON_NEGATIVE and isinstance(value, int) and value < 0:
            raise ValidationError(f"The {_label(name)} cannot be negative.", name)
        if name.endswith("_cents") and isinstance(value, int) and value > MAX_CENTS:
            raise ValidationError(
                f"The {_label(name)} is more than {format_money(MAX_CENTS)}; check the amount.",
                name,
            )
        if name == "size" and isinstance(value, int) and value > MAX_SIZE:
            raise ValidationError("The file size is not a real file's size.", name)
        if name in RANGES and isinstance(value, int):
            low, high, sentence = RANGES[name]
            if not low <= value <= high:
                raise ValidationError(sentence, name)
    _cross_field(model, values, imported)


# (model, earlier field, later field, sentence when later < earlier)
DATE_ORDER = [
    (m.Determination, "valid_from", "valid_to", "The end of validity is before its start."),
    (m.MedicalNecessityLetter, "written_on", "valid_until",
     "The letter cannot expire before it was written."),
    (m.FinancingPlan, "purchase_date", "promo_end", "The promotion cannot end before the purchase."),
    (m.Account, "plan_year_start", "plan_year_end", "The plan year ends before it starts."),
]


# Claim statuses under which nothing has been paid back (an appeal may follow a partial pay).
_NOT_PAID = {"draft", "submitted", "pending", "denied"}


def _cross_field(model: type[m.Record], v: dict[str, Any], imported: bool = False) -> None:
    for owner, earlier, later, sentence in DATE_ORDER:
        if model is owner and v.get(earlier) and v.get(later) and v[later] < v[earlier]:
            raise ValidationError(sentence, later)
    limit = v.get("filing_limit_days")
    if model is m.InsurancePlan and limit is not None and not 1 <= limit <= 3650:
        raise ValidationError(
            "The claim-filing limit must be between 1 and 3,650 days.", "filing_limit_days"
        )
    pos = v.get("place_of_service")
    if model is m.Provider and pos and not imported:
        check_place_of_service(pos)
    if model is m.Claim:
        if v.get("destination") == "insurer" and v.get("account_id"):
            raise ValidationError("An insurer claim goes to a plan, not an HSA or FSA.", "account_id")
        if v.get("destination") in ("hsa", "fsa") and v.get("plan_id"):
            raise ValidationError("An HSA or FSA claim goes to an account, not a plan.", "plan_id")
        if v.get("submitted_on") and v.get("paid_on") and v["paid_on"] < v["submitted_on"]:
            raise ValidationError("A claim cannot be paid before it was submitted.", "paid_on")
        if (v.get("amount_paid_cents") or 0) > 0 and v.get("status") in _NOT_PAID:
            raise ValidationError(
                "This claim has money paid back, so it is paid or partly paid: set its status "
                "(or clear the amount paid back).", "status",
            )
        if (v.get("amount_paid_to_provider_cents") or 0) > 0 and v.get("status") in _NOT_PAID:
            raise ValidationError(
                "This claim has money paid to the provider, so it is paid or partly paid: set "
                "its status (or clear the amount paid to the provider).", "status",
            )


def _optional(annotation) -> bool:
    return type(None) in getattr(annotation, "__args__", ())


def _base_type(annotation):
    args = [a for a in getattr(annotation, "__args__", ()) if a is not type(None)]
    return args[0] if args else annotation
