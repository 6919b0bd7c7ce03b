"""Public days (政务公开日): kept per township by its administrator, a checklist with a countdown on
the dashboard, and on the day the screens put the notices filed under the day's items first under a
banner, decided by kiosk/screens/state.py and drawn by the player (in Chromium at a pinned instant)."""
import os
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from kiosk.core import clock
from kiosk.extensions import db
from kiosk.org.operations import get_unit_by_code
from kiosk.screens.models import Screen, ScreenGroup
from kiosk.screens.state import playing_slides, player_state
from kiosk.villages.jobs import townships_turning
from kiosk.villages.models import PublicDay
from tests.villages.conftest import local

SCREENSHOTS = os.environ.get("KIOSK_SCREENSHOTS")   # a folder to keep screenshots in, when set
LEDGER = "李庄村10月财务收支公开"   # the demo's, filed under 财务收支 and showing on 李庄村's screens


def add_public_day(client, month, day, item_ids, name="政务公开日"):
    return client.post_form("/staff/villages/public-days?township=jinjia", {
        "public_day": "0", "month": str(month), "day": str(day), "name": name, "items": [str(i) for i in item_ids],
        "action": "save"})


@pytest.fixture
def board(demo_app, staff):
    """A 李庄村 board playing a clock page, then every notice: returns the screen's id and player path."""
    manager = staff("screens")
    with demo_app.app_context():
        group = db.session.scalar(select(ScreenGroup.id).where(ScreenGroup.code == "board", ScreenGroup.unit_id ==
                                                               get_unit_by_code("lizhuang").id))
    assert manager.api("POST", "/api/v1/rotations", json={
        "name": "村务公开", "unit": "lizhuang", "group": "board", "priority": 100,
        "slides": [{"kind": "clock", "duration": 20}, {"kind": "notice", "duration": 20, "categories": []}]}
    ).status_code == 201
    created = manager.api("POST", "/api/v1/screens", json={"unit": "lizhuang", "kind": "noticeboard_portrait",
                                                           "name": "李庄村公开栏", "groups": [group]})
    assert created.status_code == 201, created.get_json()
    return created.get_json()["id"], urlsplit(created.get_json()["player_url"]).path


def test_the_township_administrator_keeps_the_public_days(demo_app, clients, items):
    admin = clients("admin")
    assert add_public_day(admin, 8, 30, [items["财务收支"]], name="半年公开日").status_code == 302
    with demo_app.app_context():
        day = db.session.scalar(select(PublicDay).where(PublicDay.month == 8, PublicDay.day == 30))
        assert [item.name for item in day.items] == ["财务收支"]
    assert add_public_day(admin, 2, 30, []).status_code == 400              # no such date
    assert add_public_day(admin, 3, 1, []).status_code == 400               # the demo already has 3月1日
    assert add_public_day(admin, 13, 1, []).status_code == 400
    assert add_public_day(admin, "x", 1, []).status_code == 400
    assert add_public_day(admin, 4, 1, [999999]).status_code == 400          # not an item of the list
    assert add_public_day(clients("editor"), 4, 1, []).status_code == 403
    page = admin.get("/staff/villages/public-days?township=jinjia").get_data(as_text=True)
    assert "半年公开日" in page and "3月1日" in page
    deleted = admin.post_form("/staff/villages/public-days?township=jinjia",
                              {"public_day": str(day.id), "action": "delete"})
    assert deleted.status_code == 302
    assert "半年公开日" not in admin.get("/staff/villages/public-days").get_data(as_text=True)
    assert admin.api("get", "/api/v1/audit?action=village_public_day.delete").get_json()["entries"]


