"""Render the app icon for every platform from one drawing, ``resources/icons/app.svg``.

    uv run python packaging/make_icons.py

writes, next to the SVG: ``app-<size>.png`` (16 ... 1024), ``app.png`` (512, the Linux and
window icon), ``app.ico`` (Windows: PNG-compressed entries, valid since Windows Vista) and
``app.icns`` (macOS: the container is a short header plus typed PNG entries). The outputs are
committed, so a build never needs this script; run it again after changing the SVG. Each
size is rendered from the vector drawing, not scaled down from a big bitmap, so small icons
stay sharp.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # 256 is the largest an .ico entry can describe
# icns entry types holding PNG data, by pixel size. The @2x types (ic11 ... ic14) hold the
# same pixels as the next size up; Finder and the Dock pick whichever fits the screen.
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
    (b"ic09", 512), (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256),
    (b"ic14", 512),
)


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn at ``size`` x ``size`` pixels, antialiased, on a transparent background."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a drawable SVG.")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise SystemExit("Qt could not write a PNG.")
    buffer.close()
    return bytes(data.data())


def pack_ico(pngs: dict[int, bytes]) -> bytes:
    """An .ico file whose entries are PNG images (ICONDIR, ICONDIRENTRYs, then the data)."""
    sizes = [s for s in ICO_SIZES if s in pngs]
    header = struct.pack("<HHH", 0, 1, len(sizes))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        data = pngs[size]
        side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return header + entries + blobs


def pack_icns(pngs: dict[int, bytes]) -> bytes:
    """An .icns file: 'icns' + total length, then (type, length incl. 8-byte header, PNG)."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    svg = ICONS / "app.svg"
    pngs = {size: render_png(svg, size) for size in PNG_SIZES}
    for size, data in pngs.items():
        (ICONS / f"app-{size}.png").write_bytes(data)
    (ICONS / "app.png").write_bytes(pngs[512])
    (ICONS / "app.ico").write_bytes(pack_ico(pngs))
    (ICONS / "app.icns").write_bytes(pack_icns(pngs))
    print(f"Wrote app.png, app.ico, app.icns and {len(pngs)} PNG sizes to {ICONS}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
