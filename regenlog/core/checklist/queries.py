"""The selects the check runs: for each table, the columns the rules read.

Each ``Query`` names a sqlmodel ``select`` (so a renamed column fails loudly here), the
column that narrows it to the chosen treatments or to their people, and whether its rows
become named tuples (plain tuples for the big child tables the loader folds right away).
``run`` hands it to the store's row reader (``Database.row_reader``): rows come back as tuples
with dates converted, several times faster than SQLAlchemy processing every value, which
matters at 10,000 treatments (PRODUCT.md: under 300 ms).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from .. import models as m
from ..enums import DocumentKind

_PAYMENT_PROOF = (DocumentKind.receipt.value, DocumentKind.card_statement.value)


def _live(model):
    return col(model.deleted_at).is_(None)


@dataclass(frozen=True)
class Query:
    name: str
    build: Callable[[], Any]
    of_treatments: Any = None  # a treatment-id column, to narrow to the chosen treatments
    of_people: Any = None  # a person-id column, to narrow to their people
    named: bool = True

    def run(self, reader, scope: frozenset[int] | None, people: set[int] | None) -> list:
        if scope is None:  # the unscoped SQL never changes: the store keeps it compiled
            return reader.rows(self.build, named=self.named, cache_key=self.name)

        def scoped():
            statement = self.build()
            if self.of_treatments is not None:
                statement = statement.where(col(self.of_treatments).in_(scope))
            if people is not None and self.of_people is not None:
                statement = statement.where(col(self.of_people).in_(people))
            return statement

        return reader.rows(scoped, named=self.named)


# -- the queries -----------------------------------------------------------------------------
T, V, I = m.Treatment, m.Provider, m.InsurancePlan  # noqa: E741
A, D, L, C, G = m.Account, m.DiagnosisCode, m.ProcedureLine, m.Claim, m.GoodFaithEstimate
R, RL, DL, Doc = m.Receipt, m.ReceiptLine, m.DocumentLink, m.Document
B, K, E, F, FP = m.LabResult, m.InsurerCall, m.Determination, m.FinancingPlan, m.FinancingPayment
N, ND, NT = m.MedicalNecessityLetter, m.LetterDiagnosis, m.LetterTreatment

TREATMENTS = Query("treatments", lambda: select(
    T.id, T.person_id, T.provider_id, T.plan_id, T.date_of_service, T.category, T.indication,
    T.paid_by_patient, T.body_site, T.side, T.description,
).where(_live(T)), of_treatments=T.id)
PROVIDERS = Query("providers", lambda: select(
    V.id, V.name, V.npi, V.tax_id, V.address, V.place_of_service,
).where(_live(V)))
PLANS = Query("plans", lambda: select(
    I.id, I.person_id, I.insurer, I.plan_type, I.filing_limit_days,
).where(_live(I)))
ACCOUNTS = Query("accounts", lambda: select(
    A.id, A.person_id, A.kind, A.administrator, A.opened_on, A.plan_year_start,
    A.plan_year_end, A.extension, A.grace_period_end, A.run_out_days,
).where(_live(A)))  # all of them, even scoped: an HSA may pay a spouse's care
DIAGNOSES = Query("diagnoses", lambda: select(D.treatment_id, D.code).order_by(
    D.treatment_id, D.position
), of_treatments=D.treatment_id, named=False)
PROCEDURE_LINES = Query("procedure_lines", lambda: select(
    L.treatment_id, L.position, L.code, L.modifiers, L.pointers, L.charge_cents,
).order_by(L.treatment_id, L.position), of_treatments=L.treatment_id)
CLAIMS = Query("claims", lambda: select(
    C.id, C.treatment_id, C.destination, C.account_id, C.plan_id, C.determination_id, C.status,
).where(_live(C)).order_by(C.treatment_id, C.id), of_treatments=C.treatment_id)
ESTIMATES = Query("estimates", lambda: select(
    G.id, G.person_id, G.treatment_id, G.issued_on, G.total_cents,
).where(_live(G)), of_people=G.person_id)


RECEIPTS = Query("receipts", lambda: select(
    R.id, R.treatment_id, R.paid_on, R.total_cents, R.payment_method,
).where(_live(R)).order_by(R.treatment_id, R.id), of_treatments=R.treatment_id)
# How many lines each receipt has and what they add up to: SQLite adds them up.
RECEIPT_LINE_TOTALS = Query("receipt_line_totals", lambda: select(
    RL.receipt_id, func.count(), func.sum(RL.amount_cents)
).join(R, col(R.id) == RL.receipt_id).group_by(RL.receipt_id), of_treatments=R.treatment_id,
    named=False)
# Receipts with a live document attached. (A correlated EXISTS per receipt would be slower:
# without statistics SQLite drives it from the unselective record_type index.)
RECEIPT_DOCUMENTS = Query("receipt_documents", lambda: select(DL.record_id).where(
    col(DL.record_type) == "receipt",
    col(DL.document_id).in_(select(Doc.id).where(_live(Doc))),
), named=False)
# Treatments with a receipt scan or card statement filed on the treatment itself.
TREATMENT_PROOF = Query("treatment_proof", lambda: select(DL.record_id).distinct().join(
    Doc, col(Doc.id) == DL.document_id
).where(
    col(DL.record_type) == "treatment", _live(Doc), col(Doc.kind).in_(_PAYMENT_PROOF)
), of_treatments=DL.record_id, named=False)
LABS = Query("labs", lambda: select(
    B.id, B.person_id, B.treatment_id, B.test, B.collected_on, B.abnormal,
).where(_live(B)).order_by(B.person_id, B.collected_on, B.id), of_people=B.person_id)
CALLS = Query("calls", lambda: select(
    K.id, K.person_id, K.plan_id, K.treatment_id, K.called_at, K.rep_name, K.reference_number,
    K.outcome, K.written_confirmation, K.confirmation_requested_on,
).where(_live(K)).order_by(K.called_at, K.id), of_people=K.person_id)
DETERMINATIONS = Query("determinations", lambda: select(
    E.id, E.person_id, E.plan_id, E.treatment_id, E.call_id, E.kind, E.decision,
    E.reference_number, E.received_on, E.valid_from, E.valid_to, E.is_final,
).where(_live(E)).order_by(E.received_on, E.id), of_people=E.person_id)
def _letters():
    """Each letter with its diagnoses and the treatments it names, space-separated (codes
    and ids contain no spaces; their order does not matter)."""
    codes = select(func.group_concat(ND.code, " ")).where(
        col(ND.letter_id) == N.id
    ).scalar_subquery()
    treatments = select(func.group_concat(NT.treatment_id, " ")).where(
        col(NT.letter_id) == N.id
    ).scalar_subquery()
    return select(
        N.id, N.person_id, N.physician_name, N.written_on, N.valid_until,
        codes.label("codes"), treatments.label("treatment_ids"),
    ).where(_live(N))


LETTERS = Query("letters", _letters, of_people=N.person_id)
FINANCING_PLANS = Query("financing_plans", lambda: select(
    F.id, F.person_id, F.treatment_id, F.lender, F.amount_cents, F.purchase_date,
    F.promo_months, F.promo_end, F.promo_apr_bp, F.standard_apr_bp, F.deferred_interest,
    F.minimum_payment_cents,
).where(_live(F)), of_people=F.person_id)
FINANCING_PAYMENTS = Query("financing_payments", lambda: select(
    FP.plan_id, FP.paid_on, FP.amount_cents
).join(F, col(F.id) == FP.plan_id), of_people=F.person_id, named=False)
