"""The treatment's documentation checklist: each rule that applies, done, missing or still to
do, the sentence that says why, and a button that performs the fix. The paperwork comes
first; the patient's own money and deadlines (filing and appeal windows, a promotion, an
estimate) follow under their own heading. "Done" only when what the line names exists and
holds."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..icons import icon
from ..widgets import heading

SEVERITY_ICON = {"error": "missing", "warning": "warning", "info": "info"}
OWN_MONEY = "Your own money and deadlines"


class ChecklistRow(QFrame):
    def __init__(self, item, fix_label: str | None):
        super().__init__()
        self.item = item
        self.rule_id = item.rule.id
        self.setObjectName(f"check_{item.rule.id.replace('.', '_')}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        state = "done" if item.done else ("to do" if item.note and not item.gaps else "missing")
        self.setProperty("state", state)
        mark = QLabel()
        if item.done:
            name = "done"
        elif item.gaps:
            name = SEVERITY_ICON.get(item.gaps[0].severity, "missing")
        else:
            name = "info" if item.note else SEVERITY_ICON.get(item.rule.severity, "missing")
        mark.setPixmap(icon(name).pixmap(20, 20))
        mark.setAccessibleName({"done": "Done", "to do": "Still to do"}.get(state, "Missing"))
        title = QLabel(f"<b>{item.rule.title}</b>")
        title.setWordWrap(True)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(title)
        if item.done:
            status = QLabel("Done.")
            status.setStyleSheet("color: #2e7d4f;")
            text.addWidget(status)
        else:
            # The gap's own sentence says why for this record; the rule's general reason is
            # shown when there is no gap sentence, and as the tooltip otherwise.
            for gap in item.gaps or []:
                message = QLabel(gap.message)
                message.setWordWrap(True)
                text.addWidget(message)
            if not item.gaps:
                why = QLabel(item.note or item.rule.why)
                why.setWordWrap(True)
                text.addWidget(why)
            self.setToolTip(item.rule.why)
        self.fix_button = None
        row = QHBoxLayout(self)
        row.addWidget(mark, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        if not item.done and fix_label:
            self.fix_button = QPushButton(fix_label)
            self.fix_button.setObjectName(f"fix_{item.rule.id.replace('.', '_')}")
            self.fix_button.setAccessibleName(f"{fix_label} ({item.rule.title})")
            self.fix_button.setToolTip(item.gaps[0].fix if item.gaps else item.rule.fix)
            text.addWidget(self.fix_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.accessible = f"{item.rule.title}: {state}"
        self.setAccessibleName(self.accessible)


class ChecklistView(QWidget):
    fixRequested = Signal(object, object)  # noqa: N815 (ChecklistItem, Gap or None)

    def __init__(self):
        super().__init__()
        self.summary = QLabel()
        self.summary.setObjectName("checklistSummary")
        self.summary.setWordWrap(True)
        self.rows_widget = QWidget()
        self.rows = QVBoxLayout(self.rows_widget)
        self.rows.setSpacing(6)
        self.rows.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.rows_widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading("Documentation checklist", 2))
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        self.row_widgets: dict[str, ChecklistRow] = {}

    def show_items(self, items, fix_label_for) -> None:
        while self.rows.count() > 1:
            widget = self.rows.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.row_widgets = {}
        applying = [i for i in items if i.applies]
        # Paperwork, then the patient's own money and deadlines; in each, missing first
        # (errors, then warnings), then what is still to do, then what is done.
        rank = {"error": 0, "warning": 1, "info": 2}
        applying.sort(key=lambda i: (i.about != "bundle", i.done, not i.gaps,
                                     rank.get(i.rule.severity, 3)))
        own = next((i for i in applying if i.about != "bundle"), None)
        for item in applying:
            if item is own:
                title = heading(OWN_MONEY, 3)
                title.setObjectName("checklistOwnMoney")
                self.rows.insertWidget(self.rows.count() - 1, title)
            gap = item.gaps[0] if item.gaps else None
            row = ChecklistRow(item, None if item.done else fix_label_for(item.rule.id, gap))
            if row.fix_button is not None:
                row.fix_button.clicked.connect(
                    lambda _c=False, i=item, g=gap: self.fixRequested.emit(i, g))
            self.rows.insertWidget(self.rows.count() - 1, row)
            self.row_widgets[item.rule.id] = row
        done = sum(1 for i in applying if i.done)
        self.summary.setText(f"{done} of {len(applying)} done." if applying
                             else "Nothing to check yet.")

    def is_done(self, rule_id: str) -> bool | None:
        row = self.row_widgets.get(rule_id)
        return None if row is None else row.item.done
