"""Screens without a browser: dayparts, priorities, revocation, pairing, status, push, reports, roles."""
import re
from datetime import datetime, time, timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from kiosk.core import clock
from kiosk.extensions import db, socketio
from kiosk.screens import dayparts
from kiosk.screens.models import DisplayReport, Screen, ScreenConnection, ScreenGroup, UrgentDelivery
from tests.screens.conftest import group_id, in_between

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def part(weekdays="1234567", time_from=None, time_until=None, date_from=None, date_until=None):
    return SimpleNamespace(weekdays=weekdays, time_from=time_from, time_until=time_until, date_from=date_from,
                           date_until=date_until)


def token_of(player_url: str) -> str:
    return urlsplit(player_url).path.rsplit("/", 1)[1]


def screen_socket(app, token: str):
    return socketio.test_client(app, namespace="/screens", auth={"token": token, "version": "1.0.0",
                                                                  "width": 1080, "height": 1920})


# --- dayparts -----------------------------------------------------------------------------------------

def test_a_friday_night_window_runs_into_saturday_morning(app):
    night = part(weekdays="5", time_from=time(22), time_until=time(6))  # 2026-11-20 is a Friday
    with app.app_context():
        assert dayparts.applies_at(night, local(2026, 11, 20, 23, 30))
        assert dayparts.applies_at(night, local(2026, 11, 21, 5, 59))
        assert not dayparts.applies_at(night, local(2026, 11, 21, 6, 0))
        assert not dayparts.applies_at(night, local(2026, 11, 20, 21, 59))
        assert not dayparts.applies_at(night, local(2026, 11, 21, 23, 0))   # Saturday night is not Friday's
        assert not dayparts.applies_at(night, local(2026, 11, 20, 3, 0))    # Friday early morning is Thursday's
        windows = dayparts.windows(night, local(2026, 11, 16), local(2026, 11, 23))
        assert windows == [(local(2026, 11, 20, 22).astimezone(clock.now().tzinfo),
                            local(2026, 11, 21, 6).astimezone(clock.now().tzinfo))]


def test_date_ranges_include_both_ends_and_bad_dayparts_are_refused(app):
    december = part(date_from=datetime(2026, 12, 1).date(), date_until=datetime(2026, 12, 31).date())
    with app.test_request_context():
        assert dayparts.applies_at(december, local(2026, 12, 31, 23, 59))
        assert not dayparts.applies_at(december, local(2027, 1, 1, 0, 0))
        assert not dayparts.applies_at(december, local(2026, 11, 30, 23, 59))
        for bad in (part(time_from=time(8)), part(time_from=time(8), time_until=time(8)),
                    part(date_from=datetime(2026, 12, 2).date(), date_until=datetime(2026, 12, 1).date())):
            with pytest.raises(Exception) as refused:
                dayparts.check(bad)
            assert refused.value.status == 400


# --- priorities and the player's state ------------------------------------------------------------------

def test_the_highest_priority_rotation_in_its_time_plays_and_the_staff_see_why(demo_app, manager, new_screen):
    screen, path = new_screen()
    evening = {"name": "晚间会议提醒", "unit": "jinjia", "group": "villages", "priority": 50,
               "time_from": "18:00", "time_until": "01:00",
               "slides": [{"kind": "clock", "duration": 20, "welcome": "今晚七点村民代表会议"}]}
    assert manager.api("POST", "/api/v1/rotations", json=evening).status_code == 201

    clock.set_now(local(2026, 11, 23, 23, 30))
    detail = manager.api("GET", f"/api/v1/screens/{screen['id']}").get_json()
    assert detail["playing"] == "晚间会议提醒"

    clock.set_now(local(2026, 11, 24, 3, 0))  # the evening rotation is over; the demo's night one (22:00–06:00)
    detail = manager.api("GET", f"/api/v1/screens/{screen['id']}").get_json()
    assert detail["playing"] == "村务公开栏 夜间"
    assert any("晚间会议提醒" in reason and "不在播放时段内" in reason for reason in detail["why"])

    clock.set_now(local(2026, 11, 23, 12, 0))
    detail = manager.api("GET", f"/api/v1/screens/{screen['id']}").get_json()
    assert detail["playing"] == "村务公开栏 日间轮播"
    assert any("晚间会议提醒" in reason and "不在播放时段内" in reason for reason in detail["why"])

    state = demo_app.test_client().get("/display/state", headers={"X-Screen-Token": token_of(screen["player_url"])})
    rotations = state.get_json()["rotations"]
    assert [r["priority"] for r in rotations] == sorted((r["priority"] for r in rotations), reverse=True)
    # concrete windows from the start of today: the tail of last evening's, then 18:00 each day
    evening_windows = next(r for r in rotations if r["name"] == "晚间会议提醒")["windows"]
    starts = [datetime.fromtimestamp(start / 1000, SHANGHAI) for start, _end in evening_windows]
    assert [(s.day, s.hour) for s in starts] == [(23, 0), (23, 18), (24, 18), (25, 18)]
    assert datetime.fromtimestamp(evening_windows[1][1] / 1000, SHANGHAI).hour == 1


