"""File names inside the bundle that every file system and unzip tool accepts.

A bundle is opened on Windows, macOS and Linux by people and tools we do not control, so a
name is reduced to plain ASCII letters, digits, "-", "_" and ".": no path separators (a
"../../etc/passwd" entry must not climb out of the folder it is unzipped into), no
characters Windows refuses (<>:"|?*), no control characters, no leading or trailing dots or
spaces, none of the names Windows reserves for devices (CON, PRN, AUX, NUL, COM1-9,
LPT1-9, even with an extension: "CON.pdf" opens the console), bounded length, and unique
even on case-insensitive file systems.
"""

from __future__ import annotations

import re
import unicodedata

# Windows device names; "COM¹" and friends count too (superscript digits are accepted by
# Windows as the same device), and CONIN$/CONOUT$ are consoles.
_RESERVED = (
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{d}" for d in "0123456789¹²³"}
    | {f"LPT{d}" for d in "0123456789¹²³"}
)
_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9._-]+")
_REPEATS = re.compile(r"-{2,}|\.{2,}")
_EXTENSION = re.compile(r"[A-Za-z0-9]{1,10}")
_SAFE = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9._-]*[A-Za-z0-9_-])?")

# A whole name stays well under every limit (255 bytes per name on common file systems,
# and Windows' 260-character path once unzipped into a folder with a long name).
MAX_NAME = 100


def slug(text: str, *, fallback: str = "document", limit: int = MAX_NAME) -> str:
    """``text`` as a run of safe characters: accents dropped, everything else a "-"."""
    ascii_text = (
        unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    )
    out = _REPEATS.sub(lambda m: m.group(0)[0], _UNSAFE_RUN.sub("-", ascii_text))
    out = out[:limit].strip(".-_ ")
    return out or fallback


def extension_of(name: str) -> str:
    """The lowercase extension with its dot (".pdf"), or "" when there is no sensible one."""
    stem, dot, ext = (name or "").rpartition(".")
    if not dot or not stem.strip(". ") or not _EXTENSION.fullmatch(ext):
        return ""
    return f".{ext.lower()}"


def safe_name(name: str, *, fallback: str = "document") -> str:
    """One safe file name (not a path) for ``name``; the extension is kept when it is sane."""
    ext = extension_of(name)
    stem = name[: len(name) - len(ext)] if ext and name.lower().endswith(ext) else name
    stem = slug(stem, fallback=fallback, limit=MAX_NAME - len(ext))
    return _not_reserved(stem + ext)


def _not_reserved(name: str) -> str:
    # Windows looks at the part before the first dot, ignoring trailing spaces and case.
    base = name.split(".", 1)[0].rstrip(" ").upper()
    return f"_{name}"[:MAX_NAME] if base in _RESERVED else name


def is_safe_name(name: str) -> bool:
    """True when ``name`` is a name this module could have produced (used by the tests)."""
    return (
        0 < len(name) <= MAX_NAME
        and _SAFE.fullmatch(name) is not None
        and name.split(".", 1)[0].upper() not in _RESERVED
        and ".." not in name
    )


class UniqueNames:
    """Hands out names, never the same one twice even where case does not count."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def take(self, name: str) -> str:
        """``name`` made safe, with "-2", "-3", ... before the extension when already taken."""
        name = safe_name(name)
        ext = extension_of(name)
        stem = name[: len(name) - len(ext)] if ext else name
        candidate, n = name, 1
        while candidate.casefold() in self._taken:
            n += 1
            suffix = f"-{n}"
            candidate = _not_reserved(stem[: MAX_NAME - len(ext) - len(suffix)] + suffix + ext)
        self._taken.add(candidate.casefold())
        return candidate


def document_file_name(number: str, date_text: str, kind: str, title: str, original: str) -> str:
    """``NN-YYYY-MM-DD-kind-name.ext``: the number first so names sort in enclosure order."""
    ext = extension_of(original)
    head = f"{number}-{date_text}-{slug(kind.replace('_', '-'), fallback='other')}-"
    room = MAX_NAME - len(head) - len(ext)
    name = slug(title or original.rsplit(".", 1)[0], limit=max(room, 8))
    return safe_name(head + name + ext)
