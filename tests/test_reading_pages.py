"""Pages as files hold them: turned by the PDF's /Rotate, several frames in one TIFF. A
patient sees the page upright in a viewer, so RegenLog reads it upright and puts each box on
the page as shown."""

from pathlib import Path

import pytest

from regenlog.core.reading import find_tesseract, read_document

DEMO = Path(__file__).resolve().parent.parent / "resources" / "demo" / "files"
RECEIPT = DEMO / "elbow-prp-receipt-2026-03-12.pdf"


def fields(result):
    return {name: p.as_json()["value"] for name, p in result.fields.items()}


def turned(source: Path, out: Path, rotate: int) -> Path:
    """The page's content drawn turned in the file, with /Rotate turning it back upright (as
    a viewer's "rotate page" or a scanner fed sideways leaves it)."""
    from pypdf import PdfReader, PdfWriter, Transformation

    writer = PdfWriter(clone_from=PdfReader(source))
    page = writer.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    # Content turned counter-clockwise by `rotate`; /Rotate turns it clockwise back.
    move = {90: (height, 0), 180: (width, height), 270: (0, width)}[rotate]
    page.add_transformation(Transformation().rotate(rotate).translate(*move))
    if rotate in (90, 270):
        page.mediabox.upper_right = (height, width)
    page.cropbox = page.mediabox
    page.rotation = rotate
    with out.open("wb") as stream:
        writer.write(stream)
    return out


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_a_page_turned_by_rotate_reads_as_the_upright_page_with_its_boxes(tmp_path, rotate):
    upright = read_document(RECEIPT)
    result = read_document(turned(RECEIPT, tmp_path / f"turned-{rotate}.pdf", rotate))
    assert (result.kind, result.method) == ("receipt", "text")
    assert fields(result) == fields(upright)
    for name, proposal in upright.fields.items():
        assert proposal.box.as_list() == pytest.approx(result.fields[name].box.as_list(), abs=1.5), name
    assert [(ln.code, ln.charge_cents) for ln in result.lines] == [("0232T", 85000)]


@pytest.mark.skipif(find_tesseract() is None, reason="Tesseract is not installed here")
def test_every_frame_of_a_faxed_tiff_is_read_as_a_page(tmp_path):
    """A fax arrives as a multi-page TIFF at 204 x 196 dpi: a cover sheet, then the receipt."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    cover = Image.new("L", (1734, 2156), 255)
    ImageDraw.Draw(cover).text((200, 200), "FAX COVER SHEET", fill=0, font_size=60)
    document = pdfium.PdfDocument(str(RECEIPT))
    try:
        page = document[0]
        # 204 dpi across, 196 down: the fax's "fine" pixels are not square.
        receipt = page.render(scale=204 / 72, grayscale=True).to_pil().convert("L")
        receipt = receipt.resize((receipt.width, round(receipt.height * 196 / 204)))
        page.close()
    finally:
        document.close()
    path = tmp_path / "fax.tif"
    cover.save(path, "TIFF", dpi=(204, 196), save_all=True, append_images=[receipt],
               compression="tiff_lzw")
    result = read_document(path)
    assert (result.kind, result.method, result.pages) == ("receipt", "ocr", 2)
    values = fields(result)
    assert values["receipt_number"] == "BSS-10377" and values["total_cents"] == 85000
    assert values["provider_npi"] == "1837204654" and values["date_of_service"] == "2026-03-12"
    assert {p.page for p in result.fields.values()} == {2}
    # Boxes are in the page's points: the receipt number in the upper quarter of a letter page.
    box = result.fields["receipt_number"].box
    assert 0 < box.y0 < box.y1 < 792 / 4 and 0 < box.x0 < box.x1 < 612


@pytest.mark.skipif(find_tesseract() is None, reason="Tesseract is not installed here")
def test_an_animated_gif_is_one_picture_not_pages(tmp_path):
    from PIL import Image

    frames = [Image.new("L", (400, 500), shade) for shade in (250, 240, 230)]
    path = tmp_path / "moving.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100)
    assert read_document(path).pages == 1


def test_a_close_up_lit_from_one_side_is_not_cut_to_its_bright_part(tmp_path):
    """A photo taken so close that the page fills it: the light falls off across it, and the
    bright wedge is not a sheet on a table (cutting to it would cut text away)."""
    from PIL import Image
    from reading_corpus import write_corpus

    from regenlog.core.reading.images import image_frames
    from regenlog.core.reading.photos import find_page

    made = write_corpus(tmp_path, count=2, seed=1, photos=2)
    path = next(p for p, _ in made if p.name == "001-superbill-photo.jpg")
    corners = find_page(next(image_frames(path)).image)
    assert corners is not None  # on the table, the sheet is found
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    close = Image.open(path).crop((int(min(xs)) + 40, int(min(ys)) + 40,
                                   int(max(xs)) - 40, int(max(ys)) - 40))
    close.save(tmp_path / "close.jpg", quality=85)
    assert find_page(next(image_frames(tmp_path / "close.jpg")).image) is None
    # A close-up whose bright part is a near-rectangle, edged by the same paper a shade
    # dimmer: the sheet's edges must have a darker table beyond them.
    [(path, _)] = [m for m in write_corpus(tmp_path / "near", count=3, seed=1, closeups=3)
                   if m[0].name == "002-eob-closeup.jpg"]
    assert find_page(next(image_frames(path)).image) is None
