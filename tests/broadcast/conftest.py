"""Helpers for the broadcast tests: tickers through the API, CAP alerts written here, a player in Chromium."""
import time

import pytest

from kiosk.extensions import db
from kiosk.org.operations import get_unit_by_code
from tests.screens.conftest import group_id, manager, new_screen  # noqa: F401  (fixtures)

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
# The demo's division codes (kiosk/broadcast/demo.py): 金家镇 and its villages.
TOWNSHIP_CODE = "330102001000"
LIZHUANG_CODE = "330102001001"


def cap_alert(identifier="CN-20261123-0001", msg_type="Alert", severity="Extreme", event="暴雨红色预警",
              headline="金家镇暴雨红色预警", description="预计未来3小时降雨量将达100毫米以上，请立即转移到安全地带。",
              expires="2026-11-23T12:00:00+08:00", codes=(TOWNSHIP_CODE,), status="Actual", references=None,
              sent="2026-11-23T08:58:00+08:00", sender="county-emergency@example.gov.cn", leave_out=(),
              code_name="行政区划代码") -> bytes:
    """A CAP 1.2 alert; `leave_out` drops required elements by name to make it invalid."""
    def element(name, value):
        return "" if name in leave_out or value is None else f"<{name}>{value}</{name}>"
    geocodes = "".join(f"<geocode><valueName>{code_name}</valueName><value>{code}</value></geocode>" for code in codes)
    area = "" if "area" in leave_out else f"<area>{element('areaDesc', '金家镇')}{geocodes}</area>"
    info = "" if "info" in leave_out else (
        "<info><language>zh-CN</language><category>Met</category>"
        f"{element('event', event)}{element('urgency', 'Immediate')}{element('severity', severity)}"
        f"{element('certainty', 'Likely')}{element('senderName', '县气象台')}{element('headline', headline)}"
        f"{element('description', description)}{element('expires', expires)}{area}</info>")
    return (f'<?xml version="1.0" encoding="UTF-8"?><alert xmlns="{CAP_NS}">'
            f"{element('identifier', identifier)}{element('sender', sender)}{element('sent', sent)}"
            f"{element('status', status)}{element('msgType', msg_type)}{element('scope', 'Public')}"
            f"{element('references', references)}{info}</alert>").encode()


def reference(identifier="CN-20261123-0001", sender="county-emergency@example.gov.cn",
              sent="2026-11-23T08:58:00+08:00") -> str:
    return f"{sender},{identifier},{sent}"


@pytest.fixture
def source(demo_app, staff):
    """A warning source for the county (registered by the county administrator): its JSON with the token."""
    response = staff("admin").api("POST", "/api/v1/warning-sources", json={"unit": "county", "name": "县预警发布平台"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture
def post_alert(demo_app, source):
    client = demo_app.test_client()

    def post(data: bytes, token: str | None = None):
        return client.post("/api/v1/warnings/cap", data=data, headers={
            "Authorization": f"Bearer {token or source['token']}", "Content-Type": "application/cap+xml"})
    return post


def unit_code(app, code: str) -> str | None:
    with app.app_context():
        return get_unit_by_code(code).division_code


@pytest.fixture
def open_player(demo_app, live_server, browser, new_screen):  # noqa: F811
    """open_player(**screen) → (page, screen JSON) of a new screen's player, once its socket is connected."""
    server = live_server(demo_app)
    contexts = []

    def open_(width=1080, height=1920, ready=".layer.shown .slide", **screen_args):
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai",
                                      viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        screen, path = new_screen(**screen_args)
        page.goto(server.url + path)
        page.wait_for_selector(ready, timeout=10000)
        wait_online(demo_app, screen["id"])
        return page, screen
    yield open_
    for context in contexts:
        context.close()


def wait_online(app, screen_id: int, seconds: float = 10) -> None:
    from kiosk.screens.models import Screen
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with app.app_context():
            if db.session.get(Screen, screen_id).online:
                return
        time.sleep(0.1)
    raise AssertionError("the player never connected")
