"""PDFs through PDFium (pypdfium2): the words of a page's text layer, and page images.

PDFium gives each character with its box in PDF points from the bottom-left; each box is
turned as the page's /Rotate turns the page and flipped to the top-left origin of the
reading contract, then words are characters between spaces (or a gap wider than a quarter
of the font size). Pages are opened and closed one at a time, so a
long PDF costs the memory of one page.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from regenlog.core.reading.errors import ReadingError
from regenlog.core.reading.limits import MAX_PAGE_POINTS, MAX_WORDS_PER_PAGE
from regenlog.core.reading.words import Word, clean_text

# A page with fewer printable characters than this is a scan (or a blank page): OCR it.
MIN_TEXT_CHARS = 25


@contextmanager
def open_pdf(path: Path) -> Iterator[Any]:
    """The open PdfDocument, or ReadingError saying why it cannot be opened."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        raise ReadingError(_open_error(path, str(error))) from None
    try:
        yield document
    finally:
        document.close()


def _open_error(path: Path, detail: str) -> str:
    if "password" in detail.lower() or "security" in detail.lower():
        return (
            f"{path.name} is protected by a password: open it in your PDF viewer, print it "
            "to a new PDF, and read that copy."
        )
    return f"{path.name} is damaged or not a PDF, so it cannot be read."


def page_words(page, number: int) -> list[Word]:
    """The words of one page's text layer (empty for a scanned page), as the page is shown:
    a page whose /Rotate turns it upright is read upright, its boxes on the turned page."""
    import pypdfium2.raw as raw

    left, bottom, right, top = page.get_cropbox()
    if right - left > MAX_PAGE_POINTS or top - bottom > MAX_PAGE_POINTS:
        return []
    shown = _shown(page.get_rotation() % 360, left, bottom, right, top)
    textpage = page.get_textpage()
    try:
        count = min(textpage.count_chars(), MAX_WORDS_PER_PAGE * 8)
        words: list[Word] = []
        chars: list[str] = []
        box: list[float] = []  # x0, top, x1, bottom of the word so far, as shown
        last_right = 0.0
        size = 10.0

        def flush() -> None:
            if chars:
                text = clean_text("".join(chars)).strip()
                if text:
                    words.append(Word(text, box[0], box[1], box[2], box[3], 1.0, number))
                chars.clear()

        for index in range(count):
            code = raw.FPDFText_GetUnicode(textpage, index)
            char = chr(code) if 0 < code < 0x110000 else ""
            if not char or char.isspace() or raw.FPDFText_IsGenerated(textpage, index):
                flush()
                continue
            x0, y0, x1, y1 = shown(*textpage.get_charbox(index, loose=True))
            if chars:
                same_line = abs(((y0 + y1) / 2) - ((box[1] + box[3]) / 2)) < 0.5 * (box[3] - box[1])
                if not same_line or x0 - last_right > 0.25 * size or x0 < box[0] - 1:
                    flush()
            if not chars:
                size = max(raw.FPDFText_GetFontSize(textpage, index), 4.0)
                box = [x0, y0, x1, y1]
            else:
                box = [min(box[0], x0), min(box[1], y0), max(box[2], x1), max(box[3], y1)]
            chars.append(char)
            last_right = x1
        flush()
        return words[:MAX_WORDS_PER_PAGE]
    finally:
        textpage.close()


def _shown(rotation: int, left: float, bottom: float, right: float, top: float):
    """A function from a box in PDF space (left, bottom, right, top; y up) to the box on the
    page as a viewer shows it (x0, top, x1, bottom from its top-left), after /Rotate turns
    the page clockwise by ``rotation`` degrees."""
    def upright(x0, y0, x1, y1):
        return x0 - left, top - y1, x1 - left, top - y0

    def quarter(x0, y0, x1, y1):
        return y0 - bottom, x0 - left, y1 - bottom, x1 - left

    def half(x0, y0, x1, y1):
        return right - x1, y0 - bottom, right - x0, y1 - bottom

    def three_quarters(x0, y0, x1, y1):
        return top - y1, right - x1, top - y0, right - x0

    return {90: quarter, 180: half, 270: three_quarters}.get(rotation, upright)


def has_text_layer(words: list[Word]) -> bool:
    return sum(len(w.text) for w in words) >= MIN_TEXT_CHARS


def render_page(page, dpi: int = 300):
    """The page as a grayscale PIL image at ``dpi`` (for OCR)."""
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    try:
        return bitmap.to_pil().convert("L")
    finally:
        bitmap.close()
