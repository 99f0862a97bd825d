"""Plane geometry for page images: the perspective that maps one quadrilateral onto another.

Pillow's ``Image.transform(size, Image.Transform.PERSPECTIVE, coefficients)`` asks, for each
pixel of the output, where to take it from in the input: ``coefficients`` maps output
points to input points. ``perspective`` finds them from four corners, and ``apply`` maps a
point the same way (to carry a word's box from the straightened page back to the photo).
"""

from __future__ import annotations

Point = tuple[float, float]
Coefficients = tuple[float, float, float, float, float, float, float, float]


def perspective(output: list[Point], source: list[Point]) -> Coefficients | None:
    """The coefficients that take each of the four ``output`` corners to its ``source``
    corner; None when the corners are degenerate (three in a line)."""
    rows: list[list[float]] = []
    for (x, y), (u, v) in zip(output, source, strict=True):
        rows.append([x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u])
        rows.append([0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v])
    solved = _solve(rows)
    return None if solved is None else tuple(solved)  # type: ignore[return-value]


def apply(coefficients: Coefficients, point: Point) -> Point:
    a, b, c, d, e, f, g, h = coefficients
    x, y = point
    w = g * x + h * y + 1.0
    return (a * x + b * y + c) / w, (d * x + e * y + f) / w


def _solve(rows: list[list[float]]) -> list[float] | None:
    """Gaussian elimination with partial pivoting on an augmented n x (n+1) matrix."""
    n = len(rows)
    m = [row[:] for row in rows]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        if abs(m[pivot][col]) < 1e-12:
            return None
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col and m[r][col]:
                factor = m[r][col] / m[col][col]
                m[r] = [a - factor * b for a, b in zip(m[r], m[col], strict=True)]
    return [m[i][n] / m[i][i] for i in range(n)]
