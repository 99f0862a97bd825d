"""The RegenLog records format: every record as one versioned JSON document.

It is the export and import format, the demo data and the test fixture format; the user's
description is ``docs/data-format.md`` and the contract is ``schema.json`` (JSON Schema
draft 2020-12) in this package.

    export_records(services_or_db, target)  -> dict | None
    import_records(db, source, base_dir)    -> ImportReport
"""

from .export import ExportError, build_document, dumps, export_records
from .importer import ImportReport, check_header, import_records, read_document
from .layout import FORMAT_NAME, FORMAT_VERSION, SECTIONS
from .schema import check_document, load_schema

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "SECTIONS",
    "ExportError",
    "ImportReport",
    "build_document",
    "check_document",
    "check_header",
    "dumps",
    "export_records",
    "import_records",
    "load_schema",
    "read_document",
]
