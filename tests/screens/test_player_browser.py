"""The player in a real Chromium: the demo rotation, live staff changes, urgent notices, revocation."""
import time

import pytest

from tests.screens.conftest import group_id

pytestmark = pytest.mark.browser

SHOWN = ".layer.shown .slide"


@pytest.fixture
def open_player(demo_app, live_server, browser, new_screen):
    """open_player(width, height, **screen) → (page, screen JSON) of a new screen's player."""
    server = live_server(demo_app)
    contexts = []

    def open_(width=1080, height=1920, **screen_args):
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai",
                                      viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        screen, path = new_screen(**screen_args)
        page.goto(server.url + path)
        return page, screen
    yield open_
    for context in contexts:
        context.close()


def test_player_opened_from_its_url_shows_the_demo_rotation(open_player):
    page, _screen = open_player()
    page.wait_for_selector(f"{SHOWN}.clockface .welcome:has-text('村务公开 接受监督')", timeout=10000)
    assert "李庄村" in page.inner_text("#place")
    assert "token" not in page.url  # the device token does not stay in the address bar
    # then the notices showing in 李庄村 (the disclosures and touch kiosk demos), each with its QR code; the
    # touch demo's newest notice (a long one, several pages) plays first, so wait for a notice, not for 低保对象公示
    page.wait_for_selector(f"{SHOWN}.notice .title", timeout=15000)
    assert any(title in page.inner_text(f"{SHOWN}.notice .title")
               for title in ("李庄村2026年村级公益事业建设项目公示", "低保对象公示"))
    assert page.eval_on_selector(f"{SHOWN}.notice .qr img", "img => img.naturalWidth") > 0


def test_a_staff_change_reaches_the_player_without_reload(open_player, manager, demo_app):
    page, _screen = open_player()
    page.wait_for_selector(f"{SHOWN}.clockface", timeout=10000)
    rotations = manager.api("GET", "/api/v1/rotations").get_json()["rotations"]
    day = next(r for r in rotations if r["name"] == "村务公开栏 日间轮播")
    day["slides"][0]["welcome"] = "今晚七点召开村民代表会议"
    body = {k: v for k, v in day.items() if k not in ("id", "group_id")}
    assert manager.api("PUT", f"/api/v1/rotations/{day['id']}", json=body).status_code == 200
    page.wait_for_selector(f"{SHOWN}.clockface .welcome:has-text('今晚七点召开村民代表会议')", timeout=5000)


def test_an_urgent_notice_interrupts_and_clearing_resumes(open_player, manager, demo_app):
    page, screen = open_player()
    page.wait_for_selector(f"{SHOWN}.clockface", timeout=10000)
    response = manager.api("POST", "/api/v1/urgent-notices", json={
        "unit": "jinjia", "title": "暴雨红色预警", "body": "请村民立即转移到村委会避险。",
        "groups": [group_id(demo_app, "villages")]})
    assert response.status_code == 201, response.get_json()
    urgent = response.get_json()
    page.wait_for_selector("#urgent:not([hidden]) .urgent-title:has-text('暴雨红色预警')", timeout=3000)
    page.screenshot(path="/tmp/screens-urgent.png")
    # the player confirms the arrival, which the staff page shows per screen
    page.wait_for_function("() => true")
    for _attempt in range(20):
        arrivals = manager.api("GET", f"/api/v1/urgent-notices/{urgent['id']}").get_json()["arrivals"]
        mine = next(a for a in arrivals if a["screen"] == screen["id"])
        if mine["shown_at"]:
            break
        page.wait_for_timeout(200)
    assert mine["shown_at"] and mine["online"]
    assert manager.api("POST", f"/api/v1/urgent-notices/{urgent['id']}/clear").status_code == 200
    page.wait_for_selector("#urgent", state="hidden", timeout=3000)
    page.wait_for_selector(SHOWN, timeout=3000)


