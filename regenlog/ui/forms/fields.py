"""One input widget per field kind, each able to turn what was typed into a value or into
the one sentence that says what is wrong."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from ...core import enums
from ...core import models as m
from ...core.dates import local_time, parse_date
from ...core.errors import ValidationError
from ...core.money import format_money, format_percent_bp, parse_money, parse_percent_bp
from ..formats import Formats
from .specs import FieldSpec

_TIME = re.compile(r"^(\d{1,2}):(\d{2})\s*([AaPp][Mm])?$")


def parse_datetime(text: str) -> dt.datetime:
    """"03/02/2026 14:05", "2026-03-02 2:05 pm" or just a date (noon is not assumed: 00:00)."""
    raw = (text or "").strip()
    parts = raw.split(maxsplit=1)
    day = parse_date(parts[0]) if parts else parse_date("")
    if len(parts) == 1:
        return dt.datetime.combine(day, dt.time())
    match = _TIME.match(parts[1].strip())
    if not match:
        raise ValidationError(f'"{parts[1]}" is not a time; write it like 14:05 or 2:05 pm.')
    hour, minute = int(match.group(1)), int(match.group(2))
    if match.group(3):
        if not 1 <= hour <= 12:
            raise ValidationError(f'"{parts[1]}" is not a time; the hour goes from 1 to 12.')
        hour = hour % 12 + (12 if match.group(3).lower() == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ValidationError(f'"{parts[1]}" is not a time of day.')
    return dt.datetime.combine(day, dt.time(hour, minute))


def enum_type(model: type[m.Record], name: str):
    annotation = model.model_fields[name].annotation
    args = [a for a in getattr(annotation, "__args__", ()) if a is not type(None)]
    base = args[0] if args else annotation
    return base if isinstance(base, type) and issubclass(base, enums.Labelled) else None


class FieldInput(QObject):
    """A field's widget plus ``value()`` (raises ValidationError) and ``set_value()``."""

    changed = Signal()

    def __init__(self, spec: FieldSpec, model: type[m.Record], formats: Formats, choices=None):
        super().__init__()
        self.spec = spec
        self.model = model
        self.formats = formats
        self.widget = self._build(choices or [])
        self.widget.setAccessibleName(spec.label)
        if spec.help:
            self.widget.setToolTip(spec.help)

    # -- building --------------------------------------------------------------------------
    def _build(self, choices) -> QWidget:
        kind = self.spec.kind
        if kind == "multiline":
            widget = QPlainTextEdit()
            widget.setTabChangesFocus(True)
            lines = self.spec.options.get("lines", 3)
            widget.setFixedHeight(widget.fontMetrics().lineSpacing() * lines + 14)
            widget.textChanged.connect(self.changed)
            return widget
        if kind == "bool":
            widget = QCheckBox(self.spec.label)
            widget.toggled.connect(self.changed)
            return widget
        if kind in ("enum", "ref"):
            widget = QComboBox()
            widget.setMaxVisibleItems(20)
            # A long choice (a plan's full name) must not widen the whole form past its pane:
            # the box shrinks to a dozen characters if it must, the list opens full width.
            widget.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            widget.setMinimumContentsLength(12)
            if kind == "enum":
                for member in enum_type(self.model, self.spec.name):
                    widget.addItem(member.label, member.value)
            else:
                self.set_choices(choices, widget)
            widget.currentIndexChanged.connect(self.changed)
            return widget
        widget = QLineEdit()
        widget.setPlaceholderText(self.spec.placeholder or _placeholder(kind))
        widget.textChanged.connect(self.changed)
        return widget

    def set_choices(self, choices: list[tuple[int, str]], widget: QComboBox | None = None) -> None:
        widget = widget or self.widget
        current = widget.currentData() if widget.count() else None
        blocked = widget.blockSignals(True)
        widget.clear()
        widget.addItem("—", None)
        for record_id, label in choices:
            widget.addItem(label, record_id)
        index = widget.findData(current) if current is not None else 0
        widget.setCurrentIndex(max(index, 0))
        widget.blockSignals(blocked)

    # -- reading and writing ---------------------------------------------------------------
    def raw(self) -> Any:
        """What the widget holds, unparsed (compared to tell whether the form changed)."""
        w = self.widget
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QComboBox):
            return w.currentData()
        return w.text()

    def value(self) -> Any:
        kind, raw = self.spec.kind, self.raw()
        if kind in ("multiline", "bool", "enum", "ref"):
            return raw
        text = raw.strip()
        if kind == "text":
            return text
        if not text:
            if kind in ("money", "int") and not self.spec.optional_amount:
                return 0
            if kind == "percent":
                return 0
            if kind in ("npi", "tax_id", "place_of_service", "codes"):
                return "" if kind != "codes" else []
            return None
        if kind == "date":
            return parse_date(text)
        if kind == "datetime":
            # Typed in local time, stored in UTC like every timestamp in the database.
            return parse_datetime(text).astimezone(dt.UTC)
        if kind == "money":
            return parse_money(text)
        if kind == "percent":
            return parse_percent_bp(text)
        if kind == "int":
            if not re.fullmatch(r"\d{1,6}", text.replace(",", "")):
                raise ValidationError(f'"{text}" is not a whole number; write it with digits.')
            return int(text.replace(",", ""))
        if kind == "npi":
            from ...core.codes import check_npi

            return check_npi(text)
        if kind == "tax_id":
            from ...core.codes import check_tax_id

            return check_tax_id(text)
        if kind == "place_of_service":
            return text
        if kind == "codes":
            return _check_codes(text)
        return text

    def set_value(self, value: Any) -> None:
        w, kind = self.widget, self.spec.kind
        if isinstance(w, QPlainTextEdit):
            w.setPlainText(value or "")
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QComboBox):
            data = getattr(value, "value", value)
            index = w.findData(data)
            if index < 0 and kind == "ref" and value is not None:
                w.addItem(f"Number {value}", value)
                index = w.count() - 1
            w.setCurrentIndex(max(index, 0))
        else:
            w.setText(self._text_of(value))
            w.setCursorPosition(0)  # a long text shows its beginning, not its last words

    def _text_of(self, value: Any) -> str:
        kind = self.spec.kind
        if value is None:
            return ""
        if kind == "money":
            return format_money(value, symbol=False) if value else ""
        if kind == "percent":
            return format_percent_bp(value) if value else ""
        if kind == "date":
            return value.isoformat() if self.formats.date_style == "iso" else f"{value:%m/%d/%Y}"
        if kind == "datetime":
            value = local_time(value)  # the one conversion, core.dates
            day = value.date().isoformat() if self.formats.date_style == "iso" else f"{value:%m/%d/%Y}"
            return f"{day} {value:%H:%M}"
        if kind == "codes":
            return ", ".join(value)
        if kind == "int":
            return str(value) if value or not self.spec.optional_amount else "0"
        return str(value)


def _placeholder(kind: str) -> str:
    return {
        "date": "MM/DD/YYYY",
        "datetime": "MM/DD/YYYY HH:MM",
        "money": "0.00",
        "percent": "e.g. 26.99%",
        "npi": "10 digits",
    }.get(kind, "")


def _check_codes(text: str) -> list[str]:
    from ...core.codes import check_icd10, normalize_icd10

    out = []
    for part in re.split(r"[,;\s]+", text):
        if not part:
            continue
        code = normalize_icd10(part)
        check = check_icd10(code)
        if check.severity == "error":
            raise ValidationError(check.message)
        out.append(code)
    return out
