"""Is a bundle's password strong enough, and a passphrase to offer when it is not.

An AES ZIP can be attacked offline: whoever holds the file can try passwords as fast as their
computers allow, for as long as they like. zxcvbn estimates how many guesses a password needs
(dictionaries, names, dates, keyboard patterns, l33t); we ask for its top score, at least
10^10 guesses, and we pass the patient's own name and birth date as words an attacker knows.
"""

from __future__ import annotations

import secrets

MIN_SCORE = 4  # zxcvbn: 10^10 guesses or more
MAX_CHECKED = 100  # zxcvbn slows down on very long input; the first 100 characters decide


def password_problem(password: str, known: tuple[str, ...] = ()) -> str | None:
    """Why ``password`` is too weak for a bundle, in a sentence; None when it is strong."""
    from zxcvbn import zxcvbn

    result = zxcvbn(password[:MAX_CHECKED], user_inputs=[k for k in known if k])
    if result["score"] >= MIN_SCORE:
        return None
    warning = (result["feedback"].get("warning") or "").rstrip(".")
    why = f" ({warning[0].lower()}{warning[1:]})" if warning else ""
    return (
        f"This password is too easy to guess{why}: anyone with the file can try passwords "
        "without limit. Use four or five unrelated words, or the passphrase RegenLog suggests."
    )


def suggest_passphrase(words: int = 5) -> str:
    """Five common English words drawn at random (about 60 bits), joined by hyphens: easy to
    read out over the phone, hard to guess."""
    return "-".join(secrets.choice(_words()) for _ in range(words))


_WORDS: list[str] = []


def _words() -> list[str]:
    if not _WORDS:
        from zxcvbn.frequency_lists import FREQUENCY_LISTS

        _WORDS.extend(
            w for w in FREQUENCY_LISTS["english_wikipedia"][:8000]
            if w.isascii() and w.isalpha() and 4 <= len(w) <= 8
        )
    return _WORDS
