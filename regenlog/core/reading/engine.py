"""Read one file: a PDF (text layer or scan), a photo, or a payer's FHIR EOB download.

``read_document`` is what the command line calls and what the inbox will call on a worker
thread: ``progress(done, total)`` is called after each page and ``cancelled()`` is asked
between pages (and while Tesseract runs), so a patient can stop a long scan.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from regenlog.core.reading.errors import ReadingCancelled, ReadingError
from regenlog.core.reading.extract import PageWords, extract
from regenlog.core.reading.limits import (
    MAX_FILE_BYTES,
    MAX_IMAGE_BYTES,
    MAX_JSON_BYTES,
    MAX_OCR_PAGES,
    MAX_PAGES,
)
from regenlog.core.reading.result import Box, ReadResult

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
SUPPORTED = "a PDF, a photo (JPEG, PNG, TIFF, HEIC) or a FHIR EOB file (.json, .ndjson)"


@dataclass(slots=True)
class ReadOptions:
    tesseract_dir: str | os.PathLike | None = None  # the settings' folder, if any
    deskew: bool = True
    ocr: bool = True  # False: text layers only (a quick look)
    psm: int = 4  # Tesseract page segmentation: one column of lines of varying size
    # Photo preparations (benchmarks/reading.py measures each by turning it off).
    find_paper: bool = True
    even_light: bool = True
    despeckle: bool = True  # scans: a median filter takes dust and toner specks away


def sniff(path: Path) -> str:
    """ "pdf", "image" or "json" from the file's first bytes (never from its name alone)."""
    with path.open("rb") as stream:
        head = stream.read(64)
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:32]:
        return "pdf"
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"GIF8",
                        b"BM")) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heim", b"hevc"):
        return "image"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    # JSON opens an object with a quoted key, or a list of objects ("[project]" is TOML).
    if stripped[:1] in (b"{", b"[") and stripped[1:].lstrip(b" \t\r\n")[:1] in (b'"', b"{", b"}", b"]"):
        return "json"
    return "unknown"


def read_document(
    path: str | os.PathLike, options: ReadOptions | None = None, *,
    progress: Progress | None = None, cancelled: Cancelled | None = None,
) -> ReadResult:
    """Everything a document shows that passes its check, or ReadingError in one sentence."""
    options = options or ReadOptions()
    path = Path(path)
    if not path.is_file():
        raise ReadingError(f"There is no file {path}.")
    size = path.stat().st_size
    if size == 0:
        raise ReadingError(f"{path.name} is empty.")
    kind = sniff(path)
    if kind == "json":
        if size > MAX_JSON_BYTES:
            raise ReadingError(
                f"{path.name} is over {MAX_JSON_BYTES // 2**20} MB, too large for a FHIR EOB "
                "download; split it and read each part."
            )
        from regenlog.core.reading.fhir_eob import read_fhir

        return read_fhir(path)
    if kind == "unknown":
        raise ReadingError(f"{path.name} is not {SUPPORTED}, so RegenLog cannot read it.")
    limit = MAX_FILE_BYTES if kind == "pdf" else MAX_IMAGE_BYTES
    if size > limit:
        raise ReadingError(
            f"{path.name} is over {limit // 2**20} MB, too large to be a receipt or a letter; "
            "save a smaller copy and read that."
        )
    reader = _PdfReader(path, options) if kind == "pdf" else _ImageReader(path, options)
    return reader.read(progress or (lambda done, total: None), cancelled or (lambda: False))


class _Reader:
    def __init__(self, path: Path, options: ReadOptions):
        self.path = path
        self.options = options
        self.problems: list[str] = []
        self.ocr_pages = 0
        self._program = None
        self._looked = False
        # page number -> from a box in the OCR'd image's points to the page's own points
        self._to_page: dict[int, Callable[[Box], Box]] = {}

    def tesseract(self):
        if not self._looked:
            from regenlog.core.reading.ocr import find_tesseract

            self._program = find_tesseract(self.options.tesseract_dir)
            self._looked = True
        return self._program

    def ocr(self, image, dpi: float | None, source_dpi: float, number: int,
            cancelled: Cancelled) -> PageWords:
        """The words of one page image; ``dpi`` is None for a photo (it is found out)."""
        from regenlog.core.reading.images import Steps, prepare
        from regenlog.core.reading.ocr import ocr_words

        options = self.options
        prepared = prepare(image, dpi, Steps(options.find_paper, options.even_light, options.despeckle,
                                             options.deskew))
        del image
        words = ocr_words(prepared.image, self.tesseract(), dpi=prepared.dpi, page=number,
                          psm=options.psm, cancelled=cancelled)
        self.ocr_pages += 1
        self._to_page[number] = _box_map(prepared, source_dpi)
        # Lines and the letterhead are found on the prepared page; boxes go back in finish().
        width, height = prepared.image.size
        return PageWords(number, width * 72 / prepared.dpi, height * 72 / prepared.dpi, words)

    def finish(self, pages: list[PageWords], method: str, total: int) -> ReadResult:
        extracted = extract(pages, ocr=method == "ocr")
        for number, to_page in self._to_page.items():
            for name, proposal in extracted.fields.items():
                if proposal.page == number and proposal.box is not None:
                    extracted.fields[name] = replace(proposal, box=to_page(proposal.box))
            for line in extracted.lines:
                if line.page == number and line.box is not None:
                    line.box = to_page(line.box)
        result = ReadResult(
            kind=extracted.kind, method=method, fields=extracted.fields,
            lines=extracted.lines, problems=self.problems, pages=total,
        )
        if not any(page.words for page in pages):
            result.problems.append(f"No words could be read in {self.path.name}.")
        return result


