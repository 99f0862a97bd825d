"""The reimbursement bundle: one ZIP an insurer, an HSA/FSA administrator or an appeal
reviewer can read (cover letter and itemized statement PDFs, the documents, index.csv,
manifest.json and a FHIR R4 Bundle).

    export_bundle(db, selection, destination, target, *, password=None, today=None,
                  progress=None, cancelled=None) -> BundleReport
    preflight(db, selection, destination, today) -> list[Gap]
    run_bundle_command(services, destination=..., output=..., ...) -> int  (``regenlog bundle``)
    Bundles(services): preflight, export, known_words (``bundle.service``, for the faces)

Importing this package loads neither Qt nor the ZIP code; they load on first export.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .select import BundleSelection
from .writer import BundleCancelled, BundleError, BundleReport, export_bundle, preflight

if TYPE_CHECKING:
    from ..core.services import Services


def ensure_qt_app():
    """Create the QGuiApplication the PDFs need, if none exists (see ``pdf.ensure_qt_app``)."""
    from .pdf import ensure_qt_app as ensure

    return ensure()


def run_bundle_command(services: Services, **kwargs) -> int:
    from .command import run_bundle_command as run

    return run(services, **kwargs)


__all__ = [
    "BundleCancelled",
    "BundleError",
    "BundleReport",
    "BundleSelection",
    "ensure_qt_app",
    "export_bundle",
    "preflight",
    "run_bundle_command",
]
