"""The "never counted twice" rule over the claims of an imported file, as warnings.

The app creates claims through ``reimbursement.create_claim``; an import writes them through
``Records.create_in``, so the importer counts the file's live claims here, inside its
transaction once every row is added, as if entered in file order (an export lists them by
id, the order they were made): each against the treatment's receipts, charges and EOBs and
the claims before it.

A claim that counts money twice is reported, not refused: a records file is also how a
patient restores their own data, and a file RegenLog wrote must always import. Older
versions did not check every claim, and changing one claim can leave another over its share
(an HSA claim made before an insurer claim was raised). The report names each such claim so
the patient can fix it, and the claim form refuses to save it until they do.
"""

from sqlmodel import Session

from .. import models as m
from ..enums import ClaimDestination, ClaimStatus
from ..reimbursement import PAID_STATUSES, claim_stake, link_problem, load_money, refusal
from .prepare import Prepared


def check_claims(session: Session, claims: list[tuple[Prepared, m.Claim]]) -> list[str]:
    """One sentence per claim of the file that counts money twice or that the claim form
    would refuse (an account of the other kind, a date before the care), JSON path first."""
    found = _link_problems(session, claims)
    live = [(item, row) for item, row in claims if row.deleted_at is None]
    if not live:
        return found
    session.flush()  # load_money reads the rows just added (and the trash just set)
    money = load_money(session, {row.treatment_id for _, row in live})
    # The file's treatments are new to the database, so every claim on them is in ``live``:
    # take them all out, then add them back one at a time.
    for _, row in live:
        if row.treatment_id in money:
            money[row.treatment_id] = money[row.treatment_id].without(("claim", row.id))
    for item, row in live:
        figures = money.get(row.treatment_id)
        if figures is None:  # a treatment in the trash counts no money at all
            continue
        stake = claim_stake(row.status, row.amount_claimed_cents, row.amount_paid_cents,
                            row.amount_paid_to_provider_cents)
        destination = ClaimDestination(row.destination)
        if stake > figures.claim_room_cents(destination):
            paid = ClaimStatus(row.status).value in PAID_STATUSES
            field = "amount_paid_cents" if paid else "amount_claimed_cents"
            found.append(f"{item.path}.{field}: {refusal(figures, destination)}")
        money[row.treatment_id] = figures.with_claim(row)
    return found


def _link_problems(session: Session, claims: list[tuple[Prepared, m.Claim]]) -> list[str]:
    out = []
    for item, row in claims:
        account = session.get(m.Account, row.account_id) if row.account_id else None
        treatment = session.get(m.Treatment, row.treatment_id)
        if treatment is None:  # not reached: the claim's treatment was checked on its way in
            continue
        problem = link_problem(
            str(row.destination), str(account.kind) if account else None,
            treatment.date_of_service, row.submitted_on, row.paid_on,
        )
        if problem is not None:
            out.append(f"{item.path}.{problem[0]}: {problem[1]}")
    return out
