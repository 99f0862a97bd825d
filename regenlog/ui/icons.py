"""Icons drawn as SVG in ``resources/icons``: sharp at every screen scale."""

from functools import cache

from PySide6.QtGui import QIcon

from ..resources import resource


@cache
def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` (an empty icon if the file is missing)."""
    try:
        path = resource("icons", f"{name}.svg")
    except FileNotFoundError:
        return QIcon()
    return QIcon(str(path)) if path.is_file() else QIcon()