def slow_pictures(app, seconds: float) -> None:
    """The notices' QR codes take `seconds` to arrive, as over a village's slow link."""
    serve = app.wsgi_app

    def slow(environ, start_response):
        if environ["PATH_INFO"].startswith("/qr/"):
            time.sleep(seconds)
        return serve(environ, start_response)
    app.wsgi_app = slow


def test_a_slide_whose_pictures_are_slow_is_not_lost_to_the_slide_before(open_player, manager, demo_app):
    # The clear comes while the clock page that was just shown is still fading in: the notice after it
    # is drawn into the layer the clock left, whose emptying must not take the notice with it.
    slow_pictures(demo_app, 1.5)
    page, _screen = open_player()
    page.wait_for_selector(f"{SHOWN}.clockface", timeout=10000)
    urgent = manager.api("POST", "/api/v1/urgent-notices", json={
        "unit": "jinjia", "title": "停电通知", "body": "今天下午停电。",
        "groups": [group_id(demo_app, "villages")]}).get_json()
    assert manager.api("POST", f"/api/v1/urgent-notices/{urgent['id']}/clear").status_code == 200
    page.wait_for_selector(f"{SHOWN}.notice .qr img", timeout=5000)
    page.wait_for_timeout(1000)  # past the fade of every swap so far
    assert page.locator(f"{SHOWN}.notice .title").is_visible()


def test_a_picture_whose_first_load_fails_is_asked_for_again_not_shown_blank(demo_app, live_server, browser,
                                                                            new_screen):
    # The link drops the first time the screen's <img> asks for each QR code (the player's own media
    # download, a fetch, goes through): the notice still shows its code, on its first showing too.
    server = live_server(demo_app)
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", service_workers="block",
                                  viewport={"width": 1080, "height": 1920})
    dropped = set()

    def drop_once(route):
        request = route.request
        if request.resource_type == "image" and "/qr/" in request.url and request.url not in dropped:
            dropped.add(request.url)
            route.abort("internetdisconnected")
        else:
            route.continue_()
    context.route("**/*", drop_once)  # (routing also keeps the HTTP cache out of the way)
    try:
        page = context.new_page()
        _screen, path = new_screen()
        page.goto(server.url + path)
        page.wait_for_selector(f"{SHOWN}.notice .qr img", state="attached", timeout=15000)
        drawn = page.evaluate("""() => { const image = document.querySelector('.layer.shown .notice .qr img');
                                          return {width: image.naturalWidth, hidden: image.className}; }""")
        assert dropped and drawn["width"] > 0 and drawn["hidden"] == "", (dropped, drawn)
    finally:
        context.close()


def test_a_picture_that_never_loads_does_not_hold_its_slide_back(demo_app, live_server, browser, new_screen):
    server = live_server(demo_app)
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", service_workers="block",
                                  viewport={"width": 1080, "height": 1920})
    context.route("**/qr/**", lambda route: route.abort("internetdisconnected")
                  if route.request.resource_type == "image" else route.continue_())
    try:
        page = context.new_page()
        _screen, path = new_screen()
        page.goto(server.url + path)
        page.wait_for_selector(f"{SHOWN}.notice .qr img.missing", state="attached", timeout=15000)
        assert page.locator(f"{SHOWN}.notice .title").is_visible()
    finally:
        context.close()


def test_a_revoked_screen_shows_not_registered(open_player, manager):
    page, screen = open_player()
    page.wait_for_selector(SHOWN, timeout=10000)
    assert manager.api("POST", f"/api/v1/screens/{screen['id']}/revoke").status_code == 200
    page.wait_for_selector("#blocked:not([hidden]):has-text('未注册')", timeout=2000)
    page.reload()
    page.wait_for_selector("#blocked:not([hidden])", timeout=5000)


def test_landscape_hall_screen(open_player):
    # (A hall_board screen opens the hall's call board instead: tests/hallboard.)
    page, _screen = open_player(1920, 1080, unit="jinjia-hall", kind="noticeboard_landscape", name="大厅二号屏",
                                groups=("hall",))
    page.wait_for_selector(SHOWN, timeout=10000)
    assert "金家镇便民服务中心" in page.inner_text("#place")
