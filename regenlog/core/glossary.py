"""The words RegenLog shows that a patient may not know, each with a short plain explanation,
and the patient guide: both written in resources/guide/ as Markdown, which Qt's text browser
shows as it is.

``entry(key)`` gives one glossary entry, for the "What's this?" beside a term. In
glossary.md each entry is an invisible line ``<!-- key: ... -->`` (an HTML comment, hidden
when the file is shown), a ``## Term`` heading, then its paragraphs; keys stay stable when a
term's wording changes. ``FIELD_TERMS`` and ``CHOICE_TERMS`` say which entry explains which
field or choice of a form; a test keeps every key named anywhere in the code present in the
file. No Qt here: the window renders the Markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..resources import resource

_KEY_LINE = re.compile(r"^<!--\s*key:\s*([a-z0-9_]+)\s*-->\s*$")


@dataclass(frozen=True)
class Entry:
    key: str
    term: str  # as the heading writes it: "361 HCT/P"
    text: str  # the explanation, Markdown paragraphs

    def markdown(self) -> str:
        """The entry on its own: its term as a heading, then the explanation."""
        return f"### {self.term}\n\n{self.text}\n"


# The form fields each entry explains: (record type, field) -> key. Procedure lines and
# diagnosis codes belong to a treatment; their fields are named by their own tables.
FIELD_TERMS: dict[tuple[str, str], str] = {
    ("treatment", "regulatory_note"): "hctp_361",
    ("treatment", "referring_provider_id"): "cms1500_box17",
    ("diagnosis_code", "code"): "icd10_cm",
    ("procedure_line", "code"): "cpt_hcpcs",
    ("procedure_line", "modifiers"): "modifiers",
    ("procedure_line", "pointers"): "diagnosis_pointers",
    ("procedure_line", "units"): "units",
    ("provider", "place_of_service"): "place_of_service",
    ("provider", "npi"): "npi",
    ("provider", "tax_id"): "tax_id",
    ("insurance_plan", "filing_limit_days"): "claim_filing_limit",
    ("account", "extension"): "fsa_grace_period",
    ("insurer_call", "outcome"): "not_currently_denied",
    ("insurer_call", "written_confirmation"): "written_confirmation",
    ("determination", "is_final"): "final_internal_denial",
    ("financing_plan", "deferred_interest"): "deferred_interest",
    ("medical_necessity_letter", "rationale"): "medical_necessity",
    ("good_faith_estimate", "total_cents"): "good_faith_estimate",
    ("receipt", "total_cents"): "itemized_receipt",
}

# The choices (enum values) each entry explains, wherever a list offers them.
CHOICE_TERMS: dict[str, str] = {
    "hctp_361": "hctp_361",
    "bla_approved": "bla",
    "rmat": "rmat",
    "not_currently_denied": "not_currently_denied",
    "preauth_required": "preauthorization",
    "preauthorization": "preauthorization",
    "eob": "eob",
    "denial": "internal_appeal",
    "appeal_decision": "external_review",
    "medical_necessity_letter": "letter_of_medical_necessity",
    "good_faith_estimate": "good_faith_estimate",
    "hsa": "hsa",
    "fsa": "fsa",
    "grace_period": "fsa_grace_period",
    "run_out": "fsa_grace_period",
}


class GlossaryError(ValueError):
    """The glossary file is malformed: a fault of the shipped file, caught by its test."""


@cache
def entries() -> dict[str, Entry]:
    """Every entry by key, in the file's order (read once)."""
    return parse(resource("guide", "glossary.md").read_text(encoding="utf-8"))


def entry(key: str) -> Entry:
    """The entry for ``key``; KeyError for a key the glossary does not have."""
    return entries()[key]


def guide_markdown() -> str:
    """The patient guide, to show as Markdown."""
    return resource("guide", "guide.md").read_text(encoding="utf-8")


def glossary_markdown() -> str:
    """The whole glossary, to show as Markdown (the key lines are HTML comments: hidden)."""
    return resource("guide", "glossary.md").read_text(encoding="utf-8")


def parse(text: str) -> dict[str, Entry]:
    """Entries from glossary Markdown: a key line, a "## " heading, paragraphs."""
    found: dict[str, Entry] = {}
    key: str | None = None
    term: str | None = None
    body: list[str] = []

    def finish() -> None:
        if key is None:
            return
        if term is None:
            raise GlossaryError(f'The glossary entry "{key}" has no "## " heading.')
        found[key] = Entry(key, term, "\n".join(body).strip())

    for line in text.splitlines():
        match = _KEY_LINE.match(line.strip())
        if match:
            finish()
            key, term, body = match.group(1), None, []
            if key in found:
                raise GlossaryError(f'The glossary has two entries "{key}".')
        elif key is not None and term is None and line.startswith("## "):
            term = line[3:].strip()
        elif key is not None and term is not None:
            body.append(line)
    finish()
    return found
