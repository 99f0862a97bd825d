"""Step 3: what a reviewer of this destination will find missing, errors first, each with why
it matters and the one thing that fixes it. "Go fix this" closes the wizard and opens the
record (as the dashboard does); or the patient exports anyway and follows up later."""

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
        serious = any(g.severity in ("error", "warning") for g in gaps)
        self.setButtonText(QWizard.WizardButton.NextButton,
                           "Export anyway" if serious else "Next")
        self.completeChanged.emit()

    def show_gaps(self, gaps: list, what: str) -> None:
        self.gaps = sorted(gaps, key=lambda g: list(SEVERITY_TITLES).index(g.severity))
        self.cards = []
        while self.body_layout.count():
            child = self.body_layout.takeAt(0)
            if child.widget() is not None:
                child.widget().deleteLater()
        counts = {s: sum(1 for g in self.gaps if g.severity == s) for s in SEVERITY_TITLES}
        if self.failed:
            self.summary.setText("The treatments could not be checked.")
        elif not self.gaps:
            self.summary.setText(f"Nothing is missing for {what}: a reviewer should find "
                                 "everything they look for.")
        else:
            self.summary.setText(f"{counted(counts)} {'remains' if len(self.gaps) == 1 else 'remain'}"
                                 f" for {what}.")
        shown = 0
        for severity, title in SEVERITY_TITLES.items():
            mine = [g for g in self.gaps if g.severity == severity]
            if not mine or shown >= MAX_SHOWN:
                continue
            self.body_layout.addWidget(heading(f"{title} ({len(mine)})", 2))
            for gap in mine[: MAX_SHOWN - shown]:
                card = GapCard(gap)
                card.fixRequested.connect(self.fixRequested)
                self.cards.append(card)
                self.body_layout.addWidget(card)
                shown += 1
        if len(self.gaps) > shown:
            more = QLabel(f"…and {len(self.gaps) - shown} more; the checklist on each "
                          "treatment lists them all.")
            more.setWordWrap(True)
            self.body_layout.addWidget(more)
        self.body_layout.addStretch(1)
        self.scroll.verticalScrollBar().setValue(0)

    def rules(self) -> list[str]:
        """The rule ids listed, in order (what the patient reads, for tests and logs)."""
        return [card.gap.rule for card in self.cards]

    def isComplete(self) -> bool:  # noqa: N802
        return not self.failed
