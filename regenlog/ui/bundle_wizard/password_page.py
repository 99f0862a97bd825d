"""Step 4: an optional password (AES-256, the same for every file) and where to save the ZIP.

The note says what patients trip over: Windows' own "Extract all" cannot open AES archives,
and what anyone holding the file still sees without the password. A password must be hard
to guess (``bundle.password``); the page offers a generated passphrase."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from ..widgets import ask, heading, sentence_label

AES_NOTE = (
    "Leave both boxes empty for a bundle anyone with the file can open. With a password every "
    "file is encrypted with AES-256, and the files inside are named by number only "
    "(documents/07.pdf): their titles, dates and kinds are in the encrypted index. Without "
    "the password anyone holding the file still sees how many documents it has, their file "
    "types and sizes, and the day it was made. Windows' built-in unzip (Extract all) cannot "
    "open AES archives: use 7-Zip; on macOS use Keka or The Unarchiver. Send the password "
    "another way than the file (a phone call, not the same e-mail)."
)


def documents_folder() -> Path:
    """The user's Documents folder, or their home folder when there is none."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def default_name(destination: str, today) -> str:
    return f"RegenLog-{destination}-{today.isoformat()}.zip"


class PasswordPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Password and file")
        self.setSubTitle("Choose whether to encrypt the bundle, and where to save it.")
        self.password = QLineEdit()
        self.password.setObjectName("bundlePassword")
        self.repeat = QLineEdit()
        self.repeat.setObjectName("bundlePasswordRepeat")
        for edit, name in ((self.password, "Password"), (self.repeat, "Repeat the password")):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setAccessibleName(name)
            edit.textChanged.connect(self._changed)
        self.suggest_button = QPushButton("Suggest a passphrase")
        self.suggest_button.setObjectName("suggestPassphrase")
        self.suggest_button.setAccessibleName("Suggest a passphrase that is hard to guess")
        self.suggest_button.clicked.connect(self.suggest)
        self.show_button = QPushButton("Show")
        self.show_button.setCheckable(True)
        self.show_button.setAccessibleName("Show the password")
        self.show_button.toggled.connect(self._show)
        self.note = QLabel(AES_NOTE)
        self.note.setObjectName("aesNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: palette(placeholder-text);")
        self.path = QLineEdit()
        self.path.setObjectName("bundlePath")
        self.path.setAccessibleName("Save the bundle as")
        self.path.textEdited.connect(self._path_edited)
        self.path.textChanged.connect(self._changed)
        self.choose_button = QPushButton("Choose…")
        self.choose_button.setAccessibleName("Choose where to save the bundle")
        self.choose_button.clicked.connect(self.choose)
        self.sentence = sentence_label("passwordSentence")
        self.path_chosen = False  # once the patient picks a file, the name is theirs
        self.confirmed: Path | None = None  # a file the save dialog agreed to replace
        self._known: tuple[str, ...] | None = None  # the household's names, for the check

        form = QFormLayout()
        first_row = QHBoxLayout()
        first_row.addWidget(self.password, 1)
        first_row.addWidget(self.show_button)
        first_row.addWidget(self.suggest_button)
        form.addRow("Password", first_row)
        form.addRow("Repeat it", self.repeat)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.choose_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Encrypt with a password (optional)", 2))
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addSpacing(12)
        layout.addWidget(heading("Save the bundle as", 2))
        layout.addLayout(path_row)
        layout.addWidget(self.sentence)
        layout.addStretch(1)
        self.setButtonText(QWizard.WizardButton.NextButton, "Export")

    def initializePage(self) -> None:  # noqa: N802
        wizard = self.wizard()
        if not self.path_chosen:
            self.path.setText(str(documents_folder()
                                  / default_name(wizard.destination, wizard.today)))
        self._changed()

    # -- the file --------------------------------------------------------------------------
    def choose(self) -> None:
        current = self.path.text().strip() or str(documents_folder())
        name, _ = QFileDialog.getSaveFileName(self, "Save the bundle as", current,
                                              "ZIP archive (*.zip)")
        if name:
            self.path.setText(name)
            self.path_chosen = True
            self.confirmed = Path(name)

    def _path_edited(self, _text: str) -> None:
        self.path_chosen = True

    def target(self) -> Path:
        text = self.path.text().strip()
        path = Path(text).expanduser()
        return path if path.suffix.lower() == ".zip" else path.with_name(path.name + ".zip")

    # -- the password ----------------------------------------------------------------------
    def suggest(self) -> None:
        """Fill both boxes with a generated passphrase, shown, so it can be written down."""
        from ...bundle.password import suggest_passphrase

        phrase = suggest_passphrase()
        self.show_button.setChecked(True)
        self.password.setText(phrase)
        self.repeat.setText(phrase)

    def _show(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for edit in (self.password, self.repeat):
            edit.setEchoMode(mode)
        self.show_button.setText("Hide" if shown else "Show")

    def _known_words(self) -> tuple[str, ...]:
        wizard = self.wizard()
        if wizard is None or getattr(wizard, "session", None) is None:
            return ()
        from ...bundle.writer import known_words

        if self._known is None:
            self._known = known_words(wizard.session.services.db)
        return self._known

    def chosen_password(self) -> str | None:
        """The password, or None for a bundle without encryption."""
        return self.password.text() or None

    def _problem(self) -> str:
        first, second = self.password.text(), self.repeat.text()
        if first != second:
            if not second:
                return "Type the password again in the second box, to be sure of it."
            if not first:
                return "Type the password in the first box too."
            return "The two passwords do not match."
        if first and first.strip() != first:
            return ("The password starts or ends with a space; remove it, since it is easy to "
                    "forget when typing the password to open the bundle.")
        if first:
            from ...bundle.password import password_problem

            problem = password_problem(first, self._known_words())
            if problem:
                return problem
        if not self.path.text().strip():
            return "Choose where to save the bundle."
        return ""

    def _changed(self, *_args) -> None:
        problem = self._problem()
        self.sentence.setText(problem)
        self.sentence.setVisible(bool(problem))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return not self._problem()

    def validatePage(self) -> bool:  # noqa: N802
        target = self.target()
        problem = ""
        if not target.parent.is_dir():
            problem = f"The folder {target.parent} does not exist; choose another one."
        elif target.is_dir():
            problem = f"{target} is a folder; give a file name ending in .zip."
        if problem:
            self.sentence.setText(problem)
            self.sentence.show()
            return False
        # The save dialog has already asked about replacing the file it returned.
        if target.exists() and target != self.confirmed and not ask(
            self, "Replace the file?",
            f"{target.name} already exists in {target.parent}. Replace it with the new "
            "bundle? (The old one is kept until the new one is complete.)",
        ):
            return False
        self.path.setText(str(target))
        return True
