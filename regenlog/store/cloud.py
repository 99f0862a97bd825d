"""Warn when the data folder sits inside a cloud-synced folder.

Sync clients copy files while they change and replay them on other computers: a SQLite
database synced mid-write can arrive torn, and two computers can each open "the" data folder
at once, which the single-writer lock cannot see across machines. Backups, on the other hand,
are finished files written once: a synced folder is a good place for them.
"""

import os
from pathlib import Path

# Each service and the folder names its clients create (compared case-insensitively).
_EXACT = {
    "dropbox": "Dropbox",
    "onedrive": "OneDrive",
    "icloud drive": "iCloud Drive",
    "iclouddrive": "iCloud Drive",  # iCloud for Windows
    "com~apple~clouddocs": "iCloud Drive",
    "mobile documents": "iCloud Drive",  # ~/Library/Mobile Documents: all of it syncs
    "my drive": "Google Drive",
    "googledrive": "Google Drive",
    "google drive": "Google Drive",
}
# Folder names that start with these: "Dropbox (Personal)", "OneDrive - Contoso",
# macOS ~/Library/CloudStorage/GoogleDrive-someone@gmail.com, OneDrive-Personal.
_PREFIXES = (
    ("dropbox (", "Dropbox"),
    ("dropbox-", "Dropbox"),
    ("onedrive - ", "OneDrive"),
    ("onedrive-", "OneDrive"),
    ("googledrive-", "Google Drive"),
)


def sync_service_of(path: str | os.PathLike) -> str | None:
    """The cloud service whose synced folder contains ``path``, or None."""
    candidates = [Path(path).expanduser().absolute()]
    try:
        resolved = candidates[0].resolve()  # ~/Dropbox is often a link to another disk
    except OSError:
        resolved = candidates[0]
    if resolved != candidates[0]:
        candidates.append(resolved)
    for candidate in candidates:
        parts = [part.lower() for part in candidate.parts]
        for part in parts:
            if part in _EXACT:
                return _EXACT[part]
            for prefix, service in _PREFIXES:
                if part.startswith(prefix):
                    return service
    return None


def cloud_sync_warning(path: str | os.PathLike) -> str | None:
    """One paragraph for the user when ``path`` is synced by a cloud service, else None."""
    service = sync_service_of(path)
    if service is None:
        return None
    return (
        f"Your RegenLog data folder {Path(path)} is inside {service}. A sync service can copy "
        "the database while RegenLog is writing it, or open it on two computers at once, and "
        "either can damage your records. Keep the data folder on this computer (the default "
        f"place) and save your backups to {service} instead."
    )
