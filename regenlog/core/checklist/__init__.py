"""The documentation check: which paperwork is missing, why it matters, how to fix it.

    run_check(db, today=..., destination=None, treatment_ids=None) -> CheckResult
    treatment_checklist(db, treatment_id, today=..., destination=None) -> list[ChecklistItem]
    format_report(result, db) -> str

The rules (``RULES``, PRODUCT.md's table in order) are declared one family per module in
``rules/``; they read ``Facts`` loaded in a few bulk queries by ``facts.py``.
"""

from .gap import DESTINATIONS, RULE_IDS, SEVERITIES, Gap, Rule
from .report import format_report
from .rules import RULES
from .runner import ChecklistItem, CheckResult, check_destination, run_check, treatment_checklist

__all__ = [
    "DESTINATIONS",
    "RULES",
    "RULE_IDS",
    "SEVERITIES",
    "CheckResult",
    "ChecklistItem",
    "Gap",
    "Rule",
    "check_destination",
    "format_report",
    "run_check",
    "treatment_checklist",
]
