"""A phone photo made into a page: the paper found on the table, straightened and evened out.

A photo shows more than the page (a table, a hand, a shadow), seen at a slant, lit from one
side and at whatever resolution the phone chose. Tesseract reads a flat, level page with
dark text on white at about 300 dpi, so before OCR:

1. the paper is found as the largest bright region of a small copy, and its four corners
   are taken (the region's extreme points along the diagonals);
2. the quadrilateral they make is mapped onto a rectangle (a perspective transform), which
   also levels a photo taken at a tilt;
3. the light is evened out (each pixel divided by the paper's brightness around it), so a
   shadowed corner is as white as a lit one.

Each step is kept only because it raised the photo recall of ``benchmarks/reading.py``
(figures in docs/reading.md). Pillow only: no numpy, no OpenCV.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from regenlog.core.reading.geometry import Point, apply, perspective

# The small copy the paper is looked for in: enough to place a corner within a pixel or two
# of a 4,000-pixel photo's edge, small enough for a pure-Python region search.
FIND_SIZE = 320
# The paper must cover this share of the photo and most of the quadrilateral it spans.
MIN_PAGE_SHARE = 0.12
MIN_FILL = 0.90
# The table around a sheet is at most this bright, against the paper just inside its edge.
DARKER_GROUND = 0.75
# How far from a rectangle the sheet may look: a phone held a little off square.
MIN_SIDE_RATIO = 0.8
MAX_CORNER_SKEW = 15.0  # degrees from a right angle
# A region touching the photo's edges all round is the page itself (a scan): nothing to crop.
MAX_PAGE_SHARE = 0.97


@dataclass(slots=True)
class Straightened:
    """The page cut out of the photo, and how to find a point of it in the photo again."""

    image: object  # PIL image, grayscale
    corners: list[Point]  # the paper's corners in the photo: top-left, top-right, ...
    to_photo: Callable[[Point], Point]


def otsu(histogram: list[int]) -> int:
    """The grey level that best splits a 256-bin histogram into dark and light."""
    total = sum(histogram)
    if total == 0:
        return 128
    weighted = sum(i * h for i, h in enumerate(histogram))
    below = below_sum = 0.0
    best, best_level = -1.0, 128
    for level in range(256):
        below += histogram[level]
        if below == 0:
            continue
        above = total - below
        if above == 0:
            break
        below_sum += level * histogram[level]
        mean_below = below_sum / below
        mean_above = (weighted - below_sum) / above
        between = below * above * (mean_below - mean_above) ** 2
        if between > best:
            best, best_level = between, level
    return best_level


def find_page(gray) -> list[Point] | None:
    """The paper's corners (top-left, top-right, bottom-right, bottom-left) in ``gray``'s
    pixels, when a sheet lies on something darker; None for a scan or an unclear photo."""
    from PIL import Image, ImageFilter

    scale = max(gray.size) / FIND_SIZE
    if scale <= 1:
        scale = 1.0
        small = gray
    else:
        small = gray.resize((max(1, round(gray.size[0] / scale)), max(1, round(gray.size[1] / scale))),
                            Image.Resampling.BOX)
    # Text is dark on the paper: a median over a few pixels leaves paper, not letters.
    small = small.filter(ImageFilter.MedianFilter(5))
    level = otsu(small.histogram())
    mask = small.point(lambda p: 255 if p > level else 0)
    width, height = mask.size
    region = _largest_region(mask.tobytes(), width, height)
    if region is None:
        return None
    pixels, count = region
    share = count / (width * height)
    if share < MIN_PAGE_SHARE or share > MAX_PAGE_SHARE:
        return None
    corners = _corners(pixels, width)
    if _area(corners) <= 0 or count / _area(corners) < MIN_FILL:
        return None  # not a four-sided sheet (a hand, a glare, two pages)
    if _touches_all_edges(corners, width, height) or not _sheet_like(corners):
        return None
    if not _on_darker_ground(small, corners):
        return None
    return [((x + 0.5) * scale, (y + 0.5) * scale) for x, y in corners]


def _on_darker_ground(small, corners: list[Point], reach: int = 4) -> bool:
    """True when what lies just outside the sheet's free edges is clearly darker than just
    inside them: a table, not the same paper a shade dimmer (a close-up's light falling off
    makes a straight-edged bright part that is no sheet)."""
    width, height = small.size
    pixels = small.load()
    cx = sum(x for x, _ in corners) / 4
    cy = sum(y for _, y in corners) / 4
    inside: list[int] = []
    outside: list[int] = []
    for (x0, y0), (x1, y1) in zip(corners, corners[1:] + corners[:1], strict=True):
        length = _distance((x0, y0), (x1, y1))
        nx, ny = (y1 - y0) / length, -(x1 - x0) / length  # a normal, turned away from the middle
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        if nx * (mx - cx) + ny * (my - cy) < 0:
            nx, ny = -nx, -ny
        for step in range(1, 20):
            t = step / 20
            px, py = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
            ox, oy = round(px + nx * reach), round(py + ny * reach)
            ix, iy = round(px - nx * reach), round(py - ny * reach)
            if 0 <= ox < width and 0 <= oy < height and 0 <= ix < width and 0 <= iy < height:
                outside.append(pixels[ox, oy])
                inside.append(pixels[ix, iy])
    if len(outside) < 10:
        return True  # the sheet runs off the photo all round: nothing to compare
    outside.sort()
    inside.sort()
    return outside[len(outside) // 2] < DARKER_GROUND * inside[len(inside) // 2]


def _sheet_like(corners: list[Point]) -> bool:
    """A rectangle seen a little from one side: opposite edges of like length, corners near
    square. A close-up lit from one side splits into a bright wedge that is neither, and
    cutting the page to it would cut text away."""
    import math

    sides = [_distance(a, b) for a, b in zip(corners, corners[1:] + corners[:1], strict=True)]
    if min(sides) <= 0:
        return False
    for a, b in ((sides[0], sides[2]), (sides[1], sides[3])):
        if min(a, b) / max(a, b) < MIN_SIDE_RATIO:
            return False
    for i in range(4):
        (ax, ay), (bx, by), (cx, cy) = corners[i - 1], corners[i], corners[(i + 1) % 4]
        u, v = (ax - bx, ay - by), (cx - bx, cy - by)
        cosine = (u[0] * v[0] + u[1] * v[1]) / (math.hypot(*u) * math.hypot(*v))
        if abs(cosine) > math.sin(math.radians(MAX_CORNER_SKEW)):
            return False
    return True


def _largest_region(mask: bytes, width: int, height: int) -> tuple[list[int], int] | None:
    """The pixel indexes of the largest 4-connected bright region, and its size."""
    seen = bytearray(len(mask))
    best: list[int] = []
    for start in range(len(mask)):
        if not mask[start] or seen[start]:
            continue
        seen[start] = 1
        stack, region = [start], []
        while stack:
            index = stack.pop()
            region.append(index)
            x = index % width
            for neighbour, ok in ((index - 1, x > 0), (index + 1, x < width - 1),
                                  (index - width, index >= width),
                                  (index + width, index < len(mask) - width)):
                if ok and mask[neighbour] and not seen[neighbour]:
                    seen[neighbour] = 1
                    stack.append(neighbour)
        if len(region) > len(best):
            best = region
    return (best, len(best)) if best else None


def _corners(pixels: list[int], width: int) -> list[Point]:
    """The region's extreme points along the diagonals: a sheet's corners at any tilt
    short of 45 degrees."""
    tl = tr = br = bl = None
    tl_v = br_v = tr_v = bl_v = None
    for index in pixels:
        x, y = index % width, index // width
        s, d = x + y, x - y
        if tl_v is None or s < tl_v:
            tl, tl_v = (x, y), s
        if br_v is None or s > br_v:
            br, br_v = (x + 1, y + 1), s
        if tr_v is None or d > tr_v:
            tr, tr_v = (x + 1, y), d
        if bl_v is None or d < bl_v:
            bl, bl_v = (x, y + 1), d
    return [tl, tr, br, bl]  # type: ignore[list-item]


def _area(corners: list[Point]) -> float:
    total = 0.0
    for (x0, y0), (x1, y1) in zip(corners, corners[1:] + corners[:1], strict=True):
        total += x0 * y1 - x1 * y0
    return abs(total) / 2


def _touches_all_edges(corners: list[Point], width: int, height: int) -> bool:
    xs = [x for x, _ in corners]
    ys = [y for _, y in corners]
    return min(xs) <= 1 and min(ys) <= 1 and max(xs) >= width - 1 and max(ys) >= height - 1


def _distance(a: Point, b: Point) -> float:
    return ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5


def straighten(gray, corners: list[Point], inset: float = 0.004) -> Straightened | None:
    """The sheet inside ``corners`` mapped onto an upright rectangle at the photo's
    resolution (its longer edges kept); None when the corners make no usable sheet."""
    from PIL import Image

    tl, tr, br, bl = corners
    width = round(max(_distance(tl, tr), _distance(bl, br)))
    height = round(max(_distance(tl, bl), _distance(tr, br)))
    if width < 50 or height < 50:
        return None
    # A little inside the edges: the paper's rim and its shadow are not text.
    dx, dy = inset * width, inset * height
    inner_w, inner_h = round(width - 2 * dx), round(height - 2 * dy)
    coefficients = perspective([(0, 0), (width, 0), (width, height), (0, height)], corners)
    if coefficients is None:
        return None
    inner = perspective(
        [(0, 0), (inner_w, 0), (inner_w, inner_h), (0, inner_h)],
        [apply(coefficients, (dx, dy)), apply(coefficients, (width - dx, dy)),
         apply(coefficients, (width - dx, height - dy)), apply(coefficients, (dx, height - dy))],
    )
    if inner is None:
        return None
    image = gray.transform((inner_w, inner_h), Image.Transform.PERSPECTIVE, inner,
                           Image.Resampling.BICUBIC, fillcolor=255)
    return Straightened(image, corners, lambda point: apply(inner, point))


def even_light(gray, radius: int = 0):
    """Each pixel divided by the paper's brightness around it: a shadow or a lamp's
    gradient flattened to white paper, the text as dark as it was against its own paper."""
    from PIL import Image, ImageFilter, ImageMath

    size = gray.size
    radius = radius or max(8, min(size) // 40)
    step = max(1, radius // 3)
    small = gray.reduce(step) if step > 1 else gray
    # The paper's brightness: the brightest values nearby (text is narrow, paper is not).
    background = small.filter(ImageFilter.MaxFilter(_odd(2 * radius // step + 1)))
    background = background.filter(ImageFilter.BoxBlur(max(1, radius // step)))
    background = background.resize(size, Image.Resampling.BILINEAR)
    flat = Image.new("L", size, 255)
    # In bands: a whole page in floating point would take four bytes a pixel several times.
    for top in range(0, size[1], 256):
        band = (0, top, size[0], min(size[1], top + 256))
        part = ImageMath.lambda_eval(
            lambda a: a["convert"](a["min"](a["g"] * 255 / a["max"](a["b"], 1), 255), "L"),
            g=gray.crop(band).convert("F"), b=background.crop(band).convert("F"),
        )
        flat.paste(part, band[:2])
    return flat


def _odd(n: int) -> int:
    n = max(3, n)
    return n if n % 2 else n + 1
