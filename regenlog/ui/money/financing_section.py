"""The payoff panel inside the financing plan's dialog: projected from the form as it is
typed (before it is saved, too) and from the payments recorded, so the patient sees the
payment needed and the back-interest at risk while entering the plan."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QGroupBox, QVBoxLayout

from ...core.errors import ValidationError
from ..forms.record_dialog import ShowsOnly
from .financing_panel import PayoffPanel


class PayoffSection(ShowsOnly, QObject):
    """A RecordDialog section (see forms/record_dialog.py: Section)."""

    changed = Signal()

    def __init__(self, details, formats, form, today, bus, payments_section=None):
        super().__init__()
        self.details, self.form, self.bus = details, form, bus
        self.widget = QGroupBox("Payoff")
        self.widget.setObjectName("payoffSection")
        self.panel = PayoffPanel(formats, today)
        layout = QVBoxLayout(self.widget)
        layout.addWidget(self.panel.view)
        self._record = None
        form.edited.connect(self.refresh)
        if payments_section is not None:
            payments_section.changed.connect(self._payments_changed)

    def refresh(self) -> None:
        try:
            values = self.form.values()
        except ValidationError:
            self.panel.show_message("Correct the plan's details above to see its payoff.")
            return
        payments = self.details.payments(self._record.id) if self._record is not None else []
        key = self._record.id if self._record is not None else "new"
        self.panel.show_plan(values, payments, key=key)

    def _payments_changed(self) -> None:
        self.refresh()
        # Payments are stored as they are added, before the dialog is saved: let the
        # Financing page and the dashboard catch up now.
        self.bus.notify("financing_plan")

    # -- Section protocol ------------------------------------------------------------------
    def load(self, record) -> None:
        self._record = record
        self.refresh()
