"""CSV import of treatments and receipts: map the columns, dry-run every row, import in one
transaction. See docs/spreadsheet-import.md."""

from .command import run_csv_import_cli
from .importer import DryRunReport, ImportResult, dry_run, import_csv
from .mapping import FIELDS, MAPPING_FORMAT, MAPPING_VERSION, Mapping, suggest_mapping
from .parse import (
    parse_category,
    parse_cell_date,
    parse_cell_money,
    parse_payment_method,
    parse_side,
    read_table,
)
from .rows import BadRow, GoodRow

__all__ = [
    "FIELDS",
    "MAPPING_FORMAT",
    "MAPPING_VERSION",
    "BadRow",
    "DryRunReport",
    "GoodRow",
    "ImportResult",
    "Mapping",
    "dry_run",
    "import_csv",
    "parse_category",
    "parse_cell_date",
    "parse_cell_money",
    "parse_payment_method",
    "parse_side",
    "read_table",
    "run_csv_import_cli",
    "suggest_mapping",
]
