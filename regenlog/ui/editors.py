"""Opens records for editing: treatments on their own page, everything else in a dialog with
the sections that record type needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from ..core import models as m
from ..core.record_kinds import RECORD_KINDS
from ..core.search import RecordLists
from .bus import ChangeBus
from .formats import Formats
from .forms.record_dialog import RecordDialog
from .forms.record_form import RecordForm


class RecordEditors(QObject):
    """The Opener every page is given: ``open_record`` and ``new_record``."""

    dialogOpened = Signal(object)  # noqa: N815 (the RecordDialog; tests drive it)

    def __init__(
        self,
        services,
        lists: RecordLists,
        formats: Formats,
        bus: ChangeBus,
        parent_widget,
        open_treatment: Callable[[int | None, dict], None],
        today: Callable[[], dt.date] = dt.date.today,
        documents=None,
    ):
        super().__init__(parent_widget)
        self.services = services
        self.lists = lists
        self.formats = formats
        self.bus = bus
        self.parent_widget = parent_widget
        self.open_treatment = open_treatment
        self.today = today
        self.documents = documents  # DocumentActions, set once the documents UI is built
        self.current: RecordDialog | None = None

    def open_record(self, record_type: str, record_id: int) -> RecordDialog | None:
        if record_type == "treatment":
            self.open_treatment(record_id, {})
            return None
        model = RECORD_KINDS[record_type].model
        record = self.services.records.get(model, record_id)
        return self._dialog(record_type, record, {})

    def new_record(self, record_type: str, **prefill: Any) -> RecordDialog | None:
        if record_type == "treatment":
            self.open_treatment(None, prefill)
            return None
        return self._dialog(record_type, None, self._defaults(record_type, prefill))

    # -- building --------------------------------------------------------------------------
    def _defaults(self, record_type: str, prefill: dict[str, Any]) -> dict[str, Any]:
        """Sensible starting values: today's date, the only person, the treatment's people."""
        from .forms.specs import FORMS

        values = dict(prefill)
        today = self.today()
        for spec in FORMS.get(record_type, []):
            if spec.kind == "date" and spec.required and spec.name not in values:
                values[spec.name] = today
        treatment_id = values.get("treatment_id")
        if treatment_id:
            treatment = self.services.records.get(m.Treatment, treatment_id)
            model = RECORD_KINDS[record_type].model
            for name in ("person_id", "provider_id", "plan_id"):
                if name in model.model_fields and name not in values:
                    values[name] = getattr(treatment, name)
        model = RECORD_KINDS[record_type].model
        if "person_id" in model.model_fields and "person_id" not in values:
            people = self.lists.choices("person", limit=2)
            if len(people) == 1:
                values["person_id"] = people[0][0]
        if record_type == "insurer_call":
            from .forms.call_section import call_defaults

            values = call_defaults(values, now=dt.datetime.now())
        return values

    def _dialog(self, record_type: str, record, prefill: dict[str, Any]) -> RecordDialog:
        form = RecordForm(record_type, self.lists, self.formats)
        sections = self._sections(record_type, form, prefill)
        if record_type == "medical_necessity_letter" and record is not None:
            prefill = {**prefill, "codes": self.services.details.letter_diagnoses(record.id)}
        dialog_class = RecordDialog
        if record_type == "claim":
            from .money.claim_form import ClaimDialog

            dialog_class = ClaimDialog
        dialog = dialog_class(
            form, self.services, record=record, prefill=prefill, sections=sections,
            parent=self.parent_widget,
        )
        if record_type == "insurer_call":
            from .forms.call_section import add_call_buttons

            add_call_buttons(dialog, self)
        elif record_type == "determination":
            from .forms.appeal_section import add_appeal_button

            add_appeal_button(dialog, self)
        dialog.saved.connect(lambda kind, _id: self.bus.notify(kind))
        dialog.deleted.connect(lambda kind, _id: self.bus.notify(kind))
        dialog.finished.connect(dialog.deleteLater)
        self.current = dialog
        dialog.open()
        self.dialogOpened.emit(dialog)
        return dialog

    def _sections(self, record_type: str, form: RecordForm, prefill: dict[str, Any]) -> list:
        sections = []
        if record_type == "receipt":
            from .forms.receipt_lines import ReceiptLinesSection

            sections.append(ReceiptLinesSection(self.services.details, self.formats, form))
        elif record_type == "medical_necessity_letter":
            from .forms.letter_coverage import LetterCoverageSection

            sections.append(LetterCoverageSection(
                self.services.details, self.lists, form, prefill.get("treatment_id")
            ))
        elif record_type == "insurer_call":
            from .forms.call_section import OutcomeNoteSection

            sections.append(OutcomeNoteSection(form))
        elif record_type == "financing_plan":
            from .forms.payments import PaymentsSection
            from .money.financing_section import PayoffSection

            payments = PaymentsSection(self.services.details, self.formats, form, self.today)
            payments.summary.hide()  # the payoff section says it, with figures and a chart
            sections.append(payments)
            sections.append(PayoffSection(self.services.details, self.formats, form, self.today,
                                          self.bus, payments))
        elif record_type == "claim":
            from .money.claim_form import ClaimMoneySection

            sections.append(ClaimMoneySection(self.services, self.formats, form))
        if self.documents is not None and record_type != "document":
            sections.append(self.documents.section(record_type, prefill.pop("_files", ())))
        return sections
