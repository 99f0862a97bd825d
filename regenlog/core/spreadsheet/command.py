"""``regenlog import FILE.csv [--map MAPPING.json] [--dry-run]``: everything but the parsing
of the arguments, so the command line only calls ``run_csv_import_cli``.

What it prints to ``out`` (standard output), in order:

1. Without a mapping file: "No --map given: using the mapping suggested from the column
   names. Save it to a file, edit it and pass it with --map to change it:" then the mapping
   as JSON.
2. The dry-run report: "Checked N rows of FILE (ENCODING): G good, B with problems.", one
   "  line L: reason" per bad row, then the people and providers importing would create and
   the columns nothing is taken from.
3. With --dry-run: "Dry run: nothing was imported." Otherwise the import's summary:
   "Imported 3 treatments and 3 receipts, with 1 new person; skipped line 4."

Exit codes: 0 when the dry run found no bad row, or the import was done; 1 when a dry run
found bad rows (nothing is imported by a dry run anyway). A problem with the whole file or
the mapping, or an import refused because of bad rows, raises ValidationError: the command
line prints its one sentence to standard error and exits 2, and nothing was imported.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..errors import ValidationError
from .mapping import Mapping, suggest_mapping
from .parse import read_table

if TYPE_CHECKING:
    from ..services import Imports

EXIT_OK, EXIT_BAD_ROWS = 0, 1


def load_mapping(map_path: Path) -> Mapping:
    try:
        text = Path(map_path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValidationError(f"There is no mapping file {map_path}.") from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError):
        raise ValidationError(f"{Path(map_path).name} cannot be read as a mapping file.") from None
    return Mapping.from_json(text)


def run_csv_import_cli(
    imports: Imports,
    path: Path,
    map_path: Path | None,
    dry_run: bool,
    out: TextIO,
    *,
    only_good_rows: bool = False,
    before_write: Callable[[], object] | None = None,
) -> int:
    """Check and (unless ``dry_run``) import a CSV file; returns the exit code.

    Without ``only_good_rows`` nothing is imported unless every row is good (the safe choice
    for a command line, where nobody is asked); with it the bad rows are skipped.
    """
    path = Path(path)
    if map_path is not None:
        mapping = load_mapping(map_path)
    else:
        table = read_table(path)
        mapping = suggest_mapping(table.headers, table.rows)
        print(
            "No --map given: using the mapping suggested from the column names. Save it to a "
            "file, edit it and pass it with --map to change it:",
            file=out,
        )
        out.write(mapping.to_json())
    report = imports.check_spreadsheet(path, mapping)
    for line in report.lines():
        print(line, file=out)
    if dry_run:
        print("Dry run: nothing was imported.", file=out)
        return EXIT_OK if report.all_good else EXIT_BAD_ROWS
    if before_write is not None and not report.problems and (report.all_good or only_good_rows):
        before_write()  # only for an import that will go ahead
    result = imports.spreadsheet(path, mapping, only_good_rows=only_good_rows)
    print(result.summary(), file=out)
    return EXIT_OK
