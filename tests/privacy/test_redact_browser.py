"""Drawing a box over a picture attachment in the staff page: the server blacks out that box."""
import io

import pytest
from PIL import Image

from tests.disclosures.test_uploads import upload


def _picture() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1000, 500), "#f5f0e6").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.browser
def test_a_box_dragged_on_the_picture_is_blacked_out(demo_app, live_server, page, clients, draft):
    lizhuang = clients("lizhuang")
    notice = draft()
    sent = upload(lizhuang, notice["id"], _picture(), "账页照片.png").get_json()
    server = live_server(demo_app)
    page.goto(f"{server.url}/staff/login")
    page.fill("input[name=username]", "lizhuang")
    page.fill("input[name=password]", "jinjia-demo")
    page.click("button[type=submit]")
    page.goto(f"{server.url}/staff/notices/{notice['id']}#attachments")
    image = page.locator("form.redact img")
    image.scroll_into_view_if_needed()
    image.evaluate("img => img.decode()")
    shown = image.bounding_box()
    scale = 1000 / shown["width"]
    # Drag over the picture's middle tenth: 450..550 × 200..300 in its own pixels.
    page.mouse.move(shown["x"] + 450 / scale, shown["y"] + 200 / scale)
    page.mouse.down()
    page.mouse.move(shown["x"] + 550 / scale, shown["y"] + 300 / scale, steps=5)
    page.mouse.up()
    left, top, right, bottom = (int(v) for v in page.input_value("form.redact input[name=boxes]").split(","))
    assert abs(left - 450) <= 3 and abs(top - 200) <= 3 and abs(right - 550) <= 3 and abs(bottom - 300) <= 3
    page.click("form.redact button[type=submit]")
    page.wait_for_selector("[data-check-state=pending]")
    attachment = lizhuang.api("get", f"/api/v1/notices/{notice['id']}").get_json()["attachments"][0]
    assert attachment["url"] != sent["url"]
    with Image.open(io.BytesIO(lizhuang.get(attachment["url"]).data)) as painted:
        assert painted.convert("RGB").getpixel((500, 250)) == (0, 0, 0)
        assert painted.convert("RGB").getpixel((100, 100)) == (0xf5, 0xf0, 0xe6)
