"""Services: everything the GUI and the command line do to records goes through here."""

from .details import Details, ProcedureInput, ReceiptLineInput
from .documents import Documents
from .records import Records


class Services:
    """The services over one open data folder, handed to each window or command."""

    def __init__(self, db):
        self.db = db
        self.records = Records(db)
        self.details = Details(db)
        self.documents = Documents(db)


__all__ = ["Details", "Documents", "ProcedureInput", "ReceiptLineInput", "Records", "Services"]
