"""Screens in the field, in a real Chromium: the player dark outside on-hours and woken by an
urgent notice; remote commands reaching a connected player and answered (reload, identify,
screenshot), for one screen and a group; what the player reports; the player with a launcher
agent switching the display and taking the screenshot."""
import json
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from kiosk.core import clock
from kiosk.extensions import db
from kiosk.screens import hours, state
from kiosk.screens.models import Screen
from tests.conftest import registered_screen
from tests.hallboard.test_board_screen import hall_board  # noqa: F401  (a fixture)
from tests.queue.conftest import call_next, issue, monday_morning  # noqa: F401  (fixtures)
from tests.launcher.test_agent import PNG, recorded, running_agent, stubs  # noqa: F401  (fixtures)
from tests.screens.conftest import group_id
from tests.screens.test_fleet import command, listed, marked_old
from tests.screens.test_player_browser import SHOWN, open_player  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser
SHANGHAI = ZoneInfo("Asia/Shanghai")
DARK = "#dark:not([hidden])"


def village_hours(manager, demo_app, start="07:00", end="21:00") -> int:
    villages = group_id(demo_app, "villages")
    response = manager.api("PUT", f"/api/v1/screen-groups/{villages}/on-hours",
                           json={"week": hours.every_day(start, end), "offline_alert_minutes": 10})
    assert response.status_code == 200
    return villages


def answered(manager, screen_id: int, command_id: int, timeout: float = 10) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = listed(manager, screen_id)[command_id]
        if found["status"] not in ("waiting", "delivered"):
            return found
        time.sleep(0.2)
    return found


def test_the_player_goes_dark_when_on_hours_end_and_an_urgent_notice_wakes_it(demo_app, manager, open_player):
    villages = village_hours(manager, demo_app)
    clock.start_at(datetime(2026, 11, 23, 20, 59, 52, tzinfo=SHANGHAI))
    page, screen = open_player()
    page.wait_for_selector(SHOWN, timeout=10000)
    assert page.is_hidden("#dark")
    page.wait_for_selector(DARK, timeout=15000)          # 21:00 by itself, not at the slide's end
    assert page.eval_on_selector("#dark", "n => getComputedStyle(n).backgroundColor") == "rgb(0, 0, 0)"

    response = manager.api("POST", "/api/v1/urgent-notices", json={
        "unit": "jinjia", "title": "暴雨红色预警", "body": "请村民立即转移。", "groups": [villages]})
    urgent = response.get_json()
    page.wait_for_selector("#urgent:not([hidden]) .urgent-title:has-text('暴雨红色预警')", timeout=3000)
    assert page.is_hidden("#dark")
    assert manager.api("POST", f"/api/v1/urgent-notices/{urgent['id']}/clear").status_code == 200
    page.wait_for_selector(DARK, timeout=3000)
    # ... and comes back by itself at 07:00, offline or not (the state holds the instants).
    page.context.set_offline(True)
    page.clock.fast_forward("10:00:30")
    page.wait_for_selector("#dark", state="hidden", timeout=5000)
    page.wait_for_selector(SHOWN, timeout=5000)


def test_on_hours_changed_on_the_staff_page_reach_a_playing_screen_within_a_second(demo_app, manager, open_player):
    page, _screen = open_player()
    page.wait_for_selector(SHOWN, timeout=10000)
    started = time.monotonic()
    village_hours(manager, demo_app, "10:00", "20:00")     # it is 09:00: off now
    page.wait_for_selector(DARK, timeout=2000)
    assert time.monotonic() - started < 2


def test_commands_reach_a_connected_player_and_come_back_answered(demo_app, manager, open_player):
    page, screen = open_player()
    page.wait_for_selector(SHOWN, timeout=10000)

    sent = command(manager, screen["id"], "identify")
    page.wait_for_selector("#identify:not([hidden])", timeout=3000)
    text = page.inner_text("#identify")
    assert "测试公开栏" in text and "李庄村" in text and f"屏幕编号 {screen['id']}" in text and "http://" in text
    size = page.eval_on_selector("#identify > div", "n => parseFloat(getComputedStyle(n).fontSize)")
    assert size >= 120                                     # large type: 12% of the short side
    done = answered(manager, screen["id"], sent["id"])
    assert done["status"] == "answered" and done["delivered_at"] <= done["answered_at"]

    sent = command(manager, screen["id"], "screenshot")
    done = answered(manager, screen["id"], sent["id"])
    assert done["status"] == "answered" and done["screenshot_source"] == "thumbnail"   # no launcher here
    assert manager.get(done["screenshot"]).status_code == 200

    sent = command(manager, screen["id"], "restart_browser")
    done = answered(manager, screen["id"], sent["id"])
    assert done["status"] == "failed" and "launcher" in done["error"]

    page.evaluate("window.beforeReload = true")
    sent = command(manager, screen["id"], "reload")
    assert answered(manager, screen["id"], sent["id"])["status"] == "answered"
    page.wait_for_function("window.beforeReload === undefined", timeout=5000)
    page.wait_for_selector(SHOWN, timeout=10000)

    # What the player reported of itself is on the screens page.
    detail = manager.get(f"/staff/screens/{screen['id']}").get_data(as_text=True)
    assert "Chrom" in detail and "1080×1920 @1x" in detail and "GiB" in detail
    assert detail.count('data-status="answered"') >= 3 and 'data-status="failed"' in detail