def test_bad_rotations_get_clear_errors(manager):
    base = {"name": "坏轮播", "unit": "jinjia", "group": "villages", "slides": [{"kind": "qr", "duration": 10}]}
    response = manager.api("POST", "/api/v1/rotations", json=base)
    assert response.status_code == 400 and "二维码" in response.get_json()["message"]
    response = manager.api("POST", "/api/v1/rotations", json={**base, "group": "nope",
                                                               "slides": [{"kind": "clock"}]})
    assert response.status_code == 404
    response = manager.api("POST", "/api/v1/rotations", json={**base, "slides": [{"kind": "clock", "duration": 1}]})
    assert response.status_code == 400 and response.get_json()["field"] == "slides.0.duration"
    assert response.get_json()["message"] == "页面 1 · 每页秒数：不能小于3。"
    # Every error at once, each named as the editor shows it (slides counted from 1), limits stated.
    response = manager.api("POST", "/api/v1/rotations", json={**base, "name": "", "slides": [
        {"kind": "clock"}, {"kind": "qr", "duration": 2, "link": "ftp://x"}]})
    assert [(e["label"], e["message"]) for e in response.get_json()["errors"]] == [
        ("名称", "不能为空。"), ("页面 2 · 每页秒数", "不能小于3。"),
        ("页面 2 · 链接", "二维码链接须以 https:// 或 http:// 开头。")]
    # Categories and notices are picked from lists; an unknown code or number is refused by name.
    response = manager.api("POST", "/api/v1/rotations", json={**base, "slides": [
        {"kind": "notice", "categories": ["dibao", "低保公示", "caiwu"]}]})
    assert response.status_code == 400 and response.get_json()["field"] == "slides.0.categories"
    assert "低保公示、caiwu" in response.get_json()["message"] and "请从列表中选择" in response.get_json()["message"]
    response = manager.api("POST", "/api/v1/rotations", json={**base, "slides": [{"kind": "notice",
                                                                                   "notice_ids": [999999]}]})
    assert response.status_code == 400 and "999999" in response.get_json()["message"]
    # The rules of each slide too: all slides' problems at once, each named by its slide.
    response = manager.api("POST", "/api/v1/rotations", json={**base, "slides": [
        {"kind": "qr"}, {"kind": "clock"}, {"kind": "notice", "categories": ["caiwu"]},
        {"kind": "clock", "time_from": "08:00"}]})
    problems = response.get_json()["errors"]
    assert response.status_code == 400 and [e["field"] for e in problems] == [
        "slides.0.link", "slides.2.categories", "slides.3"]
    assert problems[0]["message"].startswith("页面 1") and problems[1]["message"].startswith("页面 3")
    assert problems[2]["label"] == "页面 4" and "开始和结束" in problems[2]["message"]
    assert all(e["message"] in response.get_json()["message"] for e in problems)
    response = manager.api("POST", "/api/v1/rotations", json={**base, "name": "村务公开栏 日间轮播",
                                                               "slides": [{"kind": "clock"}]})
    assert response.status_code == 409


# --- revocation, pairing ------------------------------------------------------------------------------------

def test_a_revoked_screen_is_told_at_once_and_refused_afterwards(demo_app, manager, new_screen):
    screen, _path = new_screen()
    token = token_of(screen["player_url"])
    client = screen_socket(demo_app, token)
    assert client.is_connected("/screens")
    client.get_received("/screens")
    assert manager.api("POST", f"/api/v1/screens/{screen['id']}/revoke").status_code == 200
    assert not client.is_connected("/screens")  # told ("revoked"), then disconnected: tests/screens/test_disconnect.py
    assert not screen_socket(demo_app, token).is_connected("/screens")
    player = demo_app.test_client().get("/display/state", headers={"X-Screen-Token": token,
                                                                   "Accept": "application/json"})
    assert player.status_code == 401 and player.get_json()["error"] == "screen_not_registered"
    assert manager.api("POST", f"/api/v1/screens/{screen['id']}/revoke").status_code == 409


