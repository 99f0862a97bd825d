"""Creating and changing claims without ever claiming the same dollars twice.

A claim to any source (insurer, HSA, FSA) may ask for at most what is still neither
reimbursed nor asked for by an open claim; an HSA or FSA claim also cannot ask for what an
HSA or FSA card already paid (that money is already tax-free). The GUI and the CLI create
and change claims through ``create_claim`` and ``update_claim``, never through the raw
record service, so the rule holds everywhere.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .. import models as m
from ..enums import ClaimDestination, ClaimStatus
from ..errors import ValidationError
from ..money import format_money
from ..ports import Database, HasDatabase, database_of
from ..services.records import Records
from .amounts import TreatmentMoney, claim_stake, load_money

if TYPE_CHECKING:
    from ..services import Services


def check_claim(
    db: Database | HasDatabase,
    treatment_id: int,
    destination: str,
    amount_claimed_cents: int,
    *,
    exclude_claim_id: int | None = None,
    determination_id: int | None = None,
) -> None:
    """Raise ValidationError when a claim for ``amount_claimed_cents`` to ``destination``
    would ask for more than is still unreimbursed and unclaimed on the treatment.

    ``exclude_claim_id`` leaves out a claim being changed, so it is not counted against
    itself; ``determination_id`` is the EOB the claim links, whose money the claim then
    speaks for. Raises NotFoundError when the treatment does not exist or is in the trash.
    """
    db = database_of(db)
    target = _destination(destination)
    if not isinstance(amount_claimed_cents, int) or isinstance(amount_claimed_cents, bool):
        raise ValidationError("The amount claimed must be a whole number of cents.")
    if amount_claimed_cents < 0:
        raise ValidationError("The amount claimed cannot be negative.")
    Records(db).get(m.Treatment, treatment_id)  # NotFoundError with its own sentence
    with db.session() as session:
        money = load_money(session, [treatment_id])[treatment_id]
    if exclude_claim_id is not None:
        money = money.without(("claim", exclude_claim_id))
    if determination_id is not None:
        money = money.without(("determination", determination_id))
    room = money.claim_room_cents(target)
    if amount_claimed_cents <= room:
        return
    if target is ClaimDestination.insurer and money.cards_excluded(target) and (
        amount_claimed_cents <= room + money.paid_from_accounts_cents
    ):
        # Only the card money stands in the way: say why the insurer cannot ask for it.
        raise ValidationError(
            f"HSA or FSA claims already count on {format_money(money.account_claims_cents)} of "
            f"this {format_money(money.basis_cents)} treatment and "
            f"{format_money(money.paid_from_accounts_cents)} was paid with an HSA or FSA card; "
            f"you can claim at most {format_money(room)} from the insurer.",
            "amount_claimed_cents",
        )
    raise ValidationError(refusal(money, target), "amount_claimed_cents")


def refusal(money: TreatmentMoney, destination: str) -> str:
    """The sentence that says what is already taken and how much can still be claimed."""
    target = _destination(destination)
    where = target.payer_name
    basis, left = money.basis_cents, money.claim_room_cents(target)
    if basis == 0:
        return "No payment or charge is recorded for this treatment; add its receipt before you claim."
    tail = (
        f"you can claim at most {format_money(left)} from {where}." if left
        else f"nothing is left to claim from {where}."
    )
    taken = _taken(money, target)
    cost = format_money(basis)
    if not taken:
        what = "You paid" if money.paid_cents else "You were billed"
        return f"{what} {cost} for this treatment; {tail}"
    if len(taken) == 1:
        single = taken[0].replace("{of}", f"of this {cost} treatment")
        return f"{single[0].upper()}{single[1:]}; {tail}"
    parts = [phrase.replace(" {of}", "") for phrase in taken]
    listing = ", ".join(parts[:-1]) + f" and {parts[-1]}"
    return f"Of this {cost} treatment, {listing}; {tail}"


def _taken(money: TreatmentMoney, target: ClaimDestination) -> list[str]:
    """A phrase for each share already spoken for; ``{of}`` marks where "of this $X
    treatment" goes when the phrase stands alone."""
    out = []
    for source in ClaimDestination:
        name = source.payer_name
        if cents := money.reimbursed_by(source):
            out.append(f"{name} already reimbursed {format_money(cents)} {{of}}")
    for source in ClaimDestination:
        name = source.payer_name
        if cents := money.awaiting_from(source):
            out.append(f"an open claim to {name} already asks for {format_money(cents)} {{of}}")
    if money.cards_excluded(target.value):
        for cents, card in (
            (money.paid_with_hsa_card_cents, "an HSA card"),
            (money.paid_with_fsa_card_cents, "an FSA card"),
        ):
            if cents:
                out.append(f"{format_money(cents)} {{of}} was paid with {card}")
    if money.overpaid_cents:
        out.append(f"the provider owes you back {format_money(money.overpaid_cents)} {{of}} "
                   "(it was paid more than it charged)")
    return out


