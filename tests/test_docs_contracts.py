"""The contracts in docs/ say what the program does: the rule table of docs/rules.md is the
rules the check runs, docs/command-line.md names every command and option the command line
takes, and the code cites these pages, never a brief outside the repository."""

import argparse
import re
from pathlib import Path

from regenlog.cli import build_parser
from regenlog.core.checklist import RULES
from regenlog.core.vocabulary import Destination, Severity

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
LETTERS = {"I": Destination.insurer, "H": Destination.hsa, "F": Destination.fsa,
           "A": Destination.appeal}


def _rule_table() -> list[tuple[str, str, frozenset[Destination], bool]]:
    rows = []
    for line in (DOCS / "rules.md").read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and re.fullmatch(r"`[a-z]+\.[a-z_]+`", cells[0]):
            destinations = frozenset(LETTERS[x] for x in cells[2].split())
            rows.append((cells[0].strip("`"), cells[1], destinations, cells[3] == "yes"))
    return rows


def test_the_rule_table_is_the_rules_the_check_runs():
    assert _rule_table() == [
        (r.id, r.severity.value, r.destinations, r.patient) for r in RULES.values()
    ]


def test_the_rule_page_names_every_severity_and_destination():
    text = (DOCS / "rules.md").read_text("utf-8")
    for word in (*Severity, *Destination):
        assert f"`{word}`" in text or f"**{word}**" in text, word


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_the_command_line_page_names_every_command_and_option():
    text = (DOCS / "command-line.md").read_text("utf-8")
    parser = build_parser()
    for action in parser._actions:
        for option in action.option_strings:
            assert option in text or option == "-h", option
    for name, command in _commands().items():
        assert f"`{name}" in text, name
        for action in command._actions:
            long = [o for o in action.option_strings if o.startswith("--")]
            if long and long[0] != "--help":
                assert long[0] in text, f"{name} {long[0]}"


def test_the_code_cites_the_docs_in_the_repository():
    cited = [
        str(path.relative_to(ROOT))
        for folder in ("regenlog", "tests", "benchmarks")
        for path in (ROOT / folder).rglob("*.py")
        if "PRODUCT" + ".md" in path.read_text("utf-8", "replace")
    ]
    assert cited == []