def test_pairing_by_code_makes_the_browser_the_screen(demo_app, manager, new_screen):
    screen, _path = new_screen()
    browser = demo_app.test_client()
    page = browser.get("/display/").get_data(as_text=True)
    code = re.search(r'id="code">(\d{3}) (\d{3})<', page)
    code = code.group(1) + code.group(2)
    assert browser.get("/display/pairing").get_json() == {"paired": False, "code": code}
    assert manager.api("POST", "/api/v1/screens/pair", json={"code": "000000" if code != "000000" else "111111",
                                                             "screen": screen["id"]}).status_code == 404
    assert manager.api("POST", "/api/v1/screens/pair", json={"code": code, "screen": screen["id"]}).status_code == 200
    answer = browser.get("/display/pairing").get_json()
    assert answer["paired"] and answer["player"] == "/display/player"
    assert browser.get("/display/state").get_json()["screen"]["id"] == screen["id"]  # the cookie is set
    old = demo_app.test_client().get("/display/state", headers={"X-Screen-Token": token_of(screen["player_url"]),
                                                                "Accept": "application/json"})
    assert old.status_code == 401  # the browser that held the screen before is not it any more


# --- status and push ------------------------------------------------------------------------------------

def test_status_follows_the_socket_and_the_heartbeat(demo_app, manager, new_screen):
    screen, _path = new_screen()
    client = screen_socket(demo_app, token_of(screen["player_url"]))
    client.emit("heartbeat", {"showing": {"key": "s1", "kind": "clock", "title": "欢迎"}, "version": "1.0.0"},
                namespace="/screens", callback=True)
    listed = next(s for s in manager.api("GET", "/api/v1/screens").get_json()["screens"] if s["id"] == screen["id"])
    assert listed["online"] and listed["now_showing"]["title"] == "欢迎" and listed["screen_size"] == "1080×1920"
    client.disconnect("/screens")
    listed = manager.api("GET", f"/api/v1/screens/{screen['id']}").get_json()
    assert not listed["online"] and listed["offline_seconds"] is not None

    # a socket that goes silent (a hung 4G router) is closed by the sweep
    client = screen_socket(demo_app, token_of(screen["player_url"]))
    clock.shift(timedelta(minutes=3))
    from kiosk.screens.live import sweep
    with demo_app.app_context():
        sweep()
        row = db.session.get(Screen, screen["id"])
        assert not row.online and row.offline_since is not None
        history = db.session.query(ScreenConnection).filter_by(screen_id=screen["id"]).all()
        assert len(history) == 2 and all(c.disconnected_at for c in history)
    client.disconnect("/screens")


def test_screens_offline_too_long_are_listed_by_their_groups_alert_delay(demo_app, manager, new_screen):
    """One rule for "offline too long": the page and the dashboard list a screen when the offline
    alert would report it (its group's delay, in on-hours), not by a county-wide number of its own."""
    screen, _path = new_screen(name="张村测试屏", unit="zhang", groups=(("zhang", "board"),))
    villages_screen, _ = new_screen(name="李庄测试屏", unit="lizhuang", groups=("villages",))
    page = manager.get("/staff/screens/").get_data(as_text=True)
    assert 'name="limit-minutes"' not in page          # the old county-wide setting is gone
    with demo_app.app_context():
        group = db.session.scalar(select(ScreenGroup).where(ScreenGroup.code == "board", ScreenGroup.unit.has(code="zhang")))
        group.offline_alert_minutes = 30
        for row in db.session.scalars(select(Screen).where(Screen.id.in_([screen["id"], villages_screen["id"]]))):
            row.last_seen, row.online, row.offline_since = clock.now(), False, clock.now()
        db.session.commit()

    def listed() -> str:
        return manager.get("/staff/screens/").get_data(as_text=True).split('id="screens"')[0]

    clock.shift(timedelta(minutes=11))             # past the villages group's 10 minutes, not 张村's 30
    assert "李庄测试屏" in listed() and "张村测试屏" not in listed()
    clock.shift(timedelta(minutes=20))
    assert "李庄测试屏" in listed() and "张村测试屏" in listed()
    dashboard = manager.get("/staff/").get_data(as_text=True)
    assert re.search(r'<li class="form-error"><a [^>]*>张村测试屏</a>', dashboard)


