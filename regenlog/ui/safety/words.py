"""Backups in the patient's words, shared by the dialogs of this package."""

from __future__ import annotations

import datetime as dt

_KINDS = {
    "daily": "Automatic daily backup",
    "pre-import": "Copy made before an import",
    "pre-restore": "Copy made before a restore",
    "pre-recovery": "Copy made before a recovery",
}


def kind_in_words(kind: str) -> str:
    if kind in _KINDS:
        return _KINDS[kind]
    if kind.startswith("pre-migration"):
        return "Copy made before RegenLog updated its database"
    if kind.startswith("pre-"):
        return f"Copy made before {kind[4:].replace('-', ' ')}"
    return kind.replace("-", " ").capitalize()


def when_in_words(taken_at: dt.datetime, formats=None) -> str:
    """"Nov 24, 2026 at 09:12" (or the user's date style); backup times are local time."""
    day = formats.date(taken_at.date()) if formats is not None else (
        f"{taken_at:%b} {taken_at.day}, {taken_at.year}")
    return f"{day} at {taken_at:%H:%M}"

