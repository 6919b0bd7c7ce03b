"""PDF pages drawn as pictures (for OCR, kiosks and phones)."""
import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from kiosk.files.pages import MAX_PAGE_PIXELS, page_count, page_image


@pytest.fixture
def three_page_pdf(tmp_path):
    pages = []
    for colour in ("red", "green", "blue"):
        page = Image.new("RGB", (595, 842), "white")
        ImageDraw.Draw(page).rectangle((100, 100, 495, 742), fill=colour)
        pages.append(page)
    path = tmp_path / "ledger.pdf"
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=72)
    return path


def test_pages_are_counted_and_drawn_at_the_width_asked(three_page_pdf):
    assert page_count(three_page_pdf) == 3
    second = page_image(three_page_pdf, 1, width=600)
    assert second.mode == "RGB"
    assert second.width == 600
    assert abs(second.height - round(600 * 842 / 595)) <= 1
    red, green, blue = second.getpixel((300, 420))
    assert green > 100 and red < 60 and blue < 60
    assert second.getpixel((5, 5)) == (255, 255, 255)


def test_a_page_that_does_not_exist_is_an_index_error(three_page_pdf):
    with pytest.raises(IndexError):
        page_image(three_page_pdf, 3)


def test_a_huge_width_is_capped(three_page_pdf):
    image = page_image(three_page_pdf, 0, width=100_000)
    assert max(image.size) <= MAX_PAGE_PIXELS + 1


def test_a_page_picture_is_drawn_once_and_kept(three_page_pdf, app):
    from kiosk.files.pages import page_png

    with app.app_context():
        first = page_png(three_page_pdf, 2, 300)
        kept = list((Path(app.instance_path) / "page-pictures").iterdir())
        assert [p.name for p in kept] == [f"{three_page_pdf.name}-2-300.png"]
        assert page_png(three_page_pdf, 2, 300) == first
        with pytest.raises(IndexError):
            page_png(three_page_pdf, 3, 300)
    assert Image.open(io.BytesIO(first)).size[0] == 300


def test_a_deleted_file_takes_its_page_pictures_with_it(three_page_pdf, app):
    """A document replaced by its masked copy is deleted: its pictures must not stay on disk."""
    from kiosk.files import delete_stored, stored_path
    from kiosk.files.pages import page_png

    with app.app_context():
        name = "0123456789abcdef0123456789abcdef.pdf"
        folder = Path(app.config["KIOSK_UPLOAD_PATH"]) / "notices"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(three_page_pdf.read_bytes())
        other = "fedcba9876543210fedcba9876543210.pdf"
        (folder / other).write_bytes(three_page_pdf.read_bytes())
        for stored in (name, other):
            for page in (0, 1):
                page_png(stored_path(stored, "notices"), page, 300)
        pictures = Path(app.instance_path) / "page-pictures"
        assert len(list(pictures.iterdir())) == 4
        delete_stored(name, "notices")
        assert not (folder / name).exists()
        assert sorted(p.name for p in pictures.iterdir()) == [f"{other}-0-300.png", f"{other}-1-300.png"]
