"""Photos and page images made ready for OCR: opened safely, each frame of a TIFF, the paper
cut out of a photo and straightened, the light evened out, scaled to ~300 dpi, levelled.

Pillow refuses a decompression bomb, and a truncated or damaged file ends in one sentence.
Every step keeps a map from the prepared image back to the file's own pixels, so a value's
box is drawn where the patient sees it on the photo or the page.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from regenlog.core.reading.errors import ReadingError
from regenlog.core.reading.geometry import Point
from regenlog.core.reading.limits import MAX_IMAGE_PIXELS, MAX_OCR_PAGES

OCR_DPI = 300
LETTER_WIDTH_INCHES = 8.5
# Small tilts only: a photo taken at an angle beyond this needs retaking, not rotating.
MAX_SKEW_DEGREES = 5.0
# A sheet as tall as a letter or A4 page for its width (1.29, 1.41), not a till slip.
PAGE_ASPECT = (1.15, 1.55)


def heic_supported() -> bool:
    try:
        import pillow_heif  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(slots=True)
class Frame:
    """One page of an image file, grayscale, with square pixels."""

    image: object  # PIL image, mode "L"
    dpi: float | None  # the resolution the file states, when it is believable
    source_dpi: float  # to give its pixels in points: stated, else as wide as a letter page


def frame_count(path: Path) -> int:
    with _opened(path) as image:
        return _pages(image)


def _pages(image) -> int:
    """A TIFF's frames are pages (a fax, a scanner's multi-page file); a GIF's are an
    animation and an MPO's a camera's second view: one page."""
    return max(1, getattr(image, "n_frames", 1)) if image.format == "TIFF" else 1


def image_frames(path: Path) -> Iterator[Frame]:
    """Each frame of the file (a multi-page TIFF has several), one at a time; at most
    MAX_OCR_PAGES of them."""
    from PIL import Image, ImageOps

    with _opened(path) as image:
        count = min(_pages(image), MAX_OCR_PAGES)
        for index in range(count):
            try:
                if index:
                    image.seek(index)
                _check_size(path, image.size)
                frame = image.copy()
                frame.load()
                frame = ImageOps.exif_transpose(frame)
                dpi = _stated_dpi(frame)
                gray = frame.convert("L")
            except ReadingError:
                raise
            except Image.DecompressionBombError:
                raise ReadingError(_too_large(path)) from None
            except (OSError, SyntaxError, ValueError, EOFError):
                raise ReadingError(f"{path.name} is damaged or not an image RegenLog reads.") from None
            if dpi is not None and abs(dpi[0] - dpi[1]) > 1:
                # A fax's 204 x 98 dpi: make the pixels square, as tall as they are wide.
                size = (gray.size[0], max(1, round(gray.size[1] * dpi[0] / dpi[1])))
                _check_size(path, size)
                gray = gray.resize(size, Image.Resampling.BICUBIC)
            stated = dpi[0] if dpi is not None else None
            yield Frame(gray, stated, stated or _guess_dpi(gray.size))
            del frame, gray


class _opened:  # noqa: N801 (read as a function: with _opened(path) as image)
    """The image file opened by Pillow with its bomb guard, or ReadingError."""

    def __init__(self, path: Path):
        self.path = path
        self.image = None

    def __enter__(self):
        from PIL import Image, UnidentifiedImageError

        path = self.path
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
            self.image = Image.open(path)
        except Image.DecompressionBombError:
            raise ReadingError(_too_large(path)) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ReadingError(f"{path.name} is damaged or not an image RegenLog reads.") from None
        return self.image

    def __exit__(self, *exc) -> None:
        if self.image is not None:
            self.image.close()


def _too_large(path: Path) -> str:
    return f"{path.name} is too large to be a photo of a page; save a smaller copy and read that."


def _check_size(path: Path, size: tuple[int, int]) -> None:
    width, height = size
    if width * height > MAX_IMAGE_PIXELS:
        raise ReadingError(
            f"{path.name} is {width} x {height} pixels, too large to be a photo of a "
            "page; save a smaller copy and read that."
        )


def _stated_dpi(image) -> tuple[float, float] | None:
    """The resolution the file states, when it makes a plausible page (phones stamp 72 dpi
    on every photo, whatever it shows)."""
    stated = image.info.get("dpi")
    try:
        x, y = (float(stated[0]), float(stated[1])) if stated else (0.0, 0.0)
    except (TypeError, ValueError, IndexError):
        return None
    if x <= 0 or y <= 0 or (round(x), round(y)) == (72, 72):
        return None  # 72 dpi is what a camera writes when it knows nothing of paper
    return (x, y) if 4 <= image.size[0] / x <= 14 else None


def _guess_dpi(size: tuple[int, int]) -> float:
    """A photo says nothing of its size on paper: its width taken as a letter page's (its
    height as 11 inches when it is taken sideways)."""
    width, height = size
    return max(size) / 11 if width > height else width / LETTER_WIDTH_INCHES


@dataclass(slots=True)
class Prepared:
    """The image Tesseract reads, and where each of its pixels came from in the source."""

    image: Any  # PIL image, mode "L" (PIL loads on first use)
    dpi: int
    to_source: Callable[[Point], Point]
    paper: bool = False  # the sheet was found on a background and cut out
    angle: float = 0.0


@dataclass(slots=True)
class Steps:
    """Which preparations run (all of them, unless a benchmark compares without one)."""

    find_paper: bool = True
    even_light: bool = True
    despeckle: bool = True
    deskew: bool = True


def prepare(gray, dpi: float | None, steps: Steps | None = None) -> Prepared:
    """The page made ready for OCR. ``dpi`` is the source's resolution when known (a
    rendered PDF page, a scan that states it), None for a photo."""
    from PIL import Image

    from regenlog.core.reading.photos import even_light, find_page, straighten

    steps = steps or Steps()
    maps: list[Callable[[Point], Point]] = []
    paper = False
    corners = find_page(gray) if steps.find_paper else None
    if corners is not None:
        sheet = straighten(gray, corners)
        if sheet is not None:
            gray, paper = sheet.image, True
            maps.append(sheet.to_photo)
            if dpi is None and PAGE_ASPECT[0] <= gray.size[1] / gray.size[0] <= PAGE_ASPECT[1]:
                dpi = gray.size[0] / LETTER_WIDTH_INCHES
    if dpi is None:
        dpi = _guess_dpi(gray.size)
    if dpi < 250 or dpi > 400:
        factor = OCR_DPI / dpi
        size = (max(1, round(gray.size[0] * factor)), max(1, round(gray.size[1] * factor)))
        if size[0] * size[1] > MAX_IMAGE_PIXELS:
            raise ReadingError("The image is too large to read; save a smaller copy.")
        gray = gray.resize(size, Image.Resampling.LANCZOS)
        def unscaled(p: Point, f: float = factor) -> Point:
            return (p[0] / f, p[1] / f)

        maps.append(unscaled)
        dpi = OCR_DPI
    if steps.even_light and paper:
        gray = even_light(gray)
    elif steps.despeckle and not paper:
        gray = despeckle(gray)
    angle = 0.0
    if steps.deskew:
        gray, angle = deskew(gray)
        if angle:
            maps.append(_unrotate(angle, gray.size))

    def to_source(point: Point) -> Point:
        for step in reversed(maps):
            point = step(point)
        return point

    return Prepared(gray, round(dpi), to_source, paper, angle)


def despeckle(gray, reach: int = 3):
    """A scanner's dust and toner specks taken away, the text kept as it is.

    A median filter removes specks but thins a light font's strokes too (Courier's "CM"
    vanished from a member ID). So the median is used only away from the text: where the
    filtered page has no ink within a few pixels; near the text the page is left as it was.
    (A photo has no specks, and its blur is better kept: photos skip this.)
    """
    from PIL import Image, ImageFilter

    smooth = gray.filter(ImageFilter.MedianFilter(3))
    # Where the ink is, on a copy a third the size (a rank filter over the whole page at
    # 300 dpi takes seconds): any ink in a 3 x 3 block, widened by ``reach`` blocks.
    ink = smooth.point(lambda p: 255 if p < 140 else 0).reduce(3)
    near = ink.point(lambda p: 255 if p else 0).filter(ImageFilter.MaxFilter(reach))
    near = near.resize(gray.size, Image.Resampling.NEAREST)
    return Image.composite(gray, smooth, near)


def _unrotate(angle: float, size: tuple[int, int]) -> Callable[[Point], Point]:
    """Where a pixel of ``image.rotate(angle)`` (about its centre, same size) came from:
    the same affine map Pillow uses."""
    theta = -math.radians(angle)
    cos, sin = math.cos(theta), math.sin(theta)
    cx, cy = size[0] / 2, size[1] / 2

    def back(point: Point) -> Point:
        x, y = point[0] - cx, point[1] - cy
        return cos * x + sin * y + cx, -sin * x + cos * y + cy

    return back


def skew_angle(gray, limit: float = MAX_SKEW_DEGREES, step: float = 0.1) -> float:
    """The small rotation (degrees, counter-clockwise) that levels the text lines.

    Lines of text are level when the rows of a small, inverted copy are most unequal: dark
    text rows and white gaps between them (the projection profile's variance is highest).
    Searched in quarter degrees first, then in ``step`` around the best.
    """
    from PIL import Image, ImageOps

    small = ImageOps.invert(gray.reduce(max(1, gray.size[0] // 600)))

    def score(angle: float) -> float:
        rotated = small.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=0)
        values = rotated.resize((1, rotated.size[1]), Image.Resampling.BOX).tobytes()
        mean = sum(values) / len(values)
        return sum((v - mean) ** 2 for v in values)

    coarse = 0.25
    angles = [i * coarse for i in range(-int(limit / coarse), int(limit / coarse) + 1)]
    best = max(angles, key=score)
    fine = [best + i * step for i in range(-int(coarse / step), int(coarse / step) + 1)]
    chosen: float = max((a for a in fine if abs(a) <= limit), key=score)
    return round(chosen, 2)


def deskew(gray):
    """The image levelled when it is tilted by more than a tenth of a degree."""
    from PIL import Image

    angle = skew_angle(gray)
    if abs(angle) < 0.15:
        return gray, 0.0
    return gray.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255), angle