def test_an_urgent_notice_reaches_only_the_screens_concerned(demo_app, manager, new_screen):
    village, _ = new_screen()
    hall, _ = new_screen(unit="jinjia-hall", kind="hall_board", name="大厅测试屏", groups=("hall",))
    village_socket = screen_socket(demo_app, token_of(village["player_url"]))
    hall_socket = screen_socket(demo_app, token_of(hall["player_url"]))
    village_socket.get_received("/screens")
    hall_socket.get_received("/screens")
    response = manager.api("POST", "/api/v1/urgent-notices", json={
        "unit": "jinjia", "title": "寒潮预警", "groups": [group_id(demo_app, "villages")],
        "ends_at": (clock.now() + timedelta(hours=2)).isoformat()})
    assert response.status_code == 201, response.get_json()
    urgent = response.get_json()
    received = village_socket.get_received("/screens")
    assert [e["name"] for e in received] == ["changed"] and received[0]["args"][0]["urgent"]["title"] == "寒潮预警"
    assert hall_socket.get_received("/screens") == []
    village_socket.emit("urgent_shown", {"id": urgent["id"]}, namespace="/screens")
    arrivals = manager.api("GET", f"/api/v1/urgent-notices/{urgent['id']}").get_json()["arrivals"]
    assert [a["name"] for a in arrivals if a["shown_at"]] == [village["name"]]

    state = village_socket.emit("state", namespace="/screens", callback=True)
    assert [u["title"] for u in state["urgent"]] == ["寒潮预警"]
    clock.shift(timedelta(hours=3))  # past its end: gone without anyone clearing it
    assert village_socket.emit("state", namespace="/screens", callback=True)["urgent"] == []


def test_a_screen_open_twice_confirming_an_urgent_notice_at_once_is_counted_once(
        demo_app, manager, new_screen, monkeypatch):
    """Two tabs of one screen confirm the same urgent notice at the same moment: the first confirmation
    is recorded, and the second neither fails on the unique row nor adds another."""
    village, _ = new_screen()
    token = token_of(village["player_url"])
    first, second = screen_socket(demo_app, token), screen_socket(demo_app, token)
    urgent = manager.api("POST", "/api/v1/urgent-notices", json={
        "unit": "jinjia", "title": "寒潮预警", "groups": [group_id(demo_app, "villages")],
        "ends_at": (clock.now() + timedelta(hours=2)).isoformat()}).get_json()
    # The first tab is held as it takes the time to stamp; the second tab's confirmation is written
    # meanwhile. Whatever the first tab's handler raises fails the test.
    in_between(monkeypatch, lambda: first.emit("urgent_shown", {"id": urgent["id"]}, namespace="/screens"),
               lambda: second.emit("urgent_shown", {"id": urgent["id"]}, namespace="/screens"), clock, "now")
    with demo_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UrgentDelivery)
                                 .where(UrgentDelivery.urgent_id == urgent["id"])) == 1


def test_a_rotation_change_tells_only_its_groups(demo_app, manager, new_screen):
    village, _ = new_screen()
    hall, _ = new_screen(unit="jinjia-hall", kind="hall_board", name="大厅测试屏", groups=("hall",))
    village_socket = screen_socket(demo_app, token_of(village["player_url"]))
    hall_socket = screen_socket(demo_app, token_of(hall["player_url"]))
    village_socket.get_received("/screens")
    hall_socket.get_received("/screens")
    hall_rotation = next(r for r in manager.api("GET", "/api/v1/rotations").get_json()["rotations"]
                         if r["group"] == "hall")
    hall_rotation["priority"] = 5
    body = {k: v for k, v in hall_rotation.items() if k not in ("id", "group_id")}
    assert manager.api("PUT", f"/api/v1/rotations/{hall_rotation['id']}", json=body).status_code == 200
    received = hall_socket.get_received("/screens")
    assert [e["name"] for e in received] == ["state"]  # the new state comes pushed, nothing else
    pushed = received[0]["args"][0]
    assert [r["priority"] for r in pushed["rotations"] if r["id"] == hall_rotation["id"]] == [5]
    assert village_socket.get_received("/screens") == []


# --- proof of display reports ---------------------------------------------------------------------------

