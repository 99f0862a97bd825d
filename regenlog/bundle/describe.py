"""Short descriptions of records in the patient's words, shared by the two PDFs."""

from __future__ import annotations

import re

from ..core import models as m
from ..core.codes import mask_tax_id
from ..core.enums import CallOutcome, Category, Side

_EIN = re.compile(r"[0-9]{2}-[0-9]{7}")


def service(t: m.Treatment) -> str:
    """"PRP, right knee" / "IV therapy": what was done, where."""
    text = Category(t.category).label
    site = t.body_site.strip()
    if site:
        side = Side(t.side)
        text += f", {side.value} {site}" if side in (Side.left, Side.right) else (
            f", {site} (both sides)" if side == Side.bilateral else f", {site}"
        )
    return text


def provider_name(p: m.Provider | None) -> str:
    if p is None:
        return "Provider not recorded"
    return f"{p.name}, {p.credentials}" if p.credentials else p.name


def tax_id(p: m.Provider | None) -> str:
    """An EIN (NN-NNNNNNN) is the business's public number and prints whole; anything else
    may be a sole practitioner's SSN, which a bundle never shows in full."""
    if p is None or not p.tax_id:
        return ""
    text = p.tax_id.strip()
    if p.is_organization and re.fullmatch(r"[0-9]{9}", text):
        # A business has an EIN, never an SSN: nine digits typed without the dash are one.
        return f"{text[:2]}-{text[2:]}"
    return text if _EIN.fullmatch(text) else mask_tax_id(text)


def is_not_a_guarantee(call: m.InsurerCall) -> bool:
    return call.outcome in (CallOutcome.not_currently_denied, CallOutcome.preauth_required)


def outcome(call: m.InsurerCall) -> str:
    label = CallOutcome(call.outcome).label
    return f"{label} (not a guarantee of payment)" if is_not_a_guarantee(call) else label


def payer_name(records) -> str:
    if records.payer_plan is not None:
        return records.payer_plan.insurer
    if records.account is not None and records.account.administrator:
        return records.account.administrator
    if records.destination.to_account:
        return f"{records.destination.payer.label} administrator"
    return "Claims department"