def test_the_dashboard_counts_down_to_the_public_day_with_its_checklist(demo_app, clients, items):
    # The demo township's 村务公开日 is two weeks after the demo was loaded.
    dashboard = clients("editor").get("/staff/").get_data(as_text=True)
    assert 'data-countdown="14"' in dashboard and "村务公开日" in dashboard and "财务收支" in dashboard
    clock.start_at(local("2026-12-07 09:00"))
    on_the_day = clients("lizhuang").get("/staff/").get_data(as_text=True)
    assert "今天" in on_the_day and "11个村中已完成" not in on_the_day and "1个村中已完成" in on_the_day
    clock.start_at(local("2026-11-01 09:00"))   # 36 days before: not yet on the dashboard
    assert "data-countdown" not in clients("reviewer").get("/staff/").get_data(as_text=True)


def test_on_the_day_the_days_notices_come_first_and_only_then(demo_app, clients, items, board):
    screen_id, _path = board
    today = clock.local_today()
    assert add_public_day(clients("admin"), today.month, today.day, [items["财务收支"]]).status_code == 302
    with demo_app.test_request_context():
        screen = db.session.get(Screen, screen_id)
        slides = playing_slides(screen)
        assert slides[0]["title"] == LEDGER and slides[0]["public_day"] is True
        assert [s["kind"] for s in slides[1:3]] == ["clock", "notice"] and not slides[1].get("public_day")
        state = player_state(screen)
        [banner] = [b for b in state["public_days"] if b["day"] == today.isoformat()]
        assert banner["from"] == int(clock.local_midnight_utc(today).timestamp() * 1000)
        assert state["strings"]["public_day"] == "今日{name}"
        # The scheduler tells the township's screens at the day's start and at its end, not between.
        assert [t.code for t in townships_turning(today)] == ["jinjia"]
        assert [t.code for t in townships_turning(today + timedelta(days=1))] == ["jinjia"]
        assert townships_turning(today + timedelta(days=2)) == []
        clock.set_now(local(f"{today - timedelta(days=1)} 12:00"))
        before = playing_slides(db.session.get(Screen, screen_id))
        assert before[0]["kind"] == "clock" and not any(s.get("public_day") for s in before)


@pytest.mark.browser
def test_a_screen_on_the_public_day_shows_the_days_set_first_under_a_banner(demo_app, clients, items, board,
                                                                              live_server, browser):
    _screen_id, path = board
    today = clock.local_today()
    assert add_public_day(clients("admin"), today.month, today.day, [items["财务收支"]]).status_code == 302
    clock.start_at(local(f"{today} 10:30"))       # the instant the screen is looked at, on the day
    server = live_server(demo_app)
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1080, "height": 1920})
    page = context.new_page()
    try:
        page.goto(server.url + path)
        page.wait_for_selector(".layer.shown .slide.notice")
        assert page.inner_text(".layer.shown h1.title") == LEDGER
        assert page.locator(".layer.shown .slide.notice.on-public-day").count() == 1
        banner = page.locator("#public-day")
        assert banner.is_visible() and banner.inner_text() == "今日政务公开日"
        # The banner sits between the bar and the slides, and the slide keeps the rest of the screen.
        bar, stage = page.locator(".bar").bounding_box(), page.locator("#stage").bounding_box()
        box = banner.bounding_box()
        assert bar["y"] + bar["height"] <= box["y"] + 1 and box["y"] + box["height"] <= stage["y"] + 1
        assert stage["height"] > 1500
        # Only the banner is in its colours: the slide keeps the notice's own paper and ink.
        colours = page.evaluate("""() => [document.querySelector('#public-day'),
                                          document.querySelector('.layer.shown .slide.notice')]
                                   .map((node) => getComputedStyle(node).backgroundColor)""")
        assert colours[0] != colours[1]
        if SCREENSHOTS:
            page.screenshot(path=os.path.join(SCREENSHOTS, "public-day-screen.png"))
        # Past midnight the banner goes by itself (the state carries the day's instants).
        page.clock.fast_forward(int((clock.local_midnight_utc(today + timedelta(days=1)) - clock.now())
                                    .total_seconds() * 1000) + 2000)
        page.wait_for_selector("#public-day", state="hidden")
    finally:
        context.close()
