"""Claims and reimbursement: what each treatment cost, who paid it, what came back to whom,
what is still claimable from each payer, and the rule that no dollar is ever claimed twice."""

from .amounts import (
    OPEN_STATUSES,
    PAID_STATUSES,
    SOURCES,
    InsurerDecision,
    OpenClaim,
    Payment,
    TreatmentMoney,
    claim_stake,
    load_money,
    treatment_money,
)
from .claims import (
    check_claim,
    create_claim,
    link_problem,
    refusal,
    update_claim,
)

__all__ = [
    "OPEN_STATUSES",
    "PAID_STATUSES",
    "SOURCES",
    "InsurerDecision",
    "OpenClaim",
    "Payment",
    "TreatmentMoney",
    "check_claim",
    "claim_stake",
    "create_claim",
    "link_problem",
    "load_money",
    "refusal",
    "treatment_money",
    "update_claim",
]
