"""The documentation check: which paperwork is missing, why it matters, how to fix it.

    run_check(db, today=..., destination=None, treatment_ids=None) -> CheckResult
    treatment_checklist(db, treatment_id, today=..., destination=None) -> list[ChecklistItem]
    format_report(result, db) -> str

The rules (``RULES``, in the order of the table in docs/rules.md) are declared one family
per module in ``rules/``; they read ``Facts`` loaded in a few bulk queries by ``facts.py``.
Destinations, severities and what a finding is about are the enums of ``core.enums``.
"""

from .gap import RULE_IDS, Gap, Rule
from .report import format_report
from .rules import RULES
from .runner import ChecklistItem, CheckResult, run_check, treatment_checklist

__all__ = [
    "RULES",
    "RULE_IDS",
    "CheckResult",
    "ChecklistItem",
    "Gap",
    "Rule",
    "format_report",
    "run_check",
    "treatment_checklist",
]
