"""Money is integer cents everywhere; these parse what people type and format for display.

Floats never touch an amount: parsing works on the digits of the string.
"""

import re

from .errors import ValidationError

# The largest single amount RegenLog takes: $10 million. Anything larger is a typo, not a
# receipt, and the limit keeps every sum of amounts far inside SQLite's 64-bit integers.
MAX_CENTS = 10_000_000_00

# "$1,234.56", "1234.5", "-$12", "(12.00)", "1 234,00" is not US and is refused.
_MONEY = re.compile(
    r"""^\s*
    (?P<neg1>-)?\s*\$?\s*(?P<neg2>-)?\s*
    (?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?
    (?:\.(?P<frac>[0-9]{1,2}))?
    \s*$""",
    re.VERBOSE,
)


def parse_money(text: str, *, allow_negative: bool = False) -> int:
    """Parse a US dollar amount into cents, or raise ValidationError with a clear sentence."""
    raw = (text or "").strip()
    negative = False
    if raw.startswith("(") and raw.endswith(")"):
        negative, raw = True, raw[1:-1]
    m = _MONEY.match(raw)
    if not raw or not m or (m.group("int") is None and m.group("frac") is None):
        raise ValidationError(f'"{text}" is not an amount of money; write it like 1,234.56.')
    negative = negative or bool(m.group("neg1") or m.group("neg2"))
    if m.group("neg1") and m.group("neg2"):
        raise ValidationError(f'"{text}" is not an amount of money; write it like 1,234.56.')
    whole = int((m.group("int") or "0").replace(",", ""))
    frac = (m.group("frac") or "0").ljust(2, "0")
    cents = whole * 100 + int(frac)
    if cents > MAX_CENTS:
        raise ValidationError(
            f'"{text.strip()}" is more than {format_money(MAX_CENTS)}; check the amount.'
        )
    if negative:
        if not allow_negative:
            raise ValidationError(f'"{text}" is negative; amounts here must be zero or more.')
        cents = -cents
    return cents


def format_money(cents: int, *, symbol: bool = True) -> str:
    """Format cents as "$1,234.56" (negative as "-$1,234.56")."""
    if not isinstance(cents, int) or isinstance(cents, bool):
        raise TypeError("money is integer cents")
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{'$' if symbol else ''}{whole:,}.{frac:02d}"


def parse_percent_bp(text: str) -> int:
    """Parse an APR such as "29.99%" into basis points (2999), exactly."""
    raw = (text or "").strip().rstrip("%").strip()
    m = re.fullmatch(r"(\d{1,3})(?:\.(\d{1,2}))?", raw)
    if not m:
        raise ValidationError(f'"{text}" is not a percentage; write it like 29.99%.')
    bp = int(m.group(1)) * 100 + int((m.group(2) or "0").ljust(2, "0"))
    if bp > 10000:
        raise ValidationError(f'"{text}" is over 100%; check the rate on your agreement.')
    return bp


def format_percent_bp(bp: int) -> str:
    whole, frac = divmod(bp, 100)
    return f"{whole}.{frac:02d}%"
