"""The selects the check runs: for each table, the columns the rules read.

Each ``Query`` names a sqlmodel ``select``, the column that narrows it to the chosen
treatments or to their people, and the named tuple its rows become (``rows.py``: the select's
columns are that tuple's fields, so a renamed column fails loudly here), or plain tuples for
the big child tables the loader folds right away. ``run`` hands it to the store's row reader
(``Database.row_reader``): rows come back as tuples with dates converted, several times
faster than SQLAlchemy processing every value, which matters at 10,000 treatments (the
check's budget there is 300 ms, ``benchmarks/check_speed.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, NamedTuple, TypeVar

from sqlalchemy import func
from sqlmodel import col

from .. import models as m
from ..enums import DocumentKind
from ..ports import RowReader
from ..sql import select_columns
from .rows import (
    AccountRow,
    CallRow,
    ClaimRow,
    DeterminationRow,
    EstimateRow,
    FinancingPlanRow,
    LabRow,
    LetterRow,
    PlanRow,
    ProcedureLineRow,
    ProviderRow,
    ReceiptRow,
    TreatmentRow,
)

_PAYMENT_PROOF = (DocumentKind.receipt.value, DocumentKind.card_statement.value)
RowT = TypeVar("RowT", bound=tuple[Any, ...])


def _live(model: type[m.Record]) -> Any:
    return col(model.deleted_at).is_(None)


def _columns(model: type[m.Base], row: type[NamedTuple]) -> list[Any]:
    """The model's columns named by the row's fields, in its order."""
    return [getattr(model, name) for name in row._fields]


@dataclass(frozen=True)
class Query(Generic[RowT]):
    name: str
    build: Callable[[], Any]
    row: type[RowT] | None = None  # the named tuple of its rows; None: plain tuples
    of_treatments: Any = None  # a treatment-id column, to narrow to the chosen treatments
    of_people: Any = None  # a person-id column, to narrow to their people

    def run(self, reader: RowReader, scope: frozenset[int] | None,
            people: set[int] | None) -> list[RowT]:
        if scope is None:  # the unscoped SQL never changes: the store keeps it compiled
            return reader.rows(self.build, row=self.row, cache_key=self.name)

        def scoped() -> Any:
            statement = self.build()
            if self.of_treatments is not None:
                statement = statement.where(col(self.of_treatments).in_(scope))
            if people is not None and self.of_people is not None:
                statement = statement.where(col(self.of_people).in_(people))
            return statement

        return reader.rows(scoped, row=self.row)


# -- the queries -----------------------------------------------------------------------------
T, V, I = m.Treatment, m.Provider, m.InsurancePlan  # noqa: E741
A, D, L, C, G = m.Account, m.DiagnosisCode, m.ProcedureLine, m.Claim, m.GoodFaithEstimate
R, RL, DL, Doc = m.Receipt, m.ReceiptLine, m.DocumentLink, m.Document
B, K, E, F, FP = m.LabResult, m.InsurerCall, m.Determination, m.FinancingPlan, m.FinancingPayment
N, ND, NT = m.MedicalNecessityLetter, m.LetterDiagnosis, m.LetterTreatment

TREATMENTS = Query("treatments", lambda: select_columns(*_columns(T, TreatmentRow)).where(
    _live(T)), TreatmentRow, of_treatments=T.id)
PROVIDERS = Query("providers", lambda: select_columns(*_columns(V, ProviderRow)).where(
    _live(V)), ProviderRow)
PLANS = Query("plans", lambda: select_columns(*_columns(I, PlanRow)).where(_live(I)), PlanRow)
ACCOUNTS = Query("accounts", lambda: select_columns(*_columns(A, AccountRow)).where(
    _live(A)), AccountRow)  # all of them, even scoped: an HSA may pay a spouse's care
DIAGNOSES: Query[tuple[int, str]] = Query("diagnoses", lambda: select_columns(
    D.treatment_id, D.code
).order_by(col(D.treatment_id), col(D.position)), of_treatments=D.treatment_id)
PROCEDURE_LINES = Query("procedure_lines", lambda: select_columns(
    *_columns(L, ProcedureLineRow)
).order_by(col(L.treatment_id), col(L.position)), ProcedureLineRow, of_treatments=L.treatment_id)
CLAIMS = Query("claims", lambda: select_columns(*_columns(C, ClaimRow)).where(
    _live(C)).order_by(col(C.treatment_id), col(C.id)), ClaimRow, of_treatments=C.treatment_id)
ESTIMATES = Query("estimates", lambda: select_columns(*_columns(G, EstimateRow)).where(
    _live(G)), EstimateRow, of_people=G.person_id)


RECEIPTS = Query("receipts", lambda: select_columns(*_columns(R, ReceiptRow)).where(
    _live(R)).order_by(col(R.treatment_id), col(R.id)), ReceiptRow,
    of_treatments=R.treatment_id)
# How many lines each receipt has and what they add up to: SQLite adds them up.
RECEIPT_LINE_TOTALS: Query[tuple[int, int, int]] = Query(
    "receipt_line_totals", lambda: select_columns(
        RL.receipt_id, func.count(), func.sum(RL.amount_cents)
    ).join(R, col(R.id) == RL.receipt_id).group_by(col(RL.receipt_id)),
    of_treatments=R.treatment_id,
)
# Receipts with a live document attached. (A correlated EXISTS per receipt would be slower:
# without statistics SQLite drives it from the unselective record_type index.)
RECEIPT_DOCUMENTS: Query[tuple[int]] = Query("receipt_documents", lambda: select_columns(
    DL.record_id
).where(
    col(DL.record_type) == "receipt",
    col(DL.document_id).in_(select_columns(Doc.id).where(_live(Doc))),
))
# Treatments with a receipt scan or card statement filed on the treatment itself.
TREATMENT_PROOF: Query[tuple[int]] = Query("treatment_proof", lambda: select_columns(
    DL.record_id
).distinct().join(Doc, col(Doc.id) == DL.document_id).where(
    col(DL.record_type) == "treatment", _live(Doc), col(Doc.kind).in_(_PAYMENT_PROOF)
), of_treatments=DL.record_id)
LABS = Query("labs", lambda: select_columns(*_columns(B, LabRow)).where(_live(B)).order_by(
    col(B.person_id), col(B.collected_on), col(B.id)), LabRow, of_people=B.person_id)
CALLS = Query("calls", lambda: select_columns(*_columns(K, CallRow)).where(_live(K)).order_by(
    col(K.called_at), col(K.id)), CallRow, of_people=K.person_id)
DETERMINATIONS = Query("determinations", lambda: select_columns(
    *_columns(E, DeterminationRow)
).where(_live(E)).order_by(col(E.received_on), col(E.id)), DeterminationRow,
    of_people=E.person_id)


def _letters() -> Any:
    """Each letter with its diagnoses and the treatments it names, space-separated (codes
    and ids contain no spaces; their order does not matter)."""
    codes = select_columns(func.group_concat(ND.code, " ")).where(
        col(ND.letter_id) == N.id
    ).scalar_subquery()
    treatments = select_columns(func.group_concat(NT.treatment_id, " ")).where(
        col(NT.letter_id) == N.id
    ).scalar_subquery()
    return select_columns(
        N.id, N.person_id, N.physician_name, N.written_on, N.valid_until,
        codes.label("codes"), treatments.label("treatment_ids"),
    ).where(_live(N))


LETTERS = Query("letters", _letters, LetterRow, of_people=N.person_id)
FINANCING_PLANS = Query("financing_plans", lambda: select_columns(
    *_columns(F, FinancingPlanRow)
).where(_live(F)), FinancingPlanRow, of_people=F.person_id)
FINANCING_PAYMENTS: Query[tuple[int, dt.date, int]] = Query(
    "financing_payments", lambda: select_columns(FP.plan_id, FP.paid_on, FP.amount_cents).join(
        F, col(F.id) == FP.plan_id), of_people=F.person_id,
)
