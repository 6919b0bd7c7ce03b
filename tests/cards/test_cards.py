"""明白卡: a notice's and a guide's card sheet as the township's printer gets it, read back from the
PDF: an A4 page at 300 dpi with the card four times (one QR code in each quarter, each decoding
to the notice's or guide's public page), cut marks on the cut lines, the text clear of the cuts."""

import pypdfium2
import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from kiosk.cards.drawing import CARD_MARGIN, MARK_FROM, MARK_TO, SHEET
from kiosk.disclosures.models import Notice, NoticeState
from kiosk.extensions import db
from kiosk.qr import public_url, scanned_link
from kiosk.touch.models import ServiceGuide

DARK, LIGHT = 100, 200


@pytest.fixture
def demo_ids(demo_app):
    with demo_app.app_context():
        draft = db.session.scalar(select(Notice).where(Notice.pre_disclosure.is_(True),
                                                       Notice.state == NoticeState.showing))
        unpublished = db.session.scalar(select(Notice).where(Notice.state == NoticeState.draft))
        guide = db.session.scalar(select(ServiceGuide).order_by(ServiceGuide.id))
        return {"notice": draft.id, "slug": draft.slug, "unpublished": unpublished.id, "guide": guide.id}


def page_of(pdf: bytes) -> Image.Image:
    """The PDF's only page drawn at 300 dpi, as the printer would."""
    document = pypdfium2.PdfDocument(pdf)
    assert len(document) == 1
    page = document[0]
    assert (round(page.get_width() / 72 * 25.4), round(page.get_height() / 72 * 25.4)) == (210, 297)   # A4 in mm
    return page.render(scale=300 / 72).to_pil().convert("L")


def codes_by_quarter(picture: Image.Image) -> dict[tuple[int, int], str]:
    found = {}
    for code in zxingcpp.read_barcodes(picture):
        corners = [code.position.top_left, code.position.top_right, code.position.bottom_left, code.position.bottom_right]
        x, y = sum(p.x for p in corners) / 4, sum(p.y for p in corners) / 4
        found[(int(x >= picture.width / 2), int(y >= picture.height / 2))] = code.text
    return found


def test_a_notice_card_sheet_has_four_cards_with_its_qr_and_cut_marks(demo_app, staff, demo_ids):
    response = staff("editor").get(f"/api/v1/render/household-cards?notice={demo_ids['notice']}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    picture = page_of(response.data)
    assert abs(picture.width - SHEET[0]) <= 1 and abs(picture.height - SHEET[1]) <= 1   # 300 dpi, pdfium rounds up
    with demo_app.test_request_context():
        link = scanned_link(public_url(f"n/{demo_ids['slug']}"))
    assert codes_by_quarter(picture) == {(0, 0): link, (1, 0): link, (0, 1): link, (1, 1): link}

    (width, height), (cx, cy) = SHEET, (SHEET[0] // 2, SHEET[1] // 2)
    marks = [(cx, (MARK_FROM + MARK_TO) // 2), (cx, height - (MARK_FROM + MARK_TO) // 2),
             ((MARK_FROM + MARK_TO) // 2, cy), (width - (MARK_FROM + MARK_TO) // 2, cy), (cx, cy)]
    assert all(picture.getpixel(point) < DARK for point in marks), [picture.getpixel(p) for p in marks]
    # Nothing else on the cut lines: the cards keep their margin, so the blade cuts blank paper.
    cut_lines = [(cx, y) for y in range(MARK_TO + 10, height - MARK_TO - 10, 7) if abs(y - cy) > 40]
    cut_lines += [(x, cy) for x in range(MARK_TO + 10, width - MARK_TO - 10, 7) if abs(x - cx) > 40]
    assert all(picture.getpixel(point) > LIGHT for point in cut_lines)
    # Each card's band sits inside its quarter at the margin, the same in all four.
    bands = [picture.getpixel((x + CARD_MARGIN + 10, y + CARD_MARGIN + 10)) for x in (0, cx) for y in (0, cy)]
    assert all(value < LIGHT for value in bands) and max(bands) - min(bands) <= 4   # JPEG in the PDF
    assert picture.getpixel((CARD_MARGIN // 2, CARD_MARGIN // 2)) > LIGHT


def test_a_guide_card_and_a_black_and_white_printer(demo_app, staff, demo_ids):
    response = staff("admin").get(f"/api/v1/render/household-cards?guide={demo_ids['guide']}&mode=mono")
    assert response.status_code == 200
    picture = page_of(response.data)
    with demo_app.test_request_context():
        link = scanned_link(public_url(f"service-guides/{demo_ids['guide']}"))
    assert set(codes_by_quarter(picture).values()) == {link} and len(codes_by_quarter(picture)) == 4
    assert b"/CCITTFaxDecode" in response.data and b"/DCTDecode" not in response.data   # a 1-bit page, lossless


def test_only_published_notices_and_one_source(staff, demo_app, demo_ids):
    editor = staff("editor")
    assert editor.get(f"/api/v1/render/household-cards?notice={demo_ids['unpublished']}").status_code == 404
    assert editor.get("/api/v1/render/household-cards").status_code == 400
    both = editor.get(f"/api/v1/render/household-cards?notice={demo_ids['notice']}&guide={demo_ids['guide']}")
    assert both.status_code == 400 and "办事指南" in both.get_json()["message"]
    assert demo_app.test_client().get(f"/api/v1/render/household-cards?notice={demo_ids['notice']}").status_code == 401
    page = editor.get(f"/staff/notices/{demo_ids['notice']}").get_data(as_text=True)
    assert f"/api/v1/render/household-cards?notice={demo_ids['notice']}" in page
    guide_form = staff("admin").get(f"/staff/touch/guides/{demo_ids['guide']}").get_data(as_text=True)
    assert f"/api/v1/render/household-cards?guide={demo_ids['guide']}" in guide_form
