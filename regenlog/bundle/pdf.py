"""PDFs through Qt's own PDF writer: US letter, fonts embedded, "Page i of n" on every page.

The cover letter and the statement are written as simple HTML and laid out by
``QTextDocument`` on a ``QPdfWriter``; Qt embeds (subsets of) every font it draws with.
Everything is black on white with ruled tables, so a fax or a black-and-white printout
reads the same. Only QtGui is used, never widgets, so this runs in the command line too.
"""

from __future__ import annotations

import os
import sys
import threading

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QMarginsF,
    QRectF,
    QSizeF,
    Qt,
)
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

RESOLUTION = 300  # dots per inch of the layout; text stays vector in the PDF
MARGIN_MM = 18.0
FOOTER_PT = 24.0
BODY_PT = 10.0

# Shared look: black rules, no colour that carries meaning, light grey header rows only.
STYLE = """
body { color: #000000; }
h1 { font-size: 16pt; margin: 0 0 6px 0; }
h2 { font-size: 12pt; margin: 14px 0 4px 0; }
h3 { font-size: 10.5pt; margin: 10px 0 2px 0; }
p { margin: 0 0 6px 0; }
table.grid { border-collapse: collapse; margin: 2px 0 6px 0; }
table.grid th { background-color: #e6e6e6; font-weight: bold; text-align: left; }
table.grid td, table.grid th { border: 1px solid #000000; padding: 3px; }
td.num, th.num { text-align: right; }
td.keep { white-space: nowrap; }
table.plain td { padding: 1px 8px 1px 0; vertical-align: top; }
.small { font-size: 8.5pt; }
"""


def ensure_qt_app() -> QCoreApplication:
    """The running Qt application, or a new QGuiApplication (offscreen without a display).

    Must first be called on the main thread: Qt allows one application object, created on
    the thread that will own it. The GUI already has one; the command line calls this.
    """
    app = QGuiApplication.instance()
    if app is not None:
        return app
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("Create the Qt application on the main thread before exporting.")
    if (
        sys.platform.startswith("linux")
        and "QT_QPA_PLATFORM" not in os.environ
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # Qt allows one application object per process and widgets need a QApplication. The
    # bundle never imports QtWidgets, but when this process already has (a test session,
    # a tool that will open windows later), create the kind that serves both.
    widgets = sys.modules.get("PySide6.QtWidgets")
    kind = widgets.QApplication if widgets is not None else QGuiApplication
    return kind(sys.argv[:1] or ["regenlog"])


def body_font() -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    font.setPointSizeF(BODY_PT)
    # No ligatures: "Whitfield" drawn with an "fi" glyph is copied and searched as
    # "Whitﬁeld", and a reviewer searching the PDF for the patient's name would miss it.
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)
    font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    return font


def render_pdf(body_html: str, *, title: str, footer: str) -> bytes:
    """A letter-size PDF of ``body_html``; ``footer`` is printed left of "Page i of n"."""
    from ..core.text import printable

    # The body's values went through markup.esc; the title and footer are plain text.
    title, footer = printable(title), printable(footer)
    ensure_qt_app()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    writer.setResolution(RESOLUTION)
    writer.setPageMargins(
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter
    )
    writer.setTitle(title)
    writer.setCreator("RegenLog")

    font = body_font()
    doc = QTextDocument()
    # Lay the text out in the writer's own units, or point sizes come out wrong.
    doc.documentLayout().setPaintDevice(writer)
    doc.setDefaultFont(font)
    doc.setDefaultStyleSheet(STYLE)
    doc.setDocumentMargin(0)
    doc.setHtml(f"<html><body>{body_html}</body></html>")

    page = writer.pageLayout().paintRectPixels(RESOLUTION)
    footer_px = FOOTER_PT * RESOLUTION / 72
    body = QSizeF(page.width(), page.height() - footer_px)
    doc.setPageSize(body)
    pages = doc.pageCount()

    footer_font = QFont(font)
    footer_font.setPointSizeF(8.0)
    painter = QPainter(writer)
    try:
        for index in range(pages):
            if index:
                writer.newPage()
            painter.save()
            painter.translate(0, -index * body.height())
            doc.drawContents(painter, QRectF(0, index * body.height(), body.width(), body.height()))
            painter.restore()
            painter.setFont(footer_font)
            painter.setPen(Qt.GlobalColor.black)
            line_y = body.height() + footer_px * 0.25
            painter.drawLine(0, int(line_y), int(body.width()), int(line_y))
            box = QRectF(0, line_y, body.width(), footer_px * 0.75)
            align = Qt.AlignmentFlag.AlignVCenter
            painter.drawText(box, align | Qt.AlignmentFlag.AlignLeft, footer)
            painter.drawText(
                box, align | Qt.AlignmentFlag.AlignRight, f"Page {index + 1} of {pages}"
            )
    finally:
        painter.end()
        buffer.close()
    return bytes(data.data())
