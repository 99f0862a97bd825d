"""The words a patient meets on screen each have a short plain explanation, found by key for
the "What's this?" beside them; the guide covers what a patient must know before paying."""

import re
from pathlib import Path

import pytest

from regenlog.core import enums
from regenlog.core import models as m
from regenlog.core.glossary import (
    CHOICE_TERMS,
    FIELD_TERMS,
    GlossaryError,
    entries,
    entry,
    glossary_markdown,
    guide_markdown,
    parse,
)
from regenlog.core.record_kinds import RECORD_KINDS

SOURCE = Path(__file__).parent.parent / "regenlog"
# Where code names a glossary key: entry("key"), glossary.entry("key"), or a terms table.
NAMED = re.compile(r"""\bentry\(\s*["']([a-z0-9_]+)["']\s*\)""")


def _keys_named_in_code() -> set[str]:
    named = set(FIELD_TERMS.values()) | set(CHOICE_TERMS.values())
    for path in SOURCE.rglob("*.py"):
        named |= set(NAMED.findall(path.read_text(encoding="utf-8")))
    return named


def test_every_key_the_code_names_is_in_the_glossary():
    missing = _keys_named_in_code() - set(entries())
    assert not missing, f"glossary entries missing for: {sorted(missing)}"


def test_every_entry_has_a_term_and_a_plain_explanation():
    assert len(entries()) >= 30
    terms = [e.term for e in entries().values()]
    assert len(set(terms)) == len(terms)
    for key, item in entries().items():
        assert item.key == key and item.term and item.text, key
        assert not item.text.lstrip().startswith("#"), key
        assert "<!--" not in item.text, key
        # Short: a "What's this?" is read in a glance, not a page.
        assert len(item.text.split()) <= 90, (key, len(item.text.split()))
        assert item.markdown().startswith(f"### {item.term}\n\n")


@pytest.mark.parametrize(("key", "words"), [
    ("hctp_361", "361 HCT/P"), ("bla", "BLA"), ("rmat", "RMAT"),
    ("cms1500_box17", "CMS-1500 box 17"), ("place_of_service", "Place of service"),
    ("diagnosis_pointers", "Diagnosis pointers"), ("modifiers", "Modifiers"),
    ("good_faith_estimate", "Good Faith Estimate"), ("eob", "EOB"),
    ("preauthorization", "Pre-authorization"),
    ("letter_of_medical_necessity", "Letter of medical necessity"),
])
def test_the_terms_patients_asked_about_are_explained(key, words):
    assert words in entry(key).term


def test_the_tables_name_real_fields_and_choices():
    tables = {**{t: kind.model for t, kind in RECORD_KINDS.items()},
              "diagnosis_code": m.DiagnosisCode, "procedure_line": m.ProcedureLine}
    for record_type, field in FIELD_TERMS:
        assert field in tables[record_type].model_fields, (record_type, field)
    values = {member.value for enum in vars(enums).values()
              if isinstance(enum, type) and issubclass(enum, enums.Labelled) for member in enum}
    assert set(CHOICE_TERMS) <= values


def test_an_unknown_key_is_a_key_error():
    with pytest.raises(KeyError):
        entry("no_such_term")


@pytest.mark.parametrize(("text", "sentence"), [
    ("<!-- key: a -->\n## A\nOne.\n<!-- key: a -->\n## A again\nTwo.", 'two entries "a"'),
    ("<!-- key: b -->\nNo heading.", 'entry "b" has no "## " heading'),
])
def test_a_malformed_glossary_is_refused(text, sentence):
    with pytest.raises(GlossaryError, match=sentence):
        parse(text)


def test_the_key_lines_are_comments_and_every_heading_has_one():
    text = glossary_markdown()
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert len(headings) == len(entries())


@pytest.mark.parametrize("topic", [
    "361 HCT/P", "BLA", "RMAT", "PRP", "0232T", "86999", "LCD L39058", "IV therapy",
    "deficiency", "too few cells", "second or repeat injection", "follow-up visits",
    "pre-authorization", "Not currently denied", "HSA", "FSA", "Letters of medical necessity",
    "Good Faith Estimate", "external review", "claim file",
])
def test_the_guide_covers_what_to_know_before_paying(topic):
    assert topic in " ".join(guide_markdown().replace("**", "").split())


def test_the_guide_says_it_is_not_advice():
    assert "it is not medical, legal or tax advice" in " ".join(guide_markdown().split())
