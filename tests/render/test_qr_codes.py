"""Every QR code the renderer draws, read back by a real decoder (zxing-cpp) and compared with the
link it must carry: notices at every size and mode, the QR card, the print sheets, the ticket,
and a code with the township logo in the middle."""
import base64
import io

import pytest
from escpos.printer import Dummy
from PIL import Image, ImageDraw

from kiosk.extensions import db
from kiosk.qr import LEVEL_NAMES, code_image, fitted_code, scanned_link
from kiosk.queue.models import Ticket
from kiosk.queue.printing import write_ticket
from tests.render.conftest import decoded, picture
from tests.render.test_endpoints import SIZES


def test_notice_qr_decodes_at_every_size_and_mode(demo_app, notice):
    client = demo_app.test_client()
    with demo_app.app_context():
        expected = scanned_link(f"http://kiosk.test/n/{notice['slug']}")
    for size in SIZES:
        for mode in ("colour", "grey", "mono"):
            image = picture(client.get(f"/api/v1/render/notices/{notice['id']}?size={size}&mode={mode}").data)
            assert decoded(image) == [expected], (size, mode)


def test_every_page_of_a_print_sheet_carries_the_notice_qr(demo_app, notice, clients, tmp_path):
    from kiosk.files.pages import page_count, page_image
    path = tmp_path / "village.pdf"
    path.write_bytes(clients("lizhuang").get("/api/v1/render/print-sheet?village=lizhuang&mode=mono").data)
    found = [decoded(page_image(path, index, 1240)) for index in range(page_count(path))]
    with demo_app.app_context():
        expected = scanned_link(f"http://kiosk.test/n/{notice['slug']}")
    assert all(len(codes) == 1 and codes[0].startswith("http://kiosk.test/n/") and codes[0].endswith("?qr")
               for codes in found)
    assert [expected] in found


def test_qr_card_and_rotation_strip_decode(demo_app, manager, board):
    screen, token = board()
    rotation = {"name": "只有二维码", "unit": "jinjia", "group": "villages", "priority": 999,
                "slides": [{"kind": "qr", "link": "http://kiosk.test/supervision", "caption": "监督举报"}]}
    response = manager.api("POST", "/api/v1/render/rotation-preview", json={"screen": screen["id"],
                                                                            "rotation": rotation})
    assert response.status_code == 200, response.get_json()
    data = response.get_json()["slides"][0]["image"].split(",", 1)[1]
    thumbnail = Image.open(io.BytesIO(base64.b64decode(data)))
    assert thumbnail.width < 300
    # The board itself shows the card at full size.
    created = manager.api("POST", "/api/v1/rotations", json=rotation)
    assert created.status_code == 201, created.get_json()
    for size in ("portrait", "epaper-800x480"):
        image = picture(demo_app.test_client().get(f"/api/v1/render/screen-now?token={token}&size={size}").data)
        with demo_app.app_context():
            expected = scanned_link("http://kiosk.test/supervision")
        assert decoded(image) == [expected], size


@pytest.mark.parametrize("dots", [384, 576])
def test_ticket_picture_for_thermal_printers(demo_app, staff, dots):
    from tests.queue.conftest import issue
    ticket = issue(staff("window1"), "A", priority="green")
    response = demo_app.test_client().get(f"/api/v1/render/tickets/{ticket['token']}?dots={dots}")
    image = picture(response.data)
    assert image.width == dots and image.mode == "1"
    with demo_app.app_context():
        assert decoded(image) == [scanned_link(f"http://kiosk.test/t/{ticket['token']}")]
    printer = Dummy()
    with demo_app.test_request_context():
        write_ticket(printer, db.session.get(Ticket, ticket["id"]), waiting_ahead=0, dots=dots)
    assert b"\x1dv0" in printer.output          # GS v 0: a raster picture, printed by every model


@pytest.mark.parametrize("dots", ["500", "-1"])
def test_a_printer_width_not_offered_is_refused_naming_the_widths(demo_app, dots):
    response = demo_app.test_client().get(f"/api/v1/render/tickets/anything?dots={dots}")
    assert response.status_code == 400
    assert response.get_json()["message"] == "打印机宽度：请从以下选择：384、576。"


def test_error_correction_follows_the_room_and_the_quiet_zone_stays():
    link = "http://kiosk.test/n/lizhuang-2026-10-finance"
    levels = []
    for pixels in (110, 140, 180, 640):
        code, module = fitted_code(link, pixels)
        image = code_image(link, pixels)
        assert decoded(image) == [link], pixels
        assert image.width <= pixels and image.width == (code.modules_count + 8) * module
        edge = 4 * module
        quiet = [image.getpixel((x, y)) for y in range(image.height) for x in range(edge)] + \
                [image.getpixel((x, y)) for y in range(edge) for x in range(image.width)]
        assert set(quiet) == {255}, pixels      # four white modules kept around the code
        levels.append(LEVEL_NAMES[code.error_correction])
    assert levels[0] in "LM" and levels[-1] == "H"
    assert levels == sorted(levels, key="LMQH".index)   # more room, never less correction


def test_a_township_logo_takes_level_h_and_still_decodes(tmp_path):
    logo = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((0, 0, 199, 199), fill=(179, 0, 27, 255))
    logo.save(tmp_path / "logo.png")
    link = "http://kiosk.test/n/wangjia-dibao-2026"
    code, _module = fitted_code(link, 400, with_logo=True)
    assert LEVEL_NAMES[code.error_correction] == "H"
    with_logo = code_image(link, 400, logo_path=str(tmp_path / "logo.png"))
    assert with_logo.getpixel((with_logo.width // 2, with_logo.height // 2)) not in (0, 255)   # the logo is there
    assert decoded(with_logo) == [link]