class _PdfReader(_Reader):
    def read(self, progress: Progress, cancelled: Cancelled) -> ReadResult:
        from regenlog.core.reading.images import OCR_DPI
        from regenlog.core.reading.pdf_text import has_text_layer, open_pdf, page_words, render_page

        pages: list[PageWords] = []
        with open_pdf(self.path) as document:
            total = len(document)
            if total == 0:
                raise ReadingError(f"{self.path.name} has no pages.")
            count = min(total, MAX_PAGES)
            if total > MAX_PAGES:
                self.problems.append(
                    f"Only the first {MAX_PAGES} of its {total} pages were read."
                )
            scans_skipped: list[int] = []
            for index in range(count):
                if cancelled():
                    raise ReadingCancelled()
                page = document[index]
                try:
                    width, height = page.get_size()
                    words = page_words(page, index + 1)
                    if has_text_layer(words) or not self.options.ocr:
                        pages.append(PageWords(index + 1, width, height, words))
                    elif self.tesseract() is None or self.ocr_pages >= MAX_OCR_PAGES:
                        scans_skipped.append(index + 1)
                        pages.append(PageWords(index + 1, width, height, words))
                    else:
                        image = render_page(page, OCR_DPI)
                        pages.append(self.ocr(image, OCR_DPI, OCR_DPI, index + 1, cancelled))
                        del image
                finally:
                    page.close()
                progress(index + 1, count)
        if scans_skipped:
            self._explain_skipped(scans_skipped, len(pages))
        method = "ocr" if self.ocr_pages else "text"
        return self.finish(pages, method, total)

    def _explain_skipped(self, skipped: list[int], read: int) -> None:
        from regenlog.core.reading.ocr import install_hint

        if self.tesseract() is None:
            if len(skipped) == read:
                raise ReadingError(f"{self.path.name} is a scan. {install_hint()}")
            self.problems.append(
                f"Page {_pages(skipped)} {'is a scan' if len(skipped) == 1 else 'are scans'} and "
                f"{'was' if len(skipped) == 1 else 'were'} not read. {install_hint()}"
            )
        else:
            self.problems.append(
                f"Only the first {MAX_OCR_PAGES} scanned pages were read by OCR; "
                f"page {_pages(skipped)} {'was' if len(skipped) == 1 else 'were'} not."
            )


class _ImageReader(_Reader):
    def read(self, progress: Progress, cancelled: Cancelled) -> ReadResult:
        from regenlog.core.reading.images import frame_count, image_frames
        from regenlog.core.reading.ocr import install_hint

        if self.tesseract() is None:
            raise ReadingError(f"{self.path.name} is a photo. {install_hint()}")
        total = frame_count(self.path)
        count = min(total, MAX_OCR_PAGES)
        if total > count:
            self.problems.append(f"Only the first {count} of its {total} pages were read.")
        pages: list[PageWords] = []
        for number, frame in enumerate(image_frames(self.path), start=1):
            if cancelled():
                raise ReadingCancelled()
            pages.append(self.ocr(frame.image, frame.dpi, frame.source_dpi, number, cancelled))
            del frame
            progress(number, count)
        return self.finish(pages, "ocr", total)


def _box_map(prepared, source_dpi: float) -> Callable[[Box], Box]:
    """From a box in the prepared image's points to the source's points (the four corners
    carried back through each step, and the box around them)."""
    to_pixels = prepared.dpi / 72
    to_points = 72 / source_dpi
    to_source = prepared.to_source  # not the prepared image: a long scan keeps no page alive

    def to_page(box: Box) -> Box:
        corners = [to_source((x * to_pixels, y * to_pixels))
                   for x in (box.x0, box.x1) for y in (box.y0, box.y1)]
        xs = [x * to_points for x, _ in corners]
        ys = [y * to_points for _, y in corners]
        return Box(min(xs), min(ys), max(xs), max(ys))

    return to_page


def _pages(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return str(numbers[0])
    return ", ".join(str(n) for n in numbers[:-1]) + f" and {numbers[-1]}"
