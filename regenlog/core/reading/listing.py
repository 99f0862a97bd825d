"""What ``regenlog read`` prints without --json: the proposals as a patient reads them."""

from __future__ import annotations

from regenlog.core.money import format_money
from regenlog.core.reading.result import FIELD_NAMES, ReadResult

LABELS = {
    "patient_name": "Patient", "member_id": "Member ID", "provider_name": "Provider",
    "provider_npi": "NPI", "provider_tax_id": "Tax ID", "date_of_service": "Date of service",
    "payment_date": "Payment date", "receipt_number": "Receipt number",
    "total_cents": "Total", "paid_cents": "Paid", "payment_method": "Payment method",
    "diagnosis_codes": "Diagnosis codes", "claim_number": "Claim number",
    "billed_cents": "Billed", "allowed_cents": "Allowed", "plan_paid_cents": "Plan paid",
    "patient_responsibility_cents": "Patient responsibility",
    "reference_number": "Reference number", "decision": "Decision",
    "decision_date": "Decision date", "promo_end_date": "Promotion ends",
    "balance_cents": "Balance",
}
KIND_TITLES = {
    "receipt": "a receipt", "superbill": "a superbill", "eob": "an explanation of benefits",
    "determination": "an insurer's determination",
    "medical_necessity_letter": "a letter of medical necessity", "lab_result": "a lab result",
    "financing_statement": "a financing statement",
    "good_faith_estimate": "a Good Faith Estimate", "unknown": "a document of unknown kind",
}
METHODS = {"text": "its text layer", "ocr": "OCR", "fhir": "its FHIR data"}


def _shown(name: str, value) -> str:
    if name.endswith("_cents"):
        return format_money(value)
    if isinstance(value, list):
        return ", ".join(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).replace("_", " ")


def format_listing(result: ReadResult, name: str) -> str:
    out = [f"{name}: {KIND_TITLES.get(result.kind, result.kind)}, read from "
           f"{METHODS.get(result.method, result.method)}."]
    names = [n for n in FIELD_NAMES if n in result.fields] + [
        n for n in result.fields if n not in FIELD_NAMES]
    if names:
        out.append("")
        for field in names:
            proposal = result.fields[field]
            where = f"page {proposal.page}" if proposal.page else ""
            out.append(f"  {LABELS.get(field, field):<24} {_shown(field, proposal.value):<34} "
                       f"{round(proposal.confidence * 100):>3}%  {where}".rstrip())
    else:
        out.append("No field could be read with confidence.")
    if result.lines:
        out.append("")
        out.append("  Procedure lines:")
        for line in result.lines:
            code = "-".join([line.code, *line.modifiers])
            parts = [line.date_of_service.isoformat() if line.date_of_service else "",
                     code, line.description,
                     f"x{line.units}" if line.units else "",
                     format_money(line.charge_cents) if line.charge_cents is not None else ""]
            out.append("    " + "  ".join(p for p in parts if p))
    for problem in result.problems:
        out.append("")
        out.append(f"Note: {problem}")
    return "\n".join(out)
