"""Photos and page images made ready for OCR: opened safely, upright, at ~300 dpi, level.

Pillow refuses a decompression bomb, and a truncated or damaged file ends in one sentence.
A photo says nothing of its size on paper, so its width is taken as a letter page's.
"""

from __future__ import annotations

from pathlib import Path

from regenlog.core.reading.errors import ReadingError
from regenlog.core.reading.limits import MAX_IMAGE_PIXELS

OCR_DPI = 300
LETTER_WIDTH_INCHES = 8.5
# Small tilts only: a photo taken at an angle beyond this needs retaking, not rotating.
MAX_SKEW_DEGREES = 3.0


def heic_supported() -> bool:
    try:
        import pillow_heif  # noqa: F401
    except ImportError:
        return False
    return True


def open_image(path: Path):
    """The image as grayscale at about OCR_DPI, and that dpi; or ReadingError."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if path.suffix.lower() in (".heic", ".heif"):
        if not heic_supported():
            raise ReadingError(
                f"{path.name} is a HEIC photo, which RegenLog cannot read: save it as JPEG "
                "(on an iPhone, Settings > Camera > Formats > Most Compatible) and read that."
            )
        import pillow_heif

        pillow_heif.register_heif_opener()
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(path) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ReadingError(
                    f"{path.name} is {width} x {height} pixels, too large to be a photo of a "
                    "page; save a smaller copy and read that."
                )
            image.load()
            image = ImageOps.exif_transpose(image)
            dpi = _dpi(image)
            gray = image.convert("L")
    except ReadingError:
        raise
    except Image.DecompressionBombError:
        raise ReadingError(
            f"{path.name} is too large to be a photo of a page; save a smaller copy and read that."
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ReadingError(f"{path.name} is damaged or not an image RegenLog reads.") from None
    return normalise(gray, dpi)


def _dpi(image) -> float:
    """The resolution the file states, else the one that makes it a letter page wide."""
    stated = image.info.get("dpi")
    try:
        dpi = float(stated[0]) if stated else 0.0
    except (TypeError, ValueError, IndexError):
        dpi = 0.0
    width_at_stated = image.size[0] / dpi if dpi else 0
    # Phones stamp 72 dpi on every photo: believe a stated dpi only for a plausible page.
    if 4 <= width_at_stated <= 14:
        return dpi
    return max(image.size) / 11 if image.size[0] > image.size[1] else image.size[0] / LETTER_WIDTH_INCHES


def normalise(gray, dpi: float):
    """Scaled to about OCR_DPI (Tesseract reads 10-point text best there)."""
    from PIL import Image

    if dpi < 250 or dpi > 400:
        factor = OCR_DPI / dpi
        size = (max(1, round(gray.size[0] * factor)), max(1, round(gray.size[1] * factor)))
        if size[0] * size[1] > MAX_IMAGE_PIXELS:
            raise ReadingError("The image is too large to read; save a smaller copy.")
        gray = gray.resize(size, Image.Resampling.LANCZOS)
        dpi = OCR_DPI
    return gray, round(dpi)


def skew_angle(gray, limit: float = MAX_SKEW_DEGREES, step: float = 0.1) -> float:
    """The small rotation (degrees, counter-clockwise) that levels the text lines.

    Lines of text are level when the rows of a small, inverted copy are most unequal: dark
    text rows and white gaps between them (the projection profile's variance is highest).
    """
    from PIL import Image, ImageOps

    small = ImageOps.invert(gray.reduce(max(1, gray.size[0] // 600)))
    best, best_score = 0.0, -1.0
    steps = int(limit / step)
    for i in range(-steps, steps + 1):
        angle = i * step
        rotated = small.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=0)
        values = list(rotated.resize((1, rotated.size[1]), Image.Resampling.BOX).tobytes())
        mean = sum(values) / len(values)
        score = sum((v - mean) ** 2 for v in values)
        if score > best_score:
            best, best_score = angle, score
    return best


def deskew(gray):
    """The image levelled when it is tilted by more than a tenth of a degree."""
    from PIL import Image

    angle = skew_angle(gray)
    if abs(angle) < 0.15:
        return gray, 0.0
    return gray.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255), angle