def test_a_group_command_reaches_every_connected_player_of_the_group(demo_app, manager, open_player):
    opened = {name: open_player(name=name) for name in ("李庄一号屏", "李庄二号屏")}
    for page, _screen in opened.values():
        page.wait_for_selector(SHOWN, timeout=10000)
    villages = group_id(demo_app, "villages")
    response = manager.api("POST", f"/api/v1/screen-groups/{villages}/commands", json={"kind": "identify"})
    assert response.status_code == 201
    for name, (page, _screen) in opened.items():
        page.wait_for_selector(f"#identify:not([hidden]):has-text('{name}')", timeout=3000)
    sent = {command["screen"]: command for command in response.get_json()["commands"]}
    players = {screen["id"] for _page, screen in opened.values()}
    assert players < set(sent)
    assert [answered(manager, screen, sent[screen]["id"])["status"] for screen in players] == ["answered"] * 2
    # The demo's other village screens have no player open: theirs wait for them to connect.
    assert {listed(manager, screen)[command["id"]]["status"] for screen, command in sent.items()
            if screen not in players} == {"waiting"}


def test_with_the_launcher_the_player_switches_the_display_and_the_screenshot_is_the_browsers(
        demo_app, manager, live_server, browser, new_screen, running_agent):  # noqa: F811
    server = live_server(demo_app)
    port, secret, calls, _log, devtools = running_agent(server=server.url)
    village_hours(manager, demo_app, "10:00", "20:00")     # 09:00: the display must be switched off
    screen, path = new_screen()
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1080, "height": 1920})
    page = context.new_page()
    calls.write_text("")
    page.goto(f"{server.url}{path}#launcher={port}:{secret}")
    page.wait_for_selector(DARK, timeout=10000)
    deadline = time.monotonic() + 5
    while "xset dpms force off | " not in recorded(calls) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert recorded(calls) == ["xset dpms force off | "]
    assert json.loads(page.evaluate("JSON.stringify(localStorage.getItem('kiosk.launcher'))")) == f"{port}:{secret}"
    assert "launcher" not in page.url                       # the secret does not stay in the address bar

    sent = command(manager, screen["id"], "screenshot")
    done = answered(manager, screen["id"], sent["id"])
    assert done["status"] == "answered" and done["screenshot_source"] == "browser"
    assert manager.get(done["screenshot"]).data == PNG and devtools.asked
    context.close()


def test_the_hall_board_goes_dark_outside_its_on_hours_and_a_call_lights_it(hall_board, staff, demo_app):  # noqa: F811
    board, _screen = hall_board
    board.wait_for_selector("#now", timeout=10000)
    hall = group_id(demo_app, "hall")
    office = {day: [["10:00", "17:00"]] for day in hours.DAY_KEYS}            # 09:00: not open yet
    assert staff("screens").api("PUT", f"/api/v1/screen-groups/{hall}/on-hours",
                                json={"week": office, "offline_alert_minutes": 10}).status_code == 200
    board.wait_for_selector(DARK, timeout=5000)
    clerk = staff("window1")
    issue(clerk, "A")
    called = call_next(clerk, 1)                            # staff calling early: the call is seen
    board.wait_for_selector("#dark", state="hidden", timeout=5000)
    assert board.inner_text("#now-code") == called["code"]


def test_a_touch_kiosk_outside_on_hours_shows_a_dim_closed_page(demo_app, manager, live_server, browser):
    base = live_server(demo_app).url
    token = registered_screen(demo_app)
    with demo_app.app_context():
        kiosk_id = db.session.scalar(select(Screen.id).where(Screen.kind == "touch_kiosk").order_by(Screen.id.desc()))
    week = {day: [["10:00", "17:00"]] for day in hours.DAY_KEYS}
    assert manager.api("PUT", f"/api/v1/screens/{kiosk_id}/on-hours", json={"week": week}).status_code == 200
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1080, "height": 1920})
    page = context.new_page()
    page.goto(f"{base}/display/activate/{token}")
    page.wait_for_selector(".closed-page:has-text('服务大厅现已下班')", timeout=15000)
    assert page.eval_on_selector(".closed-page", "n => getComputedStyle(n).backgroundColor") == "rgb(17, 17, 17)"
    assert page.query_selector("#dark") is None or page.is_hidden("#dark")   # not black: it can still be used
    context.close()


def reported_version(manager, screen_id: int, expected: str, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while True:
        version = next(s for s in manager.api("GET", "/api/v1/screens").get_json()["screens"]
                       if s["id"] == screen_id)["software_version"]
        if version == expected or time.monotonic() > deadline:
            return version
        time.sleep(0.2)


def test_a_hall_board_reports_the_version_of_the_page_it_loaded_until_it_reloads(hall_board, staff, monkeypatch):  # noqa: F811
    board, screen = hall_board
    manager = staff("screens")
    board.wait_for_selector("#notices .slide", timeout=10000)
    served = state.player_version()
    assert reported_version(manager, screen["id"], served) == served
    monkeypatch.setattr(state, "PLAYER_VERSION", "9.9.9")           # the server upgraded under the running board
    assert marked_old(manager, screen["id"])
    sent = command(manager, screen["id"], "reload")
    assert answered(manager, screen["id"], sent["id"])["status"] == "answered"
    upgraded = state.player_version()
    assert upgraded != served and reported_version(manager, screen["id"], upgraded) == upgraded
    assert not marked_old(manager, screen["id"])
