"""Plain letters as PDF through Qt's own PDF writer (imported only when a PDF is made)."""

from __future__ import annotations


def letter_pdf(text: str, *, title: str) -> bytes:
    """A US Letter PDF of ``text`` (paragraphs kept), with one-inch margins."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSizeF
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(title)
    writer.setCreator("RegenLog")
    writer.setResolution(300)
    writer.setPageLayout(QPageLayout(
        QPageSize(QPageSize.PageSizeId.Letter), QPageLayout.Orientation.Portrait,
        QMarginsF(25.4, 25.4, 25.4, 25.4), QPageLayout.Unit.Millimeter,
    ))
    document = QTextDocument()
    font = QFont("Serif")
    font.setStyleHint(QFont.StyleHint.Serif)
    font.setPointSizeF(11)
    document.setDefaultFont(font)
    document.setPlainText(text)
    # Lay the text out on the printable area in points, as the writer will paint it.
    rect = writer.pageLayout().paintRect(QPageLayout.Unit.Point)
    document.setPageSize(QSizeF(rect.width(), rect.height()))
    document.print_(writer)
    del writer  # finishes the PDF into the buffer
    buffer.close()
    return bytes(data.data())
