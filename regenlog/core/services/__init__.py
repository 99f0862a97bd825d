"""Services: everything the GUI and the command line do to records goes through here.

``Services(db)`` gives each face one object per concern over the open data folder: records,
their parts and documents; the check, money, reports, deadlines, search, imports and exports.
A face never needs the database itself. Each service loads what it runs on first use, so
building them costs nothing at start-up. The bundle, which is above the core, has its own
service over these (``bundle.service.Bundles``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .check import Check
from .deadlines import Deadlines
from .details import Details, ProcedureInput, ReceiptLineInput
from .documents import Documents
from .imports import Exports, Imports
from .money import Money, Reports
from .records import Records
from .search import Search

if TYPE_CHECKING:
    from ..ports import Database


class Services:
    """The services over one open data folder, handed to each window or command."""

    def __init__(self, db: Database):
        self.db = db
        self.records = Records(db)
        self.details = Details(db)
        self.documents = Documents(db)
        self.check = Check(db)
        self.money = Money(db)
        self.reports = Reports(db)
        self.deadlines = Deadlines(db)
        self.search = Search(db)
        self.imports = Imports(db)
        self.exports = Exports(db)

    def close(self) -> None:
        """Close the data folder's database (the services are not used after)."""
        self.db.close()


__all__ = [
    "Check",
    "Deadlines",
    "Details",
    "Documents",
    "Exports",
    "Imports",
    "Money",
    "ProcedureInput",
    "ReceiptLineInput",
    "Records",
    "Reports",
    "Search",
    "Services",
]
