"""A preview of one document: PDFs through QtPdf, images scaled to fit, otherwise its name.

QtPdf is imported the first time a PDF is shown, not at start-up.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImageReader, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget


class PreviewPane(QWidget):
    def __init__(self):
        super().__init__()
        self.stack = QStackedWidget()
        self.message = QLabel("Select a document to preview it.")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setAccessibleName("Image preview")
        self.image.setMinimumSize(200, 200)
        # The pane decides the label's size, never the pixmap in it (that would grow the pane
        # to the picture and scale it to that again).
        self.image.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.image)
        self.pdf_view = None
        self.pdf_document = None
        self._pixmap: QPixmap | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.kind = "none"

    def clear(self, text: str = "Select a document to preview it.") -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)
        self.kind = "none"

    def show_file(self, path: str, content_type: str, name: str) -> None:
        if content_type == "application/pdf":
            self._show_pdf(path)
        elif content_type.startswith("image/") and QImageReader(path).canRead():
            self._pixmap = QPixmap(path)
            self.stack.setCurrentWidget(self.image)
            self.kind = "image"
            self._scale()
        else:
            self.clear(f"No preview for {name}; use Open to view it with your system's viewer.")

    def _show_pdf(self, path: str) -> None:
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        if self.pdf_view is None:
            self.pdf_document = QPdfDocument(self)
            self.pdf_view = QPdfView(self)
            self.pdf_view.setAccessibleName("PDF preview")
            self.pdf_view.setDocument(self.pdf_document)
            self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self.stack.addWidget(self.pdf_view)
        self.pdf_document.close()
        self.pdf_document.load(path)
        self.stack.setCurrentWidget(self.pdf_view)
        self.kind = "pdf"

    def _scale(self) -> None:
        if self._pixmap is None or self._pixmap.isNull():
            return
        if self.isVisible():
            # Lay out now: a pane shown for the first time has not given the label its size.
            self.layout().activate()
        size = self.image.contentsRect().size()
        self.image.setPixmap(self._pixmap.scaled(
            size, Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        ))

    def showEvent(self, event) -> None:  # noqa: N802
        # An image chosen while the pane was hidden was scaled to a size it never had.
        super().showEvent(event)
        if self.kind == "image":
            self._scale()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.kind == "image":
            self._scale()
