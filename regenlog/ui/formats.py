"""How dates and money are shown: US by default, or as the user chose in Settings.

Amounts stay integer cents and US dollars; only their display changes.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QLocale

from ..core.dates import local_time
from ..core.fileio import format_size
from ..core.money import format_money


class Formats:
    def __init__(self, date_style: str = "us", money_style: str = "us"):
        self.date_style = date_style
        self.money_style = money_style
        self._locale = QLocale.system()

    def date(self, value: dt.date | None) -> str:
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            return self.datetime(value)
        if self.date_style == "iso":
            return value.isoformat()
        if self.date_style == "long":
            return f"{value:%b} {value.day}, {value.year}"
        return f"{value:%m/%d/%Y}"

    def datetime(self, value: dt.datetime | None) -> str:
        if value is None:
            return ""
        value = local_time(value)  # stored in UTC, read in the patient's own time
        return f"{self.date(value.date())} {value:%H:%M}"

    def money(self, cents: int | None) -> str:
        if cents is None:
            return ""
        if self.money_style == "system":
            return self._locale.toCurrencyString(cents / 100, "$")
        return format_money(cents)

    @staticmethod
    def size(n_bytes: int) -> str:
        return format_size(n_bytes)
