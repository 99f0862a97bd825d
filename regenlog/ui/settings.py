"""The window's own preferences (geometry, last page, formats, colour scheme) in QSettings.

Kept in the ui layer only: the records never depend on them. Tests hand in a QSettings that
points at an ini file in their temporary folder.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

DATE_STYLES = {
    "us": "US (03/02/2026)",
    "iso": "ISO (2026-03-02)",
    "long": "Long (Mar 2, 2026)",
}
MONEY_STYLES = {
    "us": "US dollars ($1,234.56)",
    "system": "As this computer's region writes dollars",
}
COLOR_SCHEMES = {
    "system": "Follow the system",
    "light": "Light",
    "dark": "Dark",
}


class UiSettings:
    def __init__(self, store: QSettings):
        self.store = store

    @classmethod
    def default(cls) -> UiSettings:
        return cls(QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                             "RegenLog", "RegenLog"))

    @classmethod
    def at(cls, ini_path) -> UiSettings:
        return cls(QSettings(str(ini_path), QSettings.Format.IniFormat))

    def _text(self, key: str, default: str, allowed=None) -> str:
        value = self.store.value(key, default)
        value = value if isinstance(value, str) else default
        return value if allowed is None or value in allowed else default

    # -- window ----------------------------------------------------------------------------
    @property
    def geometry(self) -> QByteArray | None:
        value = self.store.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self.store.setValue("window/geometry", value)

    @property
    def last_page(self) -> str:
        return self._text("window/last_page", "dashboard")

    @last_page.setter
    def last_page(self, key: str) -> None:
        self.store.setValue("window/last_page", key)

    # -- formats and look ------------------------------------------------------------------
    @property
    def date_style(self) -> str:
        return self._text("formats/date", "us", DATE_STYLES)

    @date_style.setter
    def date_style(self, value: str) -> None:
        self.store.setValue("formats/date", value)

    @property
    def money_style(self) -> str:
        return self._text("formats/money", "us", MONEY_STYLES)

    @money_style.setter
    def money_style(self, value: str) -> None:
        self.store.setValue("formats/money", value)

    @property
    def color_scheme(self) -> str:
        return self._text("look/color_scheme", "system", COLOR_SCHEMES)

    @color_scheme.setter
    def color_scheme(self, value: str) -> None:
        self.store.setValue("look/color_scheme", value)

    def sync(self) -> None:
        self.store.sync()
