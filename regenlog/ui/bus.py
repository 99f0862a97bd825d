"""Tells open pages that records changed, so each refreshes what it shows."""

from PySide6.QtCore import QObject, Signal


class ChangeBus(QObject):
    # The record type that changed ("treatment", "document"...), or "*" for everything.
    changed = Signal(str)

    def notify(self, record_type: str = "*") -> None:
        self.changed.emit(record_type)
