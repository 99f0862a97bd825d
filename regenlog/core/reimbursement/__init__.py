"""Claims and reimbursement: what each treatment cost, what came back, what is still owed,
and the rule that no dollar is ever claimed twice."""

from .amounts import (
    OPEN_STATUSES,
    PAID_STATUSES,
    SOURCES,
    TreatmentMoney,
    load_money,
    treatment_money,
)
from .claims import (
    check_claim,
    claim_stake,
    create_claim,
    link_problem,
    refusal,
    update_claim,
)

__all__ = [
    "link_problem",
    "OPEN_STATUSES",
    "PAID_STATUSES",
    "SOURCES",
    "TreatmentMoney",
    "check_claim",
    "claim_stake",
    "create_claim",
    "load_money",
    "refusal",
    "treatment_money",
    "update_claim",
]