def test_display_reports_are_stored_once(demo_app, new_screen):
    screen, _ = new_screen()
    token = token_of(screen["player_url"])
    now = int(clock.now().timestamp() * 1000)
    batch = {"reports": [{"key": "s1:n7", "kind": "notice", "notice_id": 7, "start": now - 40000, "end": now - 20000},
                         {"key": "s2", "kind": "clock", "start": now - 20000, "end": now, "offline": True}]}
    player = demo_app.test_client()
    assert player.post("/display/reports", json=batch, headers={"X-Screen-Token": token}).get_json() == {"added": 2}
    assert player.post("/display/reports", json=batch, headers={"X-Screen-Token": token}).get_json() == {"added": 0}
    backwards = {"reports": [{"key": "s1", "kind": "clock", "start": now, "end": now - 1000}]}
    refused = player.post("/display/reports", json=backwards, headers={"X-Screen-Token": token,
                                                                       "Accept": "application/json"})
    assert refused.status_code == 400
    assert player.post("/display/reports", json=batch, headers={"Accept": "application/json"}).status_code == 401
    with demo_app.app_context():
        rows = db.session.query(DisplayReport).filter_by(screen_id=screen["id"]).order_by(DisplayReport.id).all()
        assert [(r.notice_id, r.offline, (r.ended_at - r.started_at).total_seconds()) for r in rows] == [
            (7, False, 20.0), (None, True, 20.0)]


# --- roles ------------------------------------------------------------------------------------------------

def test_only_screen_managers_of_the_unit_manage_screens(demo_app, staff, token_for):
    body = {"unit": "lizhuang", "kind": "noticeboard_portrait", "name": "李庄村二号屏"}
    for username in ("editor", "lizhuang", "reviewer"):
        assert staff(username).api("POST", "/api/v1/screens", json=body).status_code == 403
        assert staff(username).get("/staff/screens/").status_code == 403
    assert demo_app.test_client().post("/api/v1/screens", json=body).status_code == 401
    assert demo_app.test_client().post("/api/v1/screens", json=body, headers=token_for("admin")).status_code == 201

    from kiosk.accounts.models import Role
    from kiosk.accounts.operations import create_user
    from kiosk.org.operations import get_unit_by_code
    with demo_app.app_context():
        create_user("wangjia-screens", "jinjia-demo", {Role.screen_manager}, get_unit_by_code("wangjia"), demo=True)
        db.session.commit()
    village_manager = staff("wangjia-screens")
    assert village_manager.api("POST", "/api/v1/screens", json=body).status_code == 403
    assert village_manager.api("POST", "/api/v1/screens", json={**body, "unit": "wangjia"}).status_code == 201
    assert all(s["unit"] == "wangjia" for s in village_manager.api("GET", "/api/v1/screens").get_json()["screens"])


def test_the_staff_pages_render_for_the_screen_manager(demo_app, manager, new_screen):
    screen, _ = new_screen()
    rotation_id = manager.api("GET", "/api/v1/rotations").get_json()["rotations"][0]["id"]
    for url in ("/staff/screens/", f"/staff/screens/{screen['id']}", "/staff/screens/rotations/",
                "/staff/screens/rotations/new", f"/staff/screens/rotations/{rotation_id}", "/staff/screens/urgent",
                "/staff/screens/images"):
        assert manager.get(url).status_code == 200, url
    pushed = manager.post_form("/staff/screens/urgent", {"unit": "jinjia", "title": "停电通知", "body": "明日停电",
                                                         "groups": str(group_id(demo_app, "villages"))})
    assert pushed.status_code == 302
    detail = manager.get(pushed.headers["Location"]).get_data(as_text=True)
    assert "停电通知" in detail and screen["name"] in detail
    refused = manager.post_form("/staff/screens/urgent", {"unit": "jinjia", "title": "", "groups": ""})
    assert refused.status_code == 400 and "form-error" in refused.get_data(as_text=True)


def test_a_slide_s_privacy_error_speaks_the_editor_s_words(manager):
    """It said 幻灯片 3 caption 含有个人信息 where the editor says 页面 and 说明文字."""
    response = manager.api("POST", "/api/v1/rotations", json={
        "name": "带说明的轮播", "unit": "jinjia", "group": "villages", "slides": [
            {"kind": "clock"}, {"kind": "qr", "link": "https://example.cn/", "caption": "联系人手机 13912345678"}]})
    assert response.status_code == 409, response.get_json()
    message = response.get_json()["message"]
    assert "页面 2 说明文字" in message and "caption" not in message and "幻灯片" not in message
