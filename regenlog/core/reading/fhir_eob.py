"""A payer's ExplanationOfBenefit as data: CARIN Blue Button (FHIR R4) Bundle or NDJSON.

Insurers' patient-access downloads give claims as ``ExplanationOfBenefit`` resources. The
claim number is the identifier typed ``uc``; dates are ``billablePeriod`` and each item's
``servicedDate``/``servicedPeriod``; money is in ``total[]`` and ``item[].adjudication[]``
keyed by category (submitted, eligible, benefit, memberliability...). Medicare writes
ICD-10 codes without their dot: it is added, then the code is checked like any other.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from regenlog.core.codes import check_icd10, check_npi
from regenlog.core.dates import in_range
from regenlog.core.errors import ValidationError
from regenlog.core.money import MAX_CENTS
from regenlog.core.reading import values as v
from regenlog.core.reading.errors import ReadingError
from regenlog.core.reading.limits import MAX_FHIR_RESOURCES
from regenlog.core.reading.result import ProcedureLine, Proposal, ReadResult

CONFIDENCE = 0.99  # structured data, and every value passed its check
NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
ICD10_SYSTEMS = ("http://hl7.org/fhir/sid/icd-10-cm", "http://hl7.org/fhir/sid/icd-10")
TOTALS = {
    "submitted": "billed_cents",
    "eligible": "allowed_cents",
    "memberliability": "patient_responsibility_cents",
}
PAID = ("paidtoprovider", "paidtopatient", "benefit")


def read_fhir(path: Path) -> ReadResult:
    resources = _load(path)
    eobs = [r for r in resources if r.get("resourceType") == "ExplanationOfBenefit"]
    if not eobs:
        raise ReadingError(
            f"{path.name} is JSON but holds no FHIR ExplanationOfBenefit, so there is no EOB "
            "to read."
        )
    index = {f"{r.get('resourceType')}/{r.get('id')}": r for r in resources if r.get("id")}
    results = []
    for eob in eobs:
        try:
            results.append(_read_eob(eob, index))
        except (TypeError, AttributeError, KeyError, ValueError):
            results.append(ReadResult(kind="eob", method="fhir", problems=[
                "One ExplanationOfBenefit in the file is malformed and was skipped."]))
    first = results[0]
    if len(results) > 1:
        first.more = results[1:]
        first.problems.append(
            f"The file holds {len(results)} claims; the first is shown, the others are listed "
            "under documents."
        )
    return first


def _load(path: Path) -> list[dict]:
    """Resources from a Bundle, a single resource, or NDJSON (one resource per line)."""
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError:
        raise ReadingError(f"{path.name} is not UTF-8 text, so it is not a FHIR file.") from None
    try:
        data = json.loads(text, parse_float=Decimal)
        items = [data]
    except RecursionError:
        raise ReadingError(f"{path.name} is nested too deeply to be a FHIR file.") from None
    except json.JSONDecodeError:
        items = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                items.append(json.loads(line, parse_float=Decimal))
            except (json.JSONDecodeError, RecursionError):
                raise ReadingError(
                    f"{path.name} is damaged: line {number} is not JSON, so it is neither a "
                    "FHIR Bundle nor NDJSON."
                ) from None
            if len(items) > MAX_FHIR_RESOURCES:
                break
    resources: list[dict] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        if item.get("resourceType") == "Bundle":
            for entry in item.get("entry") or []:
                if isinstance(entry, dict) and isinstance(entry.get("resource"), dict):
                    resources.append(entry["resource"])
        else:
            resources.append(item)
        if len(resources) > MAX_FHIR_RESOURCES:
            raise ReadingError(
                f"{path.name} holds more than {MAX_FHIR_RESOURCES:,} resources; download a "
                "shorter period and read that."
            )
    if not resources:
        raise ReadingError(f"{path.name} is JSON but not FHIR, so there is no EOB to read.")
    return resources


def _proposal(value: Any) -> Proposal:
    return Proposal(value, CONFIDENCE, None, None)


def _codes(concept: Any) -> list[tuple[str, str, str]]:
    """(system, code, display) of each coding of a CodeableConcept."""
    if not isinstance(concept, dict):
        return []
    return [
        (str(c.get("system") or ""), str(c.get("code") or ""), str(c.get("display") or ""))
        for c in concept.get("coding") or [] if isinstance(c, dict)
    ]


def _category(entry: dict) -> set[str]:
    return {code.lower() for _, code, _ in _codes(entry.get("category"))}


def _cents(money: Any) -> int | None:
    if not isinstance(money, dict) or money.get("currency", "USD") != "USD":
        return None
    try:
        value = Decimal(str(money.get("value")))
        cents = int((value * 100).to_integral_value())
    except (InvalidOperation, ValueError, TypeError):
        return None
    return cents if 0 <= cents <= MAX_CENTS and value * 100 == cents else None


def _date(text: Any) -> dt.date | None:
    if not isinstance(text, str):
        return None
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        return None
    return day if in_range(day) else None


def _resolve(reference: Any, index: dict) -> dict | None:
    if isinstance(reference, dict) and isinstance(reference.get("reference"), str):
        ref = reference["reference"]
        if ref.startswith("#"):
            return None
        return index.get("/".join(ref.split("/")[-2:]))
    return None


def _name(resource: dict | None, reference: Any) -> str | None:
    text = None
    if resource:
        if isinstance(resource.get("name"), str):
            text = resource["name"]  # an Organization
        else:
            names = resource.get("name") or []
            if names and isinstance(names[0], dict):
                first = names[0]
                text = first.get("text") or " ".join(
                    [*(first.get("given") or []), str(first.get("family") or "")]).strip()
    if not text and isinstance(reference, dict):
        text = reference.get("display")
    if not isinstance(text, str) or not text.strip():
        return None
    read = v.read_name_value(" ".join(text.split()), credentials=True)
    return read[0] if read and read[1] >= len(" ".join(text.split())) - 1 else None


def _npi(resource: dict | None, reference: Any) -> str | None:
    identifiers = list((resource or {}).get("identifier") or [])
    if isinstance(reference, dict) and isinstance(reference.get("identifier"), dict):
        identifiers.append(reference["identifier"])
    for identifier in identifiers:
        if isinstance(identifier, dict) and identifier.get("system") == NPI_SYSTEM:
            try:
                return check_npi(str(identifier.get("value") or ""))
            except ValidationError:
                return None
    return None


def _read_eob(eob: dict, index: dict) -> ReadResult:
    fields: dict[str, Proposal] = {}
    result = ReadResult(kind="eob", method="fhir", fields=fields, pages=0)
    for identifier in eob.get("identifier") or []:
        types = {code for _, code, _ in _codes(identifier.get("type"))}
        if "uc" in types and v.read_identifier_value(str(identifier.get("value") or "")):
            fields["claim_number"] = _proposal(str(identifier["value"]).upper())
            break
    period = eob.get("billablePeriod") or {}
    day = _date(period.get("start"))
    if day:
        fields["date_of_service"] = _proposal(day)
    patient = _resolve(eob.get("patient"), index)
    if (name := _name(patient, eob.get("patient"))) and patient is not None:
        fields["patient_name"] = _proposal(name)
    member = _member_id(eob, index)
    if member:
        fields["member_id"] = _proposal(member)
    provider = _resolve(eob.get("provider"), index)
    if name := _name(provider, eob.get("provider")):
        fields["provider_name"] = _proposal(name)
    npi = _npi(provider, eob.get("provider"))
    for member_of_team in eob.get("careTeam") or []:
        if npi:
            break
        reference = member_of_team.get("provider")
        npi = _npi(_resolve(reference, index), reference)
    if npi:
        fields["provider_npi"] = _proposal(npi)
    codes = []
    for diagnosis in sorted(eob.get("diagnosis") or [], key=lambda d: d.get("sequence") or 0):
        for system, code, _ in _codes(diagnosis.get("diagnosisCodeableConcept")):
            if system in ICD10_SYSTEMS and code:
                check = check_icd10(code, day)
                if check.ok and check.code not in codes:
                    codes.append(check.code)
    if codes:
        fields["diagnosis_codes"] = _proposal(codes)
    for total in eob.get("total") or []:
        categories = _category(total)
        cents = _cents(total.get("amount"))
        for category, name in TOTALS.items():
            if category in categories and cents is not None:
                fields.setdefault(name, _proposal(cents))
    paid = _cents((eob.get("payment") or {}).get("amount"))
    if paid is None:
        for total in eob.get("total") or []:
            if _category(total) & set(PAID):
                paid = _cents(total.get("amount"))
                break
    if paid is not None:
        fields["plan_paid_cents"] = _proposal(paid)
    paid_on = _date((eob.get("payment") or {}).get("date"))
    if paid_on:
        fields["decision_date"] = _proposal(paid_on)
    result.lines = [line for item in eob.get("item") or [] if (line := _line(item, day))]
    decision = _decision(eob, paid)
    if decision:
        fields["decision"] = _proposal(decision)
    return result


def _member_id(eob: dict, index: dict) -> str | None:
    for insurance in eob.get("insurance") or []:
        coverage = _resolve(insurance.get("coverage"), index)
        if coverage:
            for candidate in (coverage.get("subscriberId"), *[
                i.get("value") for i in coverage.get("identifier") or [] if isinstance(i, dict)
            ]):
                if isinstance(candidate, str) and v.read_identifier_value(candidate):
                    return candidate.upper()
    return None


def _line(item: dict, day: dt.date | None) -> ProcedureLine | None:
    for _, code, display in _codes(item.get("productOrService")):
        read = v.read_code_and_modifiers(code)
        if read is None or read[1]:
            continue
        modifiers = []
        for modifier in item.get("modifier") or []:
            for _, mod, _ in _codes(modifier):
                if len(mod) == 2 and mod.isalnum() and mod.upper() not in modifiers:
                    modifiers.append(mod.upper())
        served = _date(item.get("servicedDate")) or _date((item.get("servicedPeriod") or {}).get("start"))
        charge = None
        for adjudication in item.get("adjudication") or []:
            if "submitted" in _category(adjudication):
                charge = _cents(adjudication.get("amount"))
        quantity = (item.get("quantity") or {}).get("value")
        units = v.read_units(str(quantity)) if quantity is not None else None
        text = (item.get("productOrService") or {}).get("text") or display
        return ProcedureLine(
            code=read[0], date_of_service=served or day, modifiers=modifiers[:4],
            description=str(text or ""), units=units, charge_cents=charge,
            confidence=CONFIDENCE,
        )
    return None


def _decision(eob: dict, paid: int | None) -> str | None:
    outcome = eob.get("outcome")
    if outcome == "queued":
        return "pending"
    if outcome not in ("complete", "partial"):
        return None
    denied = any(
        "denialreason" in _category(a)
        for item in eob.get("item") or [] for a in item.get("adjudication") or []
    )
    if paid == 0 and denied:
        return "denied"
    if paid and denied:
        return "partially_approved"
    if paid and not denied and outcome == "complete":
        return "approved"
    return None
