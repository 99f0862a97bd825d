"""Text on its way out of RegenLog: to a terminal, a PDF, a CSV file or a message.

Names, notes and file contents are typed or imported by anyone. A name holding an escape
sequence would drive the patient's terminal (clear it, retitle it, hide lines), and a
right-to-left override would print "$1,850.00" the wrong way round in a letter to an
insurer. ``printable`` is the one cleaning every outlet uses.
"""

from __future__ import annotations

import re

# C0 and C1 controls except tab and newline; DEL; the bidirectional embeddings, overrides and
# isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI) and the Arabic letter mark. Letters that
# are right-to-left by nature (Hebrew, Arabic) are untouched: only the invisible controls go.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
# A run of this many characters with no space is no word: a pasted blob, a damaged value.
LONGEST_RUN = 120
_LONG_RUN = re.compile(rf"\S{{{LONGEST_RUN + 1},}}")


def printable(text: str) -> str:
    """``text`` without control or direction-changing characters (tab and newline stay); a
    lone surrogate, which no output can encode, becomes U+FFFD."""
    text = _UNSAFE.sub("", text)
    return _SURROGATE.sub("\ufffd", text) if not text.isascii() else text


def clipped(text: str) -> str:
    """``text`` with any run of more than ``LONGEST_RUN`` characters without a space cut to
    its start and an ellipsis: a sentence quoting a 2 MB value stays a sentence."""
    if len(text) <= LONGEST_RUN:
        return text
    return _LONG_RUN.sub(lambda m: m.group()[: LONGEST_RUN - 20] + "…", text)


# Nouns whose plural is not the noun and an "s".
IRREGULAR = {"person": "people"}


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """A count and its noun: "1 receipt", "2 receipts", "1,200 people" (``nouns`` for a plural
    the noun does not make with an "s")."""
    return f"{n:,} {noun if n == 1 else (nouns or IRREGULAR.get(noun, noun + 's'))}"
