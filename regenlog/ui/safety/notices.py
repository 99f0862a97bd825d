"""Notices about the data folder under the demo banner: a cloud-synced folder, a backup that
could not be made, a recovery that just happened. They never block: read, act or dismiss."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

_COLOURS = {
    "warning": ("#fdecea", "#e6a19a", "#7a1d14"),
    "info": ("#e8f1fb", "#9dbbe0", "#123a63"),
}


class Notice(QFrame):
    def __init__(self, key: str, text: str, kind: str = "warning"):
        super().__init__()
        self.key = key
        self.setObjectName("safetyNotice")
        background, border, colour = _COLOURS[kind]
        self.setStyleSheet(
            f"#safetyNotice {{ background: {background}; border-bottom: 1px solid {border}; }}"
            f"#safetyNotice QLabel {{ color: {colour}; }}"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Notice about the data folder")
        layout.addWidget(self.label, 1)
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.setAccessibleName("Dismiss this notice")
        self.dismiss_button.clicked.connect(self.dismiss)
        layout.addWidget(self.dismiss_button)

    def add_button(self, text: str, action: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(action)
        self.layout().insertWidget(1, button)
        return button

    def dismiss(self) -> None:
        self.hide()
        self.deleteLater()


class NoticeArea:
    """The notices shown in the window's ``notice_area`` layout, one per key."""

    def __init__(self, layout):
        self.layout = layout
        self.shown: dict[str, Notice] = {}

    def show(self, key: str, text: str, kind: str = "warning") -> Notice:
        self.remove(key)
        notice = Notice(key, text, kind)
        notice.dismiss_button.clicked.connect(lambda _checked=False: self._forget(key, notice))
        self.layout.addWidget(notice)
        notice.show()  # now, not on the layout's deferred show: it is news about the folder
        self.shown[key] = notice
        return notice

    def text(self, key: str) -> str | None:
        notice = self.shown.get(key)
        return notice.label.text() if notice is not None else None

    def remove(self, key: str) -> None:
        notice = self.shown.pop(key, None)
        if notice is not None:
            notice.dismiss()

    def clear(self) -> None:
        for key in list(self.shown):
            self.remove(key)

    def _forget(self, key: str, notice: Notice) -> None:
        if self.shown.get(key) is notice:
            del self.shown[key]
