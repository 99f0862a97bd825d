"""The answer to Data ▸ Verify data: "everything is in order", or each problem in a sentence
that says what is wrong and what to do."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QStyle,
    QTextBrowser,
    QVBoxLayout,
)

from ..widgets import heading

# The store speaks to the command line; in the window the same step is a menu item.
_CLI_RESTORE = "with `regenlog restore FILE`"
_GUI_RESTORE = "(Data ▸ Restore from a backup…)"


_CLI_STEPS = (
    ("run `regenlog verify` to see what is damaged, then ", ""),
    ("start RegenLog to put back its newest good automatic backup",
     "quit and start RegenLog again to put back its newest good automatic backup"),
)


def in_window_words(sentence: str) -> str:
    for cli, window in _CLI_STEPS:
        sentence = sentence.replace(cli, window)
    return sentence.replace(_CLI_RESTORE, _GUI_RESTORE).replace("`", "")


class VerifyResultDialog(QDialog):
    def __init__(self, report, parent=None):
        super().__init__(parent)
        self.report = report
        self.setWindowTitle("Verify data")
        self.setMinimumWidth(600)
        n = len(report.problems)
        pixmap = (QStyle.StandardPixmap.SP_DialogApplyButton if report.ok
                  else QStyle.StandardPixmap.SP_MessageBoxWarning)
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(self.style().standardIcon(pixmap).pixmap(size, size))
        self.title = heading(
            "Everything is in order" if report.ok
            else f"RegenLog found {n} problem{'s' if n != 1 else ''}"
        )
        self.summary = QLabel(report.summary())
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.setSpacing(14)
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        words = QVBoxLayout()
        words.addWidget(self.title)
        words.addWidget(self.summary)
        top.addLayout(words, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.addLayout(top)
        self.problems = None
        if not report.ok:
            self.problems = QTextBrowser()
            self.problems.setAccessibleName("Problems found")
            self.problems.setOpenLinks(False)
            items = "".join(
                f"<li style='margin-bottom: 6px'>{html.escape(in_window_words(p))}</li>"
                for p in report.problems
            )
            self.problems.setHtml(f"<ol style='margin-left: -16px'>{items}</ol>")
            # Tall enough for each sentence on two lines; a long list scrolls.
            height = min(24 + 52 * n, 320)
            if n <= 5:
                self.problems.setFixedHeight(height)
            else:
                self.problems.setMinimumHeight(height)
            layout.addWidget(self.problems, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def listed(self) -> str:
        """The problems as the patient reads them."""
        return self.problems.toPlainText() if self.problems is not None else ""
