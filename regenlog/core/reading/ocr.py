"""OCR with Tesseract, the system program: find it, run it with TSV output, read its words.

Tesseract is not a Python package: the patient installs it (or CI from Debian's packages).
It is looked for in a folder the settings name, on the PATH, then where its installers put
it (a program started from the Finder or the Start menu does not see a shell's PATH).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from regenlog.core.reading.errors import ReadingCancelled, ReadingError
from regenlog.core.reading.words import Word, clean_text, drop_noise

# Set to a folder (or the program itself) to use a Tesseract that is not on the PATH.
ENV_TESSERACT = "REGENLOG_TESSERACT"
PAGE_TIMEOUT_SECONDS = 90

_USUAL_FOLDERS = {
    "win32": [r"C:\Program Files\Tesseract-OCR", r"C:\Program Files (x86)\Tesseract-OCR"],
    "darwin": ["/opt/homebrew/bin", "/usr/local/bin", "/opt/local/bin"],
}


def install_hint(platform: str | None = None) -> str:
    """One sentence saying how to install Tesseract on this system."""
    platform = platform or sys.platform
    if platform.startswith("win"):
        how = "install it with the UB Mannheim installer for Windows"
    elif platform == "darwin":
        how = "install it with `brew install tesseract`"
    else:
        how = "install it with `sudo apt install tesseract-ocr`"
    return (
        f"Reading scans and photos needs Tesseract OCR, which was not found: {how}, "
        "or name the folder that holds it in the settings."
    )


def find_tesseract(folder: str | os.PathLike | None = None) -> Path | None:
    """The Tesseract program: in ``folder`` (a setting), $REGENLOG_TESSERACT, the PATH, or
    the folders its installers use; None when it is nowhere."""
    name = "tesseract.exe" if sys.platform.startswith("win") else "tesseract"
    for given in (folder, os.environ.get(ENV_TESSERACT)):
        if given:
            candidate = Path(given)
            if candidate.is_dir():
                candidate = candidate / name
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return candidate
    found = shutil.which("tesseract")
    if found:
        return Path(found)
    for usual in _USUAL_FOLDERS.get(sys.platform, []):
        candidate = Path(usual) / name
        if candidate.is_file():
            return candidate
    return None


def ocr_words(
    image, program: Path, *, dpi: int, page: int, psm: int = 4,
    cancelled: Callable[[], bool] | None = None,
) -> list[Word]:
    """The words Tesseract reads on a grayscale PIL image, boxes in points at ``dpi``."""
    with tempfile.TemporaryDirectory(prefix="regenlog-ocr-") as folder:
        source = Path(folder) / "page.pgm"  # uncompressed: no time spent on PNG
        image.save(source)
        out = Path(folder) / "out"
        command = [
            str(program), str(source), str(out), "--dpi", str(dpi), "--psm", str(psm),
            "-l", "eng", "tsv",
        ]
        env = dict(os.environ)
        # One thread per page: faster overall on a shared machine than OpenMP's spinning.
        env.setdefault("OMP_THREAD_LIMIT", "1")
        try:
            process = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                **_no_window(),
            )
        except OSError:
            raise ReadingError(install_hint()) from None
        started = time.monotonic()
        while process.poll() is None:
            if cancelled is not None and cancelled():
                process.kill()
                process.wait()
                raise ReadingCancelled()
            if time.monotonic() - started > PAGE_TIMEOUT_SECONDS:
                process.kill()
                process.wait()
                raise ReadingError(f"OCR of page {page} took over {PAGE_TIMEOUT_SECONDS} s and was stopped.")
            time.sleep(0.02)
        errors = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
        if process.stderr:
            process.stderr.close()
        tsv = out.with_suffix(".tsv")
        if process.returncode != 0 or not tsv.exists():
            if "eng.traineddata" in errors or "language" in errors.lower():
                raise ReadingError(
                    "Tesseract has no English language data: install its English pack "
                    "(tesseract-ocr-eng) and read the file again."
                )
            raise ReadingError(f"Tesseract could not read page {page}.")
        return parse_tsv(tsv.read_text("utf-8", "replace"), dpi=dpi, page=page)


def parse_tsv(text: str, *, dpi: int, page: int) -> list[Word]:
    """Words (level 5 rows with a confidence) from Tesseract's TSV, pixels to points."""
    scale = 72 / dpi
    words: list[Word] = []
    for row in text.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue
        try:
            left, top, width, height = (int(v) for v in cells[6:10])
            confidence = float(cells[10])
        except ValueError:
            continue
        word = clean_text(cells[11]).strip()
        if not word or confidence < 0:
            continue
        words.append(Word(
            word, left * scale, top * scale, (left + width) * scale, (top + height) * scale,
            min(confidence, 100.0) / 100, page,
        ))
    return drop_noise(words)


def _no_window() -> dict:
    """On Windows, no console window flashes up for each page."""
    if sys.platform.startswith("win"):
        return {"creationflags": 0x08000000}  # CREATE_NO_WINDOW
    return {}
