"""Build the compact ICD-10-CM index shipped in ``data/`` from simple-icd-10-cm's data files.

Run it by hand when the code set changes (e.g. for FY2027)::

    uv run python -m regenlog.core.codes._build_index [--xml TABULAR.xml --codes CODE-LIST.txt]

Why a generated file: importing simple_icd_10_cm builds a full object tree (about 4 s and
200 MB); the app only needs code, description, billable flag and the 7th-character tables.

The tree walk mirrors simple_icd_10_cm's ``_CodeTree`` so that validity, billability and
descriptions match the library exactly (the tests cross-check every code):

* only ``<diag>`` elements are codes (chapters and blocks are not);
* a leaf ``<diag>`` under a ``<sevenChrDef>`` (its own or the nearest ancestor's) is not
  billable itself: it is expanded to name + placeholder X up to 6 characters + 7th character,
  but only for the expansions the official code list confirms (a few S06 codes lack some);
* an expanded code's description is "<leaf description>, <7th-character meaning>".

Output: gzip UTF-8 text, tab-separated, written with mtime=0 so rebuilds are byte-identical::

    #regenlog-icd10  <version>  <source xml>  <source code list>
    @<table>  <char>  <meaning>                       one line per 7th-character value
    <code>  <1 billable|0 heading>  <description>  <table>  <allowed 7th chars>  <terms>

The last three fields may be empty; <terms> are the code's inclusion terms joined by " | "
(search uses them: "Plantar fasciitis" is only an inclusion term of M72.2).
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import io
import xml.etree.ElementTree as ET
from pathlib import Path

VERSION = "FY2026"
XML_NAME = "icd10c-tabular-April-1-2026.xml"
CODES_NAME = "code-list-April-2026.txt"
OUT_PATH = Path(__file__).with_name("data") / "icd10cm_fy2026.tsv.gz"


def package_data_dir() -> Path:
    """simple_icd_10_cm's data folder, found without importing the (slow) package."""
    spec = importlib.util.find_spec("simple_icd_10_cm")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("simple-icd-10-cm is not installed; run `uv sync` first.")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _text(value: str | None) -> str:
    # Collapse XML whitespace: a few 7th-character notes begin with a tab.
    return " ".join((value or "").split())


def _seven_chr_def(diag: ET.Element) -> dict[str, str]:
    """A ``<sevenChrDef>`` as {char: meaning}; a trailing ``<note>`` is appended with "/"."""
    table: dict[str, str] = {}
    for element in diag.findall("sevenChrDef"):
        last = None
        for item in element:
            if item.tag == "extension":
                last = item.attrib["char"]
                table[last] = item.text or ""
            elif item.tag == "note" and last is not None and item.text:
                table[last] = table[last] + "/" + item.text
    return {char: _text(meaning) for char, meaning in table.items()}


def walk(root: ET.Element, confirmed: set[str]):
    """Yield (code, billable, description, seven_chr_table or None, allowed chars, terms)."""
    seen: set[str] = set()

    def visit(element: ET.Element, inherited: dict[str, str] | None):
        for diag in element.findall("diag"):
            name = diag.findtext("name")
            if not name:
                raise ValueError(f"a <diag> under {element.tag} has no name")
            if name in seen:
                raise ValueError(f"{name} appears twice in the tabular list")
            seen.add(name)
            code = name.replace(".", "")
            description = _text(diag.findtext("desc"))
            notes = [_text(note.text) for term in diag.findall("inclusionTerm") for note in term]
            terms = " | ".join(note for note in notes if note)
            table = _seven_chr_def(diag) or inherited
            children = diag.findall("diag")
            if children:
                yield code, False, description, None, "", terms
                yield from visit(diag, table)
            elif table:
                padded = code.ljust(6, "X")
                allowed = "".join(ch for ch in table if padded + ch in confirmed)
                # With no confirmed expansion the library keeps it as a billable leaf.
                yield code, not allowed, description, (table if allowed else None), allowed, terms
            else:
                yield code, True, description, None, "", terms

    for chapter in root.findall("chapter"):
        for section in chapter.findall("section"):
            yield from visit(section, None)


def build(xml_path: Path, codes_path: Path) -> bytes:
    confirmed = {
        line.split(" ")[0].strip().replace(".", "")
        for line in codes_path.read_text(encoding="utf-8").splitlines()
    }
    root = ET.parse(xml_path).getroot()
    tables: dict[tuple[tuple[str, str], ...], int] = {}
    body = io.StringIO()
    for code, billable, description, table, allowed, terms in walk(root, confirmed):
        number = str(tables.setdefault(tuple(table.items()), len(tables))) if table else ""
        fields = [code, "1" if billable else "0", description, number, allowed, terms]
        body.write("\t".join(fields) + "\n")
    head = io.StringIO()
    head.write(f"#regenlog-icd10\t{VERSION}\t{xml_path.name}\t{codes_path.name}\n")
    for key, index in tables.items():
        for char, meaning in key:
            head.write(f"@{index}\t{char}\t{meaning}\n")
    raw = (head.getvalue() + body.getvalue()).encode("utf-8")
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(raw)
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xml", type=Path, default=None, help="tabular XML (default: package)")
    parser.add_argument("--codes", type=Path, default=None, help="code list (default: package)")
    parser.add_argument("--out", type=Path, default=OUT_PATH)
    args = parser.parse_args(argv)
    data_dir = package_data_dir()
    blob = build(args.xml or data_dir / XML_NAME, args.codes or data_dir / CODES_NAME)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(blob)
    print(f"wrote {args.out} ({len(blob):,} bytes)")


if __name__ == "__main__":
    main()
