"""The demo household: loaded only into an empty data folder, never mixed with real records."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..resources import resource
from .errors import RegenLogError
from .record_kinds import RECORD_KINDS

if TYPE_CHECKING:
    from .services import Services


@dataclass
class DemoReport:
    folder: Path
    summary: str


def is_empty(services: Services) -> bool:
    return all(
        services.records.count(model, include_deleted=True) == 0
        for model in (kind.model for kind in RECORD_KINDS.values())
    )


def load_demo(services: Services) -> DemoReport:
    """Import the demo records into the open, empty data folder behind ``services``."""
    from .records_format import import_records

    folder = services.db.paths.root
    if not is_empty(services):
        raise RegenLogError(
            f"{folder} already holds records; the demo only goes into an empty data folder "
            "(use --data-dir with a new folder)."
        )
    report = import_records(services.db, resource("demo", "demo.json"))
    return DemoReport(folder, report.summary())
