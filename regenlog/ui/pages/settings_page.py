"""Settings: where the data lives (with a warning for cloud-synced folders), how dates and
money are shown, and the colour scheme."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..settings import COLOR_SCHEMES, DATE_STYLES, MONEY_STYLES
from ..widgets import heading


def apply_color_scheme(choice: str) -> None:
    """Follow the system, or force light or dark (Qt 6.8+)."""
    hints = QGuiApplication.styleHints()
    scheme = {
        "light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark,
    }.get(choice, Qt.ColorScheme.Unknown)
    if hasattr(hints, "setColorScheme"):
        hints.setColorScheme(scheme)


class SettingsView(QWidget):
    def __init__(self):
        super().__init__()
        self.folder_label = QLabel()
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setAccessibleName("Data folder")
        self.folder_label.setWordWrap(True)
        self.open_folder_button = QPushButton("Show the folder")
        self.cloud_warning = QLabel()
        self.cloud_warning.setObjectName("cloudWarning")
        self.cloud_warning.setWordWrap(True)
        self.cloud_warning.setStyleSheet(
            "#cloudWarning { background: #fdecea; border: 1px solid #e6a19a; border-radius: 4px;"
            " padding: 8px; color: #7a1d14; }"
        )
        self.cloud_warning.hide()
        self.date_box = QComboBox()
        self.money_box = QComboBox()
        self.scheme_box = QComboBox()
        for box, options, name in (
            (self.date_box, DATE_STYLES, "Date format"),
            (self.money_box, MONEY_STYLES, "Money format"),
            (self.scheme_box, COLOR_SCHEMES, "Colours"),
        ):
            for key, label in options.items():
                box.addItem(label, key)
            box.setAccessibleName(name)
        folder = QHBoxLayout()
        folder.addWidget(self.folder_label, 1)
        folder.addWidget(self.open_folder_button)
        form = QFormLayout()
        form.addRow("Data folder", folder)
        form.addRow("", self.cloud_warning)
        form.addRow("&Dates", self.date_box)
        form.addRow("&Money", self.money_box)
        form.addRow("&Colours", self.scheme_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading("Settings"))
        layout.addLayout(form)
        note = QLabel("Start RegenLog with --data-dir FOLDER (or set REGENLOG_DATA_DIR) to use "
                      "another data folder.")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addStretch(1)


class SettingsController(QObject):
    def __init__(self, settings, paths, on_formats_changed):
        super().__init__()
        self.settings, self.paths = settings, paths
        self.view = SettingsView()
        v = self.view
        v.folder_label.setText(str(paths.root))
        from ...store.cloud import cloud_sync_warning

        warning = cloud_sync_warning(paths.root)
        v.cloud_warning.setText(warning or "")
        v.cloud_warning.setVisible(bool(warning))
        for box, value in ((v.date_box, settings.date_style), (v.money_box, settings.money_style),
                           (v.scheme_box, settings.color_scheme)):
            box.setCurrentIndex(max(box.findData(value), 0))
        v.open_folder_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths.root)))
        )

        def formats_changed() -> None:
            settings.date_style = v.date_box.currentData()
            settings.money_style = v.money_box.currentData()
            on_formats_changed()

        def scheme_changed() -> None:
            settings.color_scheme = v.scheme_box.currentData()
            apply_color_scheme(settings.color_scheme)

        v.date_box.currentIndexChanged.connect(formats_changed)
        v.money_box.currentIndexChanged.connect(formats_changed)
        v.scheme_box.currentIndexChanged.connect(scheme_changed)
