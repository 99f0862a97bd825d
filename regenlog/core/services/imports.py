"""Records coming in and going out as a service: a RegenLog records file (JSON) in either
direction, and a spreadsheet of treatments (CSV) checked row by row, then imported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..ports import Database
    from ..records_format import ImportReport
    from ..spreadsheet import DryRunReport, ImportResult, Mapping


class Imports:
    def __init__(self, db: Database):
        self.db = db

    def records_file(
        self, source: Path | dict[str, Any], base_dir: Path | None = None, *,
        dry_run: bool = False, before_write: Callable[[], object] | None = None,
    ) -> ImportReport:
        """Import a records file into an empty folder (see ``records_format.import_records``)."""
        from ..records_format import import_records

        return import_records(self.db, source, base_dir, dry_run=dry_run,
                              before_write=before_write)

    def check_spreadsheet(self, path: Path, mapping: Mapping) -> DryRunReport:
        """Every row of a CSV file checked against the mapping and the records; stores
        nothing (see ``spreadsheet.dry_run``)."""
        from ..spreadsheet import dry_run

        return dry_run(self.db, path, mapping)

    def spreadsheet(self, path: Path, mapping: Mapping, *, only_good_rows: bool) -> ImportResult:
        """Import a CSV file in one transaction (see ``spreadsheet.import_csv``)."""
        from ..spreadsheet import import_csv

        return import_csv(self.db, path, mapping, only_good_rows=only_good_rows)


class Exports:
    def __init__(self, db: Database):
        self.db = db

    def records_file(self, target: Path | None = None) -> dict[str, Any] | None:
        """Every record as a records file at ``target`` (its attachments beside it), or as
        a document with the attachments inline (see ``records_format.export_records``)."""
        from ..records_format import export_records

        return export_records(self.db, target)
