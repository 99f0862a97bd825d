"""The superbill's provider fields: provider.incomplete."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ... import codes
from ...errors import ValidationError
from ...text import plural
from ...vocabulary import Destination, Severity
from ..facts import cap
from ..gap import rule

if TYPE_CHECKING:
    from ..facts import Context, Facts
    from ..gap import Gap, Rule
    from ..rows import ProviderRow


def _problems(provider: ProviderRow) -> list[str]:
    """What the superbill cannot show about this provider, as short phrases."""
    out = []
    npi = (provider.npi or "").strip()
    if not npi:
        out.append("no NPI")
    else:
        try:
            codes.check_npi(npi)
        except ValidationError:
            out.append(f"an NPI ({npi}) that fails its check digit or format, so a digit is mistyped")
    tax_id = (provider.tax_id or "").strip()
    if not tax_id:
        out.append("no tax ID")
    else:
        try:
            codes.check_tax_id(tax_id)
        except ValidationError:
            out.append(f"a tax ID ({tax_id}) that is not 9 digits (an EIN or SSN)")
    if not (provider.address or "").strip():
        out.append("no address")
    pos = (provider.place_of_service or "").strip()
    if pos:
        try:
            codes.check_place_of_service(pos)
        except ValidationError:
            out.append(f"a place-of-service code ({pos}) that is not two digits")
    return out


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


@rule(
    "provider.incomplete", Severity.warning,
    title="Provider's NPI, tax ID and address",
    reads=("treatment", "provider"),
    why=(
        "The superbill (CMS-1500 boxes 24J, 25 and 32-33) must name the provider with a "
        "10-digit NPI, a tax ID and an address (and box 24B a two-digit place of service); "
        "without them the insurer cannot process it."
    ),
    fix=(
        "Copy the provider's NPI, tax ID and address from the clinic's superbill or letterhead "
        "(the NPPES NPI Registry lists NPIs)."
    ),
    destinations=(Destination.insurer,),
)
def provider_incomplete(self: Rule, facts: Facts, ctx: Context) -> Iterator[Gap]:
    """Once per provider, not once per treatment, so one clinic's missing NPI does not flood
    the list: the gap is on the provider record, grouped under the latest treatment in scope
    that used it (so a treatment's own checklist shows it too). A treatment with no provider
    at all gets the gap on the treatment itself."""
    problems = {pid: found for pid, p in facts.providers.items() if (found := _problems(p))}
    latest: dict[int, tuple] = {}
    used: dict[int, int] = {}
    for t in facts.treatments.values():
        provider_id = t.provider_id
        if provider_id is None:
            yield self.gap(
                "treatment", t.id,
                f"{cap(facts.describe(t))} names no provider; the superbill needs the "
                "provider's name, NPI, tax ID and address.",
                treatment_id=t.id,
                fix="Choose the provider who treated you, with their NPI, tax ID and address.",
            )
        elif provider_id in problems:
            used[provider_id] = used.get(provider_id, 0) + 1
            key = (t.date_of_service, t.id)
            if provider_id not in latest or key > latest[provider_id][0]:
                latest[provider_id] = (key, t)
    for provider_id, (_key, t) in sorted(latest.items()):
        provider = facts.providers[provider_id]
        n = used[provider_id]
        others = f" and {plural(n - 1, 'other treatment')}" if n > 1 else ""
        yield self.gap(
            "provider", provider_id,
            f"{provider.name}, the provider of {facts.describe(t)}{others}, has "
            f"{_join(problems[provider_id])}; the superbill must show the provider's NPI, "
            "tax ID and address or the claim cannot be processed.",
            treatment_id=t.id,
        )
