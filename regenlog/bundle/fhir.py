"""``fhir/bundle.json``: the same claim as a FHIR R4 Bundle of type "collection".

Patient, the payer's Organization and Coverage (an HSA or FSA as a pseudo-coverage, or
self-pay when no payer is recorded), the provider as Practitioner or Organization with its
NPI, one Claim per treatment (ICD-10-CM diagnoses, CPT or HCPCS items, and a ServiceRequest
naming the referring provider when there is one), an ExplanationOfBenefit per recorded EOB,
and a DocumentReference per enclosed file. Required
elements follow FHIR 4.0.1 (DOMAIN.md section 5). Resources refer to each other by
``urn:uuid`` full URLs, as a collection has no server ids.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid

from ..core import models as m
from ..core.codes import procedure_code_kind
from ..core.enums import Decision, DeterminationKind, DocumentKind
from ..core.errors import ValidationError
from ..core.records_format.layout import datetime_text
from . import asking
from .describe import provider_name, tax_id
from .enclosures import Enclosure
from .select import BundleRecords, TreatmentRecords

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
CPT = "http://www.ama-assn.org/go/cpt"
HCPCS = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
NPI = "http://hl7.org/fhir/sid/us-npi"
TAX_ID = "urn:oid:2.16.840.1.113883.4.4"  # US IRS employer/taxpayer identification number
POS = "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set"
CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type"
PRIORITY = "http://terminology.hl7.org/CodeSystem/processpriority"
ADJUDICATION = "http://terminology.hl7.org/CodeSystem/adjudication"
# CARIN Blue Button's adjudication codes say whom a payer paid (DOMAIN.md section 9).
C4BB_ADJUDICATION = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication"
SELF_PAY = "http://terminology.hl7.org/CodeSystem/coverage-selfpay"
COVERAGE_CLASS = "http://terminology.hl7.org/CodeSystem/coverage-class"
RELATIONSHIP = "http://terminology.hl7.org/CodeSystem/subscriber-relationship"
URI = "urn:ietf:rfc:3986"
UNSIGNED_INT_MAX = 2**31 - 1  # R4 Attachment.size is an unsignedInt

_GENDER = {"f": "female", "female": "female", "m": "male", "male": "male"}
_OUTCOME = {Decision.partial: "partial", Decision.pending: "queued"}


def fhir_bundle_json(
    records: BundleRecords,
    enclosures: list[Enclosure],
    digests: dict[str, tuple[int, str, str]],
    created: dt.datetime,
) -> bytes:
    """``digests`` maps a ZIP path to (size, sha256 hex, sha1 hex) of the enclosed file."""
    return (json.dumps(FhirBuilder(records, created).bundle(enclosures, digests), indent=2,
                       ensure_ascii=False) + "\n").encode("utf-8")


def money(cents: int) -> dict:
    # FHIR decimals are JSON numbers. cents / 100 is written by repr as the shortest text
    # that reads back the same double, which for whole cents is exactly "1234.56".
    return {"value": cents / 100, "currency": "USD"}


def _coding(system: str, code: str, display: str = "") -> dict:
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def _code_system(code: str) -> str | None:
    """CPT or HCPCS; None for a malformed code kept from an import (the check flags it)."""
    try:
        return HCPCS if procedure_code_kind(code) == "HCPCS Level II" else CPT
    except ValidationError:
        return None


def _modifier_system(modifier: str) -> str:
    # Two digits (25, 59) are CPT modifiers; letters (RT, GA, KX) are HCPCS Level II ones.
    return CPT if modifier.isdigit() else HCPCS


class FhirBuilder:
    def __init__(self, records: BundleRecords, created: dt.datetime):
        self.records = records
        self.created = created
        self.stamp = datetime_text(created)
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"regenlog-bundle:{self.stamp}")
        self.entries: list[dict] = []
        self.refs: dict[str, str] = {}

    # -- plumbing ---------------------------------------------------------------------------
    def add(self, key: str, resource: dict) -> str:
        """Add a resource once under ``key``; returns its full URL."""
        if key not in self.refs:
            rid = str(uuid.uuid5(self.namespace, key))
            url = f"urn:uuid:{rid}"
            self.refs[key] = url
            kind = resource["resourceType"]
            self.entries.append({"fullUrl": url, "resource": {"resourceType": kind, "id": rid,
                                                                **resource}})
        return self.refs[key]

    def ref(self, url: str) -> dict:
        return {"reference": url}

    # -- resources --------------------------------------------------------------------------
    def bundle(self, enclosures: list[Enclosure], digests) -> dict:
        patient = self.patient()
        coverage = self.payer_coverage(patient)
        claims = {t.treatment.id: self.claim(t, patient, coverage) for t in self.records.treatments}
        for t in self.records.treatments:
            for d in t.determinations:
                if d.kind == DeterminationKind.eob:
                    self.eob(d, t, patient, claims[t.treatment.id])
        for e in enclosures:
            claim = claims.get(e.treatment_id) if e.treatment_id is not None else None
            self.document(e, digests[e.path], patient, claim)
        return {
            "resourceType": "Bundle",
            "type": "collection",
            "timestamp": self.stamp,
            "entry": self.entries,
        }

    def patient(self) -> str:
        p = self.records.person
        resource: dict = {"resourceType": "Patient", "name": [{"text": p.name}]}
        gender = _GENDER.get(p.sex.strip().lower(), "other" if p.sex.strip() else None)
        if gender:
            resource["gender"] = gender
        if p.date_of_birth:
            resource["birthDate"] = p.date_of_birth.isoformat()
        if p.address:
            resource["address"] = [{"text": p.address}]
        return self.add(f"person/{p.id}", resource)

    def insurer(self, plan: m.InsurancePlan) -> str:
        resource: dict = {"resourceType": "Organization", "name": plan.insurer}
        if plan.phone:
            resource["telecom"] = [{"system": "phone", "value": plan.phone}]
        if plan.claims_address:
            resource["address"] = [{"text": plan.claims_address}]
        return self.add(f"insurer/{plan.id}", resource)

    def plan_coverage(self, plan: m.InsurancePlan, patient: str) -> str:
        resource: dict = {
            "resourceType": "Coverage", "status": "active",
            "beneficiary": self.ref(patient), "payor": [self.ref(self.insurer(plan))],
            "relationship": {"coding": [_coding(RELATIONSHIP, "self")]},
        }
        if plan.member_id:
            resource["subscriberId"] = plan.member_id
        if plan.group_number:
            resource["class"] = [{
                "type": {"coding": [_coding(COVERAGE_CLASS, "group")]},
                "value": plan.group_number, **({"name": plan.plan_name} if plan.plan_name else {}),
            }]
        return self.add(f"coverage/{plan.id}", resource)

    def payer_coverage(self, patient: str) -> str:
        records = self.records
        if records.payer_plan is not None:
            return self.plan_coverage(records.payer_plan, patient)
        account = records.account
        if account is not None:  # an HSA or FSA as a pseudo-coverage
            label = "Health savings account" if account.kind == "hsa" else (
                "Flexible spending account")
            org = self.add(f"account-org/{account.id}", {
                "resourceType": "Organization",
                "name": account.administrator or f"{account.kind.upper()} administrator",
            })
            resource = {
                "resourceType": "Coverage", "status": "active", "type": {"text": label},
                "beneficiary": self.ref(patient), "payor": [self.ref(org)],
            }
            if account.account_number:
                resource["subscriberId"] = account.account_number
            return self.add(f"account/{account.id}", resource)
        return self.add("self-pay", {  # no payer recorded: the patient pays
            "resourceType": "Coverage", "status": "active",
            "type": {"coding": [_coding(SELF_PAY, "pay", "PAY")]},
            "beneficiary": self.ref(patient), "payor": [self.ref(patient)],
        })

    def provider(self, p: m.Provider | None) -> str:
        if p is None:
            return self.add("provider/none", {
                "resourceType": "Organization", "name": "Provider not recorded",
            })
        identifiers = [{"system": NPI, "value": p.npi}] if p.npi else []
        resource: dict
        if p.is_organization:
            shown_tax_id = tax_id(p)
            if shown_tax_id and "*" not in shown_tax_id:
                identifiers.append({"system": TAX_ID, "value": shown_tax_id})
            resource = {"resourceType": "Organization", "name": p.name}
        else:
            resource = {"resourceType": "Practitioner", "name": [{"text": provider_name(p)}]}
            if p.credentials:
                resource["qualification"] = [{"code": {"text": p.credentials}}]
        if identifiers:
            resource["identifier"] = identifiers
        if p.address:
            resource["address"] = [{"text": p.address}]
        if p.phone:
            resource["telecom"] = [{"system": "phone", "value": p.phone}]
        return self.add(f"provider/{p.id}", resource)

    def claim(self, t: TreatmentRecords, patient: str, coverage: str) -> str:
        tr = t.treatment
        dos = tr.date_of_service.isoformat()
        insurance: dict = {"sequence": 1, "focal": True, "coverage": self.ref(coverage)}
        preauth = asking.prior_authorizations(self.records, t)
        if preauth:
            insurance["preAuthRef"] = preauth
        resource: dict = {
            "resourceType": "Claim", "status": "active",
            "type": {"coding": [_coding(CLAIM_TYPE, "professional")]},
            "use": "claim", "patient": self.ref(patient),
            "billablePeriod": {"start": dos, "end": dos},
            "created": self.stamp, "provider": self.ref(self.provider(t.provider)),
            "priority": {"coding": [_coding(PRIORITY, "normal")]},
            "insurance": [insurance],
            # What this bundle asks the payer for; the items keep the charges, as a claim
            # form lists them.
            "total": money(asking.requested(self.records, t)),
        }
        if t.diagnoses:
            resource["diagnosis"] = [
                {"sequence": d.position + 1, "diagnosisCodeableConcept": {
                    "coding": [_coding(ICD10CM, d.code, d.description)]}}
                for d in t.diagnoses
            ]
        if t.referring is not None:
            resource["referral"] = self.ref(self.referral(t, patient))
        pos = t.provider.place_of_service if t.provider else ""
        items = [self.item(x, dos, pos) for x in t.lines]
        if items:
            resource["item"] = items
        return self.add(f"claim/{tr.id}", resource)

    def referral(self, t: TreatmentRecords, patient: str) -> str:
        """Claim.referral points at a ServiceRequest; its requester is the referring provider
        (CMS-1500 boxes 17/17b)."""
        return self.add(f"referral/{t.treatment.id}", {
            "resourceType": "ServiceRequest", "status": "completed", "intent": "order",
            "code": {"text": "Referral"}, "subject": self.ref(patient),
            "requester": self.ref(self.provider(t.referring)),
        })

    def item(self, x: m.ProcedureLine, dos: str, pos: str) -> dict:
        system = _code_system(x.code)
        product: dict = {"coding": [_coding(system, x.code) if system else {"code": x.code}]}
        if x.description:
            product["text"] = x.description
        item: dict = {"sequence": x.position + 1, "productOrService": product,
                      "servicedDate": dos, "quantity": {"value": x.units},
                      "net": money(x.charge_cents)}
        if x.charge_cents % x.units == 0:
            item["unitPrice"] = money(x.charge_cents // x.units)
        pointers = ["ABCDEFGHIJKL".index(p) + 1 for p in x.pointers if p in "ABCDEFGHIJKL"]
        if pointers:
            item["diagnosisSequence"] = pointers
        modifiers = [mod for mod in x.modifiers.split(",") if mod]
        if modifiers:
            item["modifier"] = [{"coding": [_coding(_modifier_system(mod), mod)]}
                                for mod in modifiers]
        if pos:
            item["locationCodeableConcept"] = {"coding": [_coding(POS, pos)]}
        return item

    def eob(self, d: m.Determination, t: TreatmentRecords, patient: str, claim: str) -> str:
        plan = self.records.plans.get(d.plan_id or t.treatment.plan_id or -1)
        if plan is None:
            plan = self.records.payer_plan
        if plan is not None:
            insurer, coverage = self.insurer(plan), self.plan_coverage(plan, patient)
        else:  # an EOB with no plan on record still came from some insurer
            insurer = self.add("insurer/unknown", {
                "resourceType": "Organization", "name": "Insurer not recorded"})
            coverage = self.payer_coverage(patient)
        totals = [{"category": {"coding": [_coding(ADJUDICATION, "submitted")]},
                   "amount": money(asking.money_of(self.records, t).billed_cents)}]
        if d.amount_allowed_cents is not None:
            totals.append({"category": {"coding": [_coding(ADJUDICATION, "eligible")]},
                           "amount": money(d.amount_allowed_cents)})
        to_patient, to_provider = d.amount_paid_cents, d.amount_paid_to_provider_cents
        if to_patient is not None or to_provider is not None:
            totals.append({"category": {"coding": [_coding(ADJUDICATION, "benefit")]},
                           "amount": money((to_patient or 0) + (to_provider or 0))})
        for cents, code in ((to_patient, "paidtopatient"), (to_provider, "paidtoprovider")):
            if cents is not None:
                totals.append({"category": {"coding": [_coding(C4BB_ADJUDICATION, code)]},
                               "amount": money(cents)})
        resource: dict = {
            "resourceType": "ExplanationOfBenefit", "status": "active",
            "type": {"coding": [_coding(CLAIM_TYPE, "professional")]}, "use": "claim",
            "patient": self.ref(patient), "created": d.received_on.isoformat(),
            "insurer": self.ref(insurer), "provider": self.ref(self.provider(t.provider)),
            "claim": self.ref(claim),
            "outcome": _OUTCOME.get(Decision(d.decision), "complete"),
            "disposition": Decision(d.decision).label,
            "insurance": [{"focal": True, "coverage": self.ref(coverage)}],
            "total": totals,
        }
        if d.reference_number:
            resource["identifier"] = [{"value": d.reference_number}]
        return self.add(f"eob/{d.id}", resource)

    def document(self, e: Enclosure, digest, patient: str, claim: str | None) -> str:
        size, sha256, sha1 = digest
        attachment: dict = {
            "contentType": e.document.content_type if e.document else "application/pdf",
            "url": e.path,
            # R4 Attachment.hash is the base64 of the SHA-1; the SHA-256 is the identifier.
            "hash": base64.b64encode(bytes.fromhex(sha1)).decode("ascii"),
            "title": e.title,
        }
        if size <= UNSIGNED_INT_MAX:
            attachment["size"] = size
        if e.date:
            attachment["creation"] = e.date.isoformat()
        label = DocumentKind(e.kind).label if e.document else e.title
        resource: dict = {
            "resourceType": "DocumentReference", "status": "current",
            "identifier": [{"system": URI, "value": ni_uri(sha256)}],
            "type": {"text": label}, "subject": self.ref(patient), "date": self.stamp,
            "description": e.title, "content": [{"attachment": attachment}],
        }
        if claim:
            resource["context"] = {"related": [self.ref(claim)]}
        return self.add(f"document/{e.path}", resource)


def ni_uri(sha256_hex: str) -> str:
    """RFC 6920 "Naming Things with Hashes": ``ni:///sha-256;<base64url, unpadded>``."""
    digest = base64.urlsafe_b64encode(bytes.fromhex(sha256_hex)).decode("ascii").rstrip("=")
    return f"ni:///sha-256;{digest}"
