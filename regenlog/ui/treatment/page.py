"""The treatment page: its details form, diagnosis codes, procedure lines, linked records and
documents on the left; its documentation checklist on the right, updated after every change."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core import models as m
from ...core.enums import ClaimDestination, DeterminationKind
from ...core.errors import RegenLogError, ValidationError
from ...core.record_kinds import describe
from ..documents.panel import DocumentsPanel, choose_files
from ..forms.record_dialog import confirm_discard
from ..forms.record_form import RecordForm
from ..widgets import confirm_trash, heading, sentence_label
from .checklist_view import ChecklistView
from .diagnoses import DiagnosisEditor
from .linked import LinkedRecords
from .procedures import ProcedureEditor

# The button on a checklist row, by rule id.
FIX_LABELS = {
    "receipt.missing": "Add the receipt",
    "receipt.not_itemized": "Itemize the receipt",
    "payment.no_proof": "Attach proof of payment",
    "dx.missing": "Add a diagnosis code",
    "dx.invalid": "Fix the code",
    "px.missing": "Add a procedure line",
    "px.invalid": "Fix the line",
    "provider.incomplete": "Complete the provider",
    "lmn.missing": "Add a letter",
    "lmn.expired": "Add a renewed letter",
    "call.incomplete": "Complete the call",
    "call.unconfirmed": "Draft the confirmation request",
    "call.not_a_guarantee": "Open the call",
    "preauth.missing": "Add the pre-authorization",
    "iv.no_lab": "Add the lab result",
    "imaging.no_indication": "Enter the indication",
    "claim.filing_deadline": "Log the claim",
    "appeal.deadline": "Open the denial",
    "hsa.before_opened": "Open the record",
    "fsa.deadline": "Log the FSA claim",
    "financing.promo_ending": "Open the financing plan",
    "gfe.overage": "Open the estimate",
}


class TreatmentPageView(QWidget):
    """Layout only: the parts are built by their own classes and placed here."""

    def __init__(self, form, person_name, diagnoses, procedures, linked, documents, checklist):
        super().__init__()
        self.back_button = QPushButton("← Back")
        self.back_button.setAccessibleName("Back to the previous page")
        self.title = heading("New treatment")
        self.title.setWordWrap(True)  # a long site and side take a second line, not a cut
        self.save_button = QPushButton("Save")
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.save_button.setAccessibleName("Save the treatment")
        self.delete_button = QPushButton("Move to trash")
        self.delete_button.setAccessibleName("Move this treatment to the trash")
        self.bundle_button = QPushButton("Export bundle…")
        self.bundle_button.setToolTip("Export a reimbursement bundle for this treatment (Ctrl+E)")
        self.error = sentence_label("treatmentSaveError")
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.title, 1)
        top.addWidget(self.bundle_button)
        top.addWidget(self.delete_button)
        top.addWidget(self.save_button)

        details = QWidget()
        details_layout = QVBoxLayout(details)
        if person_name is not None:
            first = QFormLayout()
            first.addRow("Patient's name *", person_name)
            details_layout.addLayout(first)
        details_layout.addWidget(form)
        details_layout.addWidget(self.error)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        for part in (details, diagnoses, procedures, linked, documents):
            left_layout.addWidget(part)
        left_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(left)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(checklist)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([640, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)


class TreatmentPageController(QObject):
    def __init__(self, session, formats, editors, documents, treatment_id, prefill):
        super().__init__()
        self.session, self.formats, self.editors = session, formats, editors
        self.services = session.services
        records = self.services.records
        self.record = records.get(m.Treatment, treatment_id) if treatment_id else None
        has_people = bool(session.lists.choices("person", limit=1))
        self.person_name = None if has_people or self.record else QLineEdit()
        hidden, assumed = (), {}
        if self.person_name is not None:
            # A first treatment also creates its patient: ask for a name instead of a choice.
            self.person_name.setAccessibleName("Patient's name")
            self.person_name.setPlaceholderText("Your name, as on your insurance card")
            hidden, assumed = ("person_id",), {"person_id": 0}
        self.form = RecordForm("treatment", session.lists, formats, hidden=hidden,
                               assumed=assumed)
        self.diagnoses = DiagnosisEditor(self.services.details)
        self.procedures = ProcedureEditor(self.services.details, formats)
        self.linked = LinkedRecords(session.lists, editors, self.prefill_for)
        self.documents = DocumentsPanel(documents, "treatment", "Documents of this treatment")
        self.checklist = ChecklistView()
        self.on_back = lambda: None  # the page set points this at its Back
        self.view = TreatmentPageView(
            self.form, self.person_name, self.diagnoses.widget, self.procedures.widget,
            self.linked.widget, self.documents.widget, self.checklist,
        )
        self.view.setObjectName("treatmentPage")
        v = self.view
        v.save_button.clicked.connect(self.save)
        v.delete_button.clicked.connect(self.delete_selected)
        v.back_button.clicked.connect(self._back)
        v.bundle_button.clicked.connect(self.export_bundle)
        self.form.validityChanged.connect(self._update_state)
        self.form.edited.connect(self._update_state)
        if self.person_name is not None:
            self.person_name.textChanged.connect(self._update_state)
        self.diagnoses.changed.connect(self._stored_part_changed)
        self.diagnoses.changed.connect(self.procedures.diagnoses_changed)
        self.procedures.changed.connect(self._stored_part_changed)
        self.checklist.fixRequested.connect(self.fix)
        session.bus.changed.connect(self._on_changed)
        self._listening = True

        defaults = dict(prefill)
        if self.record is None:
            defaults.setdefault("paid_by_patient", True)
        self.form.load(self.record, **defaults)
        self._show_record()

    # -- state -----------------------------------------------------------------------------
    def _show_record(self) -> None:
        tid = self.record.id if self.record else None
        day = self.record.date_of_service if self.record else None
        self.diagnoses.set_treatment(tid, day)
        self.procedures.set_treatment(tid)
        self.linked.set_treatment(tid)
        self.documents.set_record(tid)
        if self.record is not None:
            title, _ = describe(self.record)
            self.view.title.setText(f"{self.formats.date(self.record.date_of_service)} {title}")
        self.refresh_checklist()
        self._update_state()

    def _update_state(self, *_args) -> None:
        valid = self.form.is_valid() and (
            self.person_name is None or bool(self.person_name.text().strip())
        )
        self.view.save_button.setEnabled(valid and (self.record is None or self.is_dirty()))
        self.view.delete_button.setVisible(self.record is not None)
        self.view.bundle_button.setVisible(self.record is not None)

    def is_dirty(self) -> bool:
        return self.form.is_dirty() or bool(self.person_name and self.person_name.text().strip())

    def refresh_checklist(self) -> None:
        if self.record is None:
            self.checklist.summary.setText("Save the treatment to see what paperwork it needs.")
            self.checklist.show_items([], self.fix_label)
            return
        from ...core.checklist import treatment_checklist

        items = treatment_checklist(self.services.db, self.record.id, today=self.session.today())
        self.checklist.show_items(items, self.fix_label)

    @staticmethod
    def fix_label(rule_id: str, gap) -> str | None:
        return FIX_LABELS.get(rule_id)

    # -- page protocol ---------------------------------------------------------------------
    def save(self) -> bool:
        if not self.view.save_button.isEnabled():
            return False
        records = self.services.records
        self.view.error.hide()
        try:
            values = self.form.values()
            if self.person_name is not None:
                person = records.create(m.Person, name=self.person_name.text())
                values["person_id"] = person.id
            if self.record is None:
                self.record = records.create(m.Treatment, **values)
            else:
                changed = {k: v for k, v in values.items() if getattr(self.record, k) != v}
                self.record = records.update(m.Treatment, self.record.id, **changed)
        except ValidationError as error:
            if error.field:
                self.form.show_error(error)
            else:
                self._say(str(error))
            return False
        except RegenLogError as error:
            self._say(str(error))
            return False
        if self.person_name is not None:
            self.person_name.setEnabled(False)
            self.person_name = None
            self.form.assumed = {}
        self.form.load(self.record)
        self._show_record()
        self.session.bus.notify("treatment")
        return True

    def can_leave(self) -> bool:
        return not self.is_dirty() or confirm_discard(self.view, "treatment")

    def delete_selected(self) -> None:
        if self.record is None:
            return
        title, _ = describe(self.record)
        if not confirm_trash(self.view, f"the treatment “{title}”"):
            return
        try:
            self.services.records.delete(m.Treatment, self.record.id)
        except RegenLogError as error:
            self._say(str(error))
            return
        self.form.load(self.record)  # nothing unsaved is left to guard
        self.record = None
        self.session.bus.notify("treatment")
        self._back()

    def new(self) -> None:
        self.editors.new_record("treatment")

    def export_bundle(self) -> None:
        # File > Export reimbursement bundle… opens the wizard on the treatment shown here.
        action = getattr(self.view.window(), "bundle_action", None)
        if action is not None:
            action.trigger()

    def attach(self) -> None:
        self.drop_files(choose_files(self.view))

    def drop_files(self, files) -> None:
        if self.record is None:
            self._say("Save the treatment first, then attach its documents.")
            return
        self.documents.add_files(files)

    def focus_filter(self) -> None:
        self.diagnoses.focus()

    # -- fixing gaps -----------------------------------------------------------------------
    def prefill_for(self, record_type: str) -> dict:
        t = self.record
        prefill = {"treatment_id": t.id}
        if record_type == "receipt":
            prefill["paid_on"] = t.date_of_service
        if record_type == "medical_necessity_letter":
            prefill["codes"] = [d.code for d in self.services.details.diagnoses(t.id)]
            prefill["written_on"] = t.date_of_service
        if record_type == "claim":
            prefill["destination"] = ClaimDestination.insurer
        return prefill

    def fix(self, item, gap) -> None:
        rule = item.rule.id
        editors = self.editors
        target = (gap.record_type, gap.record_id) if gap is not None else (None, None)
        if rule in ("dx.missing", "dx.invalid"):
            self.diagnoses.focus()
        elif rule in ("px.missing", "px.invalid"):
            self.procedures.focus()
        elif rule == "imaging.no_indication":
            self.form.focus_field("indication")
        elif rule == "receipt.missing":
            editors.new_record("receipt", **self.prefill_for("receipt"))
        elif rule in ("lmn.missing", "lmn.expired"):
            editors.new_record("medical_necessity_letter", **self.prefill_for(
                "medical_necessity_letter"))
        elif rule == "preauth.missing":
            editors.new_record("determination", **self.prefill_for("determination"),
                               kind=DeterminationKind.preauthorization)
        elif rule == "iv.no_lab":
            editors.new_record("lab_result", **self.prefill_for("lab_result"))
        elif rule in ("claim.filing_deadline", "fsa.deadline"):
            prefill = self.prefill_for("claim")
            if rule == "fsa.deadline":
                prefill["destination"] = ClaimDestination.fsa
            editors.new_record("claim", **prefill)
        elif rule == "payment.no_proof" and target[0] == "receipt":
            files = choose_files(self.view)
            if files:
                editors.documents.attach(files, [target])
        elif rule == "call.unconfirmed" and target[0] == "insurer_call":
            from ..letter_draft import LetterDraftDialog

            LetterDraftDialog.open_for_call(editors, target[1])
        elif rule == "provider.incomplete" and target[0] != "provider":
            self.form.focus_field("provider_id")
        elif target[0] == "treatment" and target[1] == getattr(self.record, "id", None):
            self.form.focus_field("notes")
        elif target[0] is not None:
            editors.open_record(*target)

    def dispose(self) -> None:
        """Stop listening to the change bus: the page is being replaced or closed, and its
        widgets are about to be deleted (a late handler would touch deleted widgets)."""
        if self._listening:
            self._listening = False
            with contextlib.suppress(RuntimeError, TypeError):
                self.session.bus.changed.disconnect(self._on_changed)
        self.documents.detach()

    # -- helpers ---------------------------------------------------------------------------
    def _stored_part_changed(self) -> None:
        self.session.bus.notify("treatment")

    def _on_changed(self, kind: str) -> None:
        if self.record is None:
            return
        try:
            self.record = self.services.records.get(m.Treatment, self.record.id)
        except RegenLogError:
            return  # moved to the trash meanwhile
        if not self.form.is_dirty():
            self.form.load(self.record)
        self.linked.reload()
        self.documents.reload()
        self.refresh_checklist()

    def _say(self, text: str) -> None:
        self.view.error.setText(text)
        self.view.error.setVisible(bool(text))

    def _back(self) -> None:
        self.on_back()
