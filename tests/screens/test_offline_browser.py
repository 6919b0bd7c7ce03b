"""The player through an outage: keeps cycling (pictures included) through a reload while offline,
and shows what changed meanwhile within seconds of the link returning."""
import io

import pytest

from tests.screens.conftest import png_bytes, ready_for_an_outage

pytestmark = pytest.mark.browser

SHOWN = ".layer.shown .slide"
OUTAGE_SECONDS = 50


def slide_kinds_for(page, seconds: int) -> set[str]:
    seen = set()
    for _ in range(seconds):
        kind = page.evaluate("() => document.querySelector('.layer.shown .slide')?.classList[1] || ''")
        seen.add(kind)
        page.wait_for_timeout(1000)
    return seen - {""}


def test_the_player_survives_an_outage_with_a_reload(demo_app, live_server, browser, new_screen, manager):
    server = live_server(demo_app)
    upload = manager.http.post("/api/v1/slide-images", headers={"X-CSRFToken": manager.csrf}, data={
        "unit": "lizhuang", "picture": (io.BytesIO(png_bytes()), "村容村貌.png")})
    assert upload.status_code == 201, upload.get_json()
    image_id = upload.get_json()["id"]
    rotation = manager.api("POST", "/api/v1/rotations", json={
        "name": "李庄村 测试轮播", "unit": "lizhuang", "group": "board", "priority": 100, "slides": [
            {"kind": "image", "duration": 3, "image_id": image_id, "caption": "村容村貌"},
            {"kind": "qr", "duration": 3, "link": "https://www.12388.gov.cn/", "caption": "举报电话 12388"},
            {"kind": "clock", "duration": 3, "welcome": "村务公开 接受监督"}]})
    assert rotation.status_code == 201, rotation.get_json()
    _screen, path = new_screen(groups=(("lizhuang", "board"),))

    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1080, "height": 1920})
    page = context.new_page()
    try:
        page.goto(server.url + path)
        page.wait_for_selector(f"{SHOWN}.picture", timeout=15000)
        ready_for_an_outage(page)
        page.wait_for_function("""async () => {
            const cache = await caches.open('kiosk-media-v1');
            return (await cache.keys()).length >= 2;
        }""", timeout=10000)

        context.set_offline(True)
        assert {"picture", "qrcard", "clockface"} <= slide_kinds_for(page, OUTAGE_SECONDS // 2 - 5)

        # Chromium's offline emulation leaves an open WebSocket alone; a reload cuts it for good.
        page.reload()  # answered by the service worker; the state comes from localStorage
        page.wait_for_selector("#offline:not([hidden])", timeout=10000)
        page.wait_for_selector(f"{SHOWN}.picture img", timeout=15000)
        page.wait_for_function("() => document.querySelector('.layer.shown .picture img')?.naturalWidth > 0",
                               timeout=5000)
        # made while the screen is cut off
        assert manager.api("POST", "/api/v1/rotations", json={
            "name": "李庄村 临时通知", "unit": "lizhuang", "group": "board", "priority": 200,
            "slides": [{"kind": "clock", "duration": 30, "welcome": "今晚七点召开村民代表会议"}]}).status_code == 201
        assert {"picture", "qrcard", "clockface"} <= slide_kinds_for(page, OUTAGE_SECONDS // 2 - 5)
        assert "今晚七点" not in page.inner_text("#stage")

        context.set_offline(False)
        # At once, not at the end of the socket's back-off, which has grown to 2.5-5 s by now.
        page.wait_for_selector(f"{SHOWN} .welcome:has-text('今晚七点召开村民代表会议')", timeout=2000)
        page.wait_for_selector("#offline", state="hidden", timeout=5000)
    finally:
        context.close()
