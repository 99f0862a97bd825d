"""All documentation rules, in the order of the table in docs/rules.md (``RULE_IDS``)."""

from ..gap import RULE_IDS, Rule
from . import calls, clinical, codes, deadlines_rules, letters, money_rules, providers, receipts

_MODULES = (receipts, codes, providers, letters, calls, clinical, deadlines_rules, money_rules)


def _collect() -> dict[str, Rule]:
    found: dict[str, Rule] = {}
    for module in _MODULES:
        for value in vars(module).values():
            if isinstance(value, Rule):
                if value.id in found and found[value.id] is not value:
                    raise RuntimeError(f"rule {value.id} is declared twice")
                found[value.id] = value
    missing = [rule_id for rule_id in RULE_IDS if rule_id not in found]
    if missing:
        raise RuntimeError(f"rules not declared: {missing}")
    return {rule_id: found[rule_id] for rule_id in RULE_IDS}


RULES: dict[str, Rule] = _collect()

__all__ = ["RULES"]
