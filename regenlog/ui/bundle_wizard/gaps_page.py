"""Step 3: what a reviewer of this destination will find missing, errors first, each with why
it matters and the one thing that fixes it; then, apart, what the check found about the
patient's own money and deadlines (a promotion ending, a window closing), which no bundle
settles. "Go fix this" closes the wizard and opens the record (as the dashboard does); or
the patient exports anyway and follows up later. A bundle that must not be made (an insurer
asked again for what it decided) is refused here, with the way out."""

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
    QWizard,
    QWizardPage,
)

from ...core.errors import RegenLogError
from ..icons import icon
from ..widgets import heading, sentence_label
from .destination_page import TITLES

SEVERITY_TITLES = {"error": "Errors", "warning": "Warnings", "info": "Notes"}
SEVERITY_ICONS = {"error": "missing", "warning": "warning", "info": "info"}
MAX_SHOWN = 200  # a range over years can hold hundreds; the first ones are the ones to fix


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def counted(counts: dict[str, int]) -> str:
    """"2 errors and 1 warning": the severities that occur, with their counts."""
    words = {"error": "error", "warning": "warning", "info": "note"}
    parts = [plural(n, words[s]) for s, n in counts.items() if n]
    return " and ".join(parts) if len(parts) < 3 else f"{parts[0]}, {parts[1]} and {parts[2]}"


class GapCard(QFrame):
    """One gap: its icon, its sentence, its fix, and a button to go and fix it."""

    fixRequested = Signal(object)  # noqa: N815 (the Gap)

    def __init__(self, gap):
        super().__init__()
        self.gap = gap
        self.setObjectName("gapCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        badge = QLabel()
        badge.setPixmap(icon(SEVERITY_ICONS.get(gap.severity, "info")).pixmap(18, 18))
        badge.setAlignment(Qt.AlignmentFlag.AlignTop)
        badge.setAccessibleName(gap.severity)
        self.message = QLabel(gap.message)
        self.message.setWordWrap(True)
        self.message.setObjectName("gapMessage")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fix = QLabel(f"To fix: {gap.fix}")
        self.fix.setWordWrap(True)
        self.fix.setObjectName("gapFix")
        self.fix.setStyleSheet("color: palette(placeholder-text);")
        self.button = QPushButton("Go fix this")
        self.button.setAccessibleName(f"Go fix this: {gap.rule}")
        self.button.clicked.connect(lambda: self.fixRequested.emit(self.gap))
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.message)
        text.addWidget(self.fix)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(text, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)


class GapsPage(QWizardPage):
    fixRequested = Signal(object)  # noqa: N815 (the Gap)

    def __init__(self):
        super().__init__()
        self.setTitle("What a reviewer will miss")
        self.gaps: list = []
        self.cards: list[GapCard] = []
        self.summary = QLabel()
        self.summary.setObjectName("gapsSummary")
        self.summary.setWordWrap(True)
        self.sentence = sentence_label("gapsSentence")
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 6, 0)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.sentence)
        layout.addWidget(self.scroll, 1)
        self.failed = False

    def initializePage(self) -> None:  # noqa: N802
        from ...bundle import preflight

        wizard = self.wizard()
        destination = wizard.destination
        what = f"this {TITLES[destination]} bundle"
        self.setSubTitle(f"{wizard.who_and_what()}. Gaps do not stop the export, but the "
                         "reviewer may ask for what is missing.")
        self.failed = False
        try:
            gaps = preflight(wizard.session.services.db, wizard.selection, destination,
                             wizard.today)
        except RegenLogError as error:
            gaps, self.failed = [], True
            self.sentence.setText(str(error))
        self.sentence.setVisible(self.failed)
        self.show_gaps(gaps, what)
        serious = any(g.severity in ("error", "warning") and g.about == "bundle" for g in gaps)
        self.setButtonText(QWizard.WizardButton.NextButton,
                           "Export anyway" if serious else "Next")
        self.completeChanged.emit()

    def show_gaps(self, gaps: list, what: str) -> None:
        order = list(SEVERITY_TITLES)
        self.gaps = sorted(gaps, key=lambda g: (g.about != "bundle", order.index(g.severity)))
        self.cards = []
        while self.body_layout.count():
            child = self.body_layout.takeAt(0)
            if child.widget() is not None:
                child.widget().deleteLater()
        bundle = [g for g in self.gaps if g.about == "bundle"]
        own = [g for g in self.gaps if g.about != "bundle"]
        self.summary.setText(self._summary(bundle, own, what))
        self.shown = 0
        if bundle and own:
            self.body_layout.addWidget(heading("What this bundle still needs", 2))
        for severity, title in SEVERITY_TITLES.items():
            self._cards(f"{title} ({sum(1 for g in bundle if g.severity == severity)})",
                        [g for g in bundle if g.severity == severity])
        if own:
            self.body_layout.addWidget(heading("About your own money and deadlines", 2))
            note = QLabel("Not part of the bundle, and no reviewer sees them; they are here so "
                          "nothing that costs you money is left unsaid.")
            note.setWordWrap(True)
            note.setObjectName("ownMoneyNote")
            self.body_layout.addWidget(note)
            self._cards(None, own)
        if len(self.gaps) > self.shown:
            more = QLabel(f"…and {len(self.gaps) - self.shown} more; the checklist on each "
                          "treatment lists them all.")
            more.setWordWrap(True)
            self.body_layout.addWidget(more)
        self.body_layout.addStretch(1)
        self.scroll.verticalScrollBar().setValue(0)

    def _summary(self, bundle: list, own: list, what: str) -> str:
        if self.failed:
            return "This bundle cannot be made as chosen; go back to change it."
        if not bundle and not own:
            return f"Nothing is missing for {what}: a reviewer should find everything they look for."
        counts = {s: sum(1 for g in bundle if g.severity == s) for s in SEVERITY_TITLES}
        text = (f"{counted(counts)} {'remains' if len(bundle) == 1 else 'remain'} for {what}."
                if bundle else f"The paperwork for {what} is complete.")
        if own:
            text += (f" {plural(len(own), 'finding')} about your own money and deadlines "
                     f"{'follows' if len(own) == 1 else 'follow'}, apart from the bundle.")
        return text

    def _cards(self, title: str | None, gaps: list) -> None:
        if not gaps or self.shown >= MAX_SHOWN:
            return
        if title is not None:
            self.body_layout.addWidget(heading(title, 2))
        for gap in gaps[: MAX_SHOWN - self.shown]:
            card = GapCard(gap)
            card.fixRequested.connect(self.fixRequested)
            self.cards.append(card)
            self.body_layout.addWidget(card)
            self.shown += 1

    def rules(self) -> list[str]:
        """The rule ids listed, in order (what the patient reads, for tests and logs)."""
        return [card.gap.rule for card in self.cards]

    def isComplete(self) -> bool:  # noqa: N802
        return not self.failed
