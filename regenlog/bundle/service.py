"""The bundle as a service, for the window and the command line alike.

The bundle sits above the core (it reads records through the core's services and writes
PDFs with Qt's painter), so its service cannot be one of ``core.services.Services``: a face
builds it over the services it already has, ``Bundles(services)``, on first use, which also
keeps the PDF and ZIP code out of the start-up.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..core.checklist import Gap
    from ..core.services import Services
    from .select import BundleSelection
    from .writer import BundleReport, Cancelled, Progress


class Bundles:
    def __init__(self, services: Services):
        self.services = services

    def preflight(
        self, selection: BundleSelection, destination: str, today: dt.date
    ) -> list[Gap]:
        """The gaps that remain for this bundle (see ``writer.preflight``)."""
        from .writer import preflight

        return preflight(self.services.db, selection, destination, today)

    def export(
        self, selection: BundleSelection, destination: str, target: Path, *,
        password: str | None = None, today: dt.date | None = None,
        progress: Progress | None = None, cancelled: Cancelled | None = None,
    ) -> BundleReport:
        """Write the bundle ZIP (see ``writer.export_bundle``)."""
        from .writer import export_bundle

        return export_bundle(self.services.db, selection, destination, target,
                             password=password, today=today, progress=progress,
                             cancelled=cancelled)

    def known_words(self) -> tuple[str, ...]:
        """What an attacker of the household's bundle may know: names and birth dates (a
        password made of them is refused)."""
        from .writer import known_words

        return known_words(self.services.db)
