"""Step 2: who will read the bundle. Each reviewer looks for different paperwork (docs/rules.md),
so each choice says in one sentence what that reviewer needs; the next step checks for it."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QLabel, QRadioButton, QVBoxLayout, QWizardPage

# (destination, choice, what that reviewer needs)
DESTINATION_CHOICES: tuple[tuple[str, str, str], ...] = (
    ("insurer", "Insurer claim",
     "The insurer's claims reviewer needs the superbill fields (provider, NPI and tax ID, "
     "charges), the diagnosis and procedure codes, and any pre-authorization."),
    ("hsa", "HSA reimbursement",
     "The HSA administrator needs the itemized receipt, proof of payment and, for anything that "
     "could be general wellness (IV vitamins), a letter of medical necessity dated on or before "
     "the service."),
    ("fsa", "FSA reimbursement",
     "The FSA administrator needs the itemized receipt, proof of payment and, for anything that "
     "could be general wellness (IV vitamins), a letter of medical necessity dated on or before "
     "the service, all before the plan year's claims close."),
    ("appeal", "Appeal",
     "The appeal reviewer needs the denial, the log of your calls with the insurer and the "
     "letter of medical necessity."),
)
# As they read inside a sentence ("this HSA reimbursement bundle").
TITLES = {"insurer": "insurer claim", "hsa": "HSA reimbursement", "fsa": "FSA reimbursement",
          "appeal": "appeal"}


class DestinationPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Who will read it?")
        self.setSubTitle("The cover letter is addressed to them, and the next step checks for "
                         "the paperwork they look for.")
        self.choice = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        self.needs: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        for key, title, needs in DESTINATION_CHOICES:
            button = QRadioButton(title)
            button.setObjectName(f"destination_{key}")
            label = QLabel(needs)
            label.setWordWrap(True)
            label.setObjectName(f"needs_{key}")
            # Indented under its button, in the quieter colour of secondary text.
            label.setContentsMargins(24, 0, 0, 10)
            label.setStyleSheet("color: palette(placeholder-text);")
            button.setAccessibleDescription(needs)
            self.choice.addButton(button)
            self.buttons[key], self.needs[key] = button, label
            layout.addWidget(button)
            layout.addWidget(label)
            button.toggled.connect(lambda _on: self.completeChanged.emit())
        layout.addStretch(1)
        self.buttons["insurer"].setChecked(True)

    @property
    def destination(self) -> str:
        return next(key for key, button in self.buttons.items() if button.isChecked())

    def choose(self, destination: str) -> None:
        self.buttons[destination].setChecked(True)
