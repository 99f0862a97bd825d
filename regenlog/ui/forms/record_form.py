"""A form for one record, built from its field specs: each field shows the sentence that
says what is wrong with it as the user types, and the form tells whether it can be saved."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from ...core import models as m
from ...core.errors import ValidationError
from ...core.record_kinds import RECORD_KINDS
from ...core.search import RecordLists
from ...core.validation import validate
from ..formats import Formats
from ..widgets import sentence_label
from .fields import FieldInput
from .specs import FORMS, FieldSpec


class RecordForm(QWidget):
    """Fields of one record type. ``values()`` gives the parsed values of the model's own
    fields; ``extras()`` the others (e.g. a letter's diagnosis codes)."""

    validityChanged = Signal(bool)  # noqa: N815 (Qt naming)
    edited = Signal()

    def __init__(
        self,
        record_type: str,
        lists: RecordLists,
        formats: Formats,
        *,
        specs: list[FieldSpec] | None = None,
        hidden: tuple[str, ...] = (),
        assumed: dict[str, Any] | None = None,
    ):
        super().__init__()
        self.record_type = record_type
        self.model: type[m.Record] = RECORD_KINDS[record_type].model
        self.lists = lists
        self.specs = [s for s in (specs or FORMS[record_type]) if s.name not in hidden]
        self.inputs: dict[str, FieldInput] = {}
        self.sentences: dict[str, QLabel] = {}
        self.form_sentence = sentence_label("formSentence")
        self._snapshot: dict[str, Any] = {}
        self._valid = False
        self._record: m.Record | None = None
        # Values the form does not show but the record will get on save (e.g. the person a
        # first treatment creates): assumed so validation as you type can pass.
        self.assumed = dict(assumed or {})

        layout = QFormLayout()
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for spec in self.specs:
            choices = lists.choices(spec.ref) if spec.kind == "ref" else None
            field_input = FieldInput(spec, self.model, formats, choices)
            field_input.changed.connect(self._on_changed)
            self.inputs[spec.name] = field_input
            cell = QWidget()
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(2)
            cell_layout.addWidget(field_input.widget)
            sentence = sentence_label(f"sentence_{spec.name}")
            sentence.setAccessibleName(f"Problem with {spec.label}")
            cell_layout.addWidget(sentence)
            if spec.help and spec.kind != "bool":
                hint = QLabel(spec.help)
                hint.setWordWrap(True)
                hint.setObjectName(f"help_{spec.name}")
                hint.setStyleSheet("color: palette(placeholder-text);")
                cell_layout.addWidget(hint)
            self.sentences[spec.name] = sentence
            label = "" if spec.kind == "bool" else spec.label + (" *" if spec.required else "")
            row_label = QLabel(label)
            row_label.setBuddy(field_input.widget)
            layout.addRow(row_label, cell)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(layout)
        outer.addWidget(self.form_sentence)

    # -- loading ---------------------------------------------------------------------------
    def load(self, record: m.Record | None = None, **values: Any) -> None:
        """Show ``record`` (or defaults for a new one) with ``values`` laid over it."""
        self._record = record
        for name, field_input in self.inputs.items():
            if name in values:
                value = values[name]
            elif record is not None:
                value = getattr(record, name, None)
            else:
                info = self.model.model_fields.get(name)
                value = None
                if info is not None and not info.is_required():
                    value = info.default_factory() if info.default_factory else info.default
            if field_input.spec.kind == "ref" and value is not None:
                field_input.set_choices(
                    self.lists.choices(field_input.spec.ref, include=value)
                )
            field_input.set_value(value)
        self.mark_saved()

    def mark_saved(self) -> None:
        """The current content becomes the baseline for ``is_dirty``."""
        self._snapshot = {name: f.raw() for name, f in self.inputs.items()}
        self._on_changed(silent=True)

    def set_field(self, name: str, value: Any) -> None:
        self.inputs[name].set_value(value)

    def focus_field(self, name: str) -> None:
        if name in self.inputs:
            self.inputs[name].widget.setFocus()

    # -- state -----------------------------------------------------------------------------
    @property
    def record(self) -> m.Record | None:
        return self._record

    def set_record(self, record: m.Record) -> None:
        """The stored record this form now edits (after it was first saved)."""
        self._record = record

    def is_dirty(self) -> bool:
        return any(f.raw() != self._snapshot.get(n) for n, f in self.inputs.items())

    def is_valid(self) -> bool:
        return self._valid

    def sentence_for(self, name: str) -> str:
        label = self.sentences.get(name)
        return label.text() if label is not None and not label.isHidden() else ""

    def values(self) -> dict[str, Any]:
        """Parsed values of the model's own fields; raises ValidationError (with .field)."""
        out = {}
        for name, field_input in self.inputs.items():
            if name not in self.model.model_fields:
                continue
            try:
                out[name] = field_input.value()
            except ValidationError as error:
                raise ValidationError(str(error), name) from None
        return out

    def extras(self) -> dict[str, Any]:
        return {
            n: f.value() for n, f in self.inputs.items() if n not in self.model.model_fields
        }

    def show_error(self, error: ValidationError) -> None:
        """Put a sentence from the service beside its field (or under the form)."""
        self._clear_sentences()
        label = self.sentences.get(error.field or "")
        target = label if label is not None else self.form_sentence
        target.setText(str(error))
        target.show()

    # -- validation as you type ------------------------------------------------------------
    def _clear_sentences(self) -> None:
        for label in (*self.sentences.values(), self.form_sentence):
            label.hide()
            label.setText("")

    def _on_changed(self, *_args, silent: bool = False) -> None:
        self._clear_sentences()
        errors: dict[str, str] = {}
        parsed: dict[str, Any] = {}
        for name, field_input in self.inputs.items():
            try:
                parsed[name] = field_input.value()
            except ValidationError as error:
                errors[name] = str(error)
        if not errors:
            own = {k: v for k, v in parsed.items() if k in self.model.model_fields}
            try:
                complete = self._complete(own)
                validate(self.model, complete)
            except ValidationError as error:
                errors[error.field if error.field in self.sentences else ""] = str(error)
        # A new, untouched form does not greet the user with a list of what is missing.
        shown = errors if (self._record is not None or self.is_dirty()) else {}
        for name, sentence in shown.items():
            label = self.sentences.get(name, self.form_sentence)
            label.setText(sentence)
            label.show()
        valid = not errors
        if valid != self._valid or silent:
            self._valid = valid
            self.validityChanged.emit(valid)
        if not silent:
            self.edited.emit()

    def _complete(self, own: dict[str, Any]) -> dict[str, Any]:
        """All the model's fields: the stored record's (or defaults) overlaid with the form's."""
        from ...core.services.records import READ_ONLY

        full = {}
        for name, info in self.model.model_fields.items():
            if name in READ_ONLY:
                continue
            if self._record is not None:
                full[name] = getattr(self._record, name)
            elif info.default_factory is not None:
                full[name] = info.default_factory()
            else:
                full[name] = None if info.is_required() else info.default
        full.update(self.assumed)
        full.update(own)
        return full