def create_claim(services: Services, **fields: Any) -> m.Claim:
    """Check the no-double-counting rule, then create the claim (``Records.create``).

    Recording a claim already paid checks what it paid; a denied one takes nothing.
    """
    db, records = services.db, services.records
    treatment_id = fields.get("treatment_id")
    if treatment_id is None:
        raise ValidationError("Choose the treatment this claim is for.", "treatment_id")
    destination = fields.get("destination")
    if destination is None:
        raise ValidationError("Choose where the claim goes: the insurer, the HSA or the FSA.", "destination")
    stake = _stake_of(fields)
    _check_links(records, fields)
    check_claim(db, treatment_id, destination, stake,
                determination_id=fields.get("determination_id"))
    return records.create(m.Claim, **fields)


def update_claim(services: Services, claim_id: int, **fields: Any) -> m.Claim:
    """Change a claim; the rule is checked as if the claim were new, without itself."""
    db, records = services.db, services.records
    current = records.get(m.Claim, claim_id)
    merged: dict[str, Any] = {
        "treatment_id": current.treatment_id, "destination": current.destination,
        "status": current.status, "amount_claimed_cents": current.amount_claimed_cents,
        "amount_paid_cents": current.amount_paid_cents, "account_id": current.account_id,
        "submitted_on": current.submitted_on, "paid_on": current.paid_on,
        "amount_paid_to_provider_cents": current.amount_paid_to_provider_cents,
        "determination_id": current.determination_id,
    }
    merged.update({k: v for k, v in fields.items() if k in merged})
    _check_links(records, merged)
    check_claim(
        db, merged["treatment_id"], merged["destination"], _stake_of(merged),
        exclude_claim_id=claim_id, determination_id=merged["determination_id"],
    )
    return records.update(m.Claim, claim_id, **fields)


def link_problem(
    destination: str | None, account_kind: str | None, treatment_day: dt.date,
    submitted_on: dt.date | None, paid_on: dt.date | None,
) -> tuple[str, str] | None:
    """(field, sentence) for what a claim's own fields cannot show, or None: the account is
    of the claim's kind, and no date of the claim comes before the care it claims for."""
    if account_kind is not None and destination in ("hsa", "fsa") and account_kind != destination:
        return "account_id", (
            f"An {str(destination).upper()} claim goes to an {str(destination).upper()}; "
            f"this account is an {str(account_kind).upper()}."
        )
    for name, day, what in (("submitted_on", submitted_on, "submitted"),
                            ("paid_on", paid_on, "paid")):
        if isinstance(day, dt.date) and day < treatment_day:
            return name, f"A claim cannot be {what} before the date of service ({treatment_day})."
    return None


def _check_links(records: Records, fields: dict[str, Any]) -> None:
    account_id = fields.get("account_id")
    kind = records.get(m.Account, account_id).kind if account_id is not None else None
    treatment = records.get(m.Treatment, fields["treatment_id"])
    problem = link_problem(fields.get("destination"), kind, treatment.date_of_service,
                           fields.get("submitted_on"), fields.get("paid_on"))
    if problem is not None:
        raise ValidationError(problem[1], problem[0])


def _stake_of(fields: dict[str, Any]) -> int:
    claimed = fields.get("amount_claimed_cents", 0)
    paid = fields.get("amount_paid_cents", 0)
    to_provider = fields.get("amount_paid_to_provider_cents", 0)
    for value, what in ((claimed, "amount claimed"), (paid, "amount paid"),
                        (to_provider, "amount paid to the provider")):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValidationError(f"The {what} must be a whole number of cents.")
    try:
        return claim_stake(fields.get("status", ClaimStatus.draft), claimed, paid, to_provider)
    except ValueError:
        raise ValidationError(
            f'"{fields.get("status")}" is not a claim status; choose one of: '
            f"{', '.join(s.label for s in ClaimStatus)}.", "status",
        ) from None


def _destination(value: str) -> ClaimDestination:
    try:
        return ClaimDestination(value)
    except ValueError:
        raise ValidationError(
            f'"{value}" is not a place to claim from; choose insurer, hsa or fsa.', "destination"
        ) from None
