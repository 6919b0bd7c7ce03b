"""Screens in the field, server side: on-hours editing (pages, API, bad schedules, permissions) and
how they reach the screens' state; remote commands over the screens' sockets; what each screen
reports; image-only boards asleep outside on-hours."""
import io
import re
import shutil
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image, ImageStat
from sqlalchemy import select

from kiosk.audit.models import AuditEntry
from kiosk.core import clock
from kiosk.extensions import db, socketio
from kiosk.paths import DISPLAY_DIR
from kiosk.screens import hours, state
from kiosk.screens.models import DisplayReport, OnHours, Screen, ScreenCommand, ScreenGroup
from tests.screens.conftest import group_id, in_between, png_bytes
from tests.screens.test_rules import token_of
from tests.screens.test_shared_state import events, screen_socket

SHANGHAI = ZoneInfo("Asia/Shanghai")
VILLAGE_WEEK = {day: "07:00-21:00" for day in hours.DAY_KEYS}


def local_ms(*args) -> int:
    return int(datetime(*args, tzinfo=SHANGHAI).timestamp() * 1000)


def hours_form(week: dict, minutes=10, action="save") -> dict:
    return {"form": "hours", "action": action, "hours-csrf_token": None, "hours-minutes": minutes,
            **{f"hours-{day}": text for day, text in week.items()}}


def post_hours(client, url: str, week: dict, **kwargs):
    data = hours_form(week, **kwargs)
    data["hours-csrf_token"] = client.csrf
    return client.post_form(url, data)


# --- on-hours editing ---------------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def always_on(demo_app):
    """These tests start from groups with no on-hours (always on) and set what they need: the demo's
    own (kiosk/screens/demo_hours.py) are cleared."""
    with demo_app.app_context():
        db.session.execute(db.delete(OnHours).where(OnHours.group_id.is_not(None)))
        db.session.commit()


def test_a_groups_on_hours_saved_on_its_page_reach_its_screens_as_their_pushed_state(demo_app, manager, new_screen):
    screen, path = new_screen()
    opened = screen_socket(demo_app, token_of(screen["player_url"]))
    assert opened.emit("state", namespace="/screens", callback=True)["on_hours"] is None   # no schedule: always on
    opened.get_received("/screens")
    villages = group_id(demo_app, "villages")
    page = manager.get(f"/staff/screens/groups/{villages}").get_data(as_text=True)
    assert "每天 07:00–21:00" in page and "工作日办公时间" in page           # the presets offered

    response = post_hours(manager, f"/staff/screens/groups/{villages}", VILLAGE_WEEK, minutes=15)
    assert response.status_code == 302
    pushed = events(opened, "state")
    assert len(pushed) == 1
    assert pushed[0]["on_hours"][:2] == [[local_ms(2026, 11, 23, 7), local_ms(2026, 11, 23, 21)],
                                         [local_ms(2026, 11, 24, 7), local_ms(2026, 11, 24, 21)]]
    with demo_app.app_context():
        group = db.session.get(ScreenGroup, villages)
        assert group.offline_alert_minutes == 15
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "screen_group.on_hours"))
        assert entry.after["on_hours"]["sun"] == [["07:00", "21:00"]] and entry.before["on_hours"] is None
    # The page shows what is stored, in the form staff typed it.
    assert 'value="07:00-21:00"' in manager.get(f"/staff/screens/groups/{villages}").get_data(as_text=True)


@pytest.mark.parametrize("typed, message", [
    ("09:00-08:00", "星期二：09:00–08:00 结束早于开始。"),
    ("07:00-12:00, 11:30-13:00", "星期二：两个时段重叠。"),
    ("七点到九点", "星期二：每段时间写成 07:30-12:00"),
])
def test_a_bad_schedule_gets_a_chinese_message_in_the_form_keeps_what_was_typed_and_saves_nothing(
        demo_app, manager, typed, message):
    villages = group_id(demo_app, "villages")
    week = dict(VILLAGE_WEEK, tue=typed)
    response = post_hours(manager, f"/staff/screens/groups/{villages}", week, minutes=25)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert f'value="{typed}"' in page and 'name="hours-minutes"' in page and 'value="25"' in page
    with demo_app.app_context():
        assert db.session.scalar(select(OnHours).where(OnHours.group_id == villages)) is None
        assert db.session.get(ScreenGroup, villages).offline_alert_minutes == 10   # nothing saved half-way


def test_the_api_refuses_bad_schedules_with_the_day_named(manager, demo_app):
    villages = group_id(demo_app, "villages")
    week = hours.every_day("07:00", "21:00") | {"sat": [["22:00", "06:00"]]}
    response = manager.api("PUT", f"/api/v1/screen-groups/{villages}/on-hours", json={"week": week})
    assert response.status_code == 400
    assert "星期六" in response.get_json()["message"]
    missing = {key: value for key, value in hours.every_day("07:00", "21:00").items() if key != "holiday"}
    response = manager.api("PUT", f"/api/v1/screen-groups/{villages}/on-hours", json={"week": missing})
    assert response.status_code == 400 and "法定节假日" in response.get_json()["message"]
    dark = {key: [] for key in hours.DAY_KEYS}          # valid ranges, but the screens would never come on
    response = manager.api("PUT", f"/api/v1/screen-groups/{villages}/on-hours", json={"week": dark})
    assert response.status_code == 400 and "一直黑屏" in response.get_json()["message"]
    response = manager.api("PUT", f"/api/v1/screen-groups/{villages}/on-hours",
                           json={"week": None, "offline_alert_minutes": 0})
    assert response.status_code == 400
    assert manager.api("GET", f"/api/v1/screen-groups/{villages}/on-hours").get_json() == {
        "group": villages, "week": None, "offline_alert_minutes": 10}


def test_a_screen_of_its_own_overrides_its_group_and_is_cleared_back(demo_app, manager, new_screen):
    villages = group_id(demo_app, "villages")
    assert manager.api("PUT", f"/api/v1/screen-groups/{villages}/on-hours",
                       json={"week": hours.every_day("07:00", "21:00"), "offline_alert_minutes": 10}).status_code == 200
    mine, _path = new_screen(name="李庄村委会屏")
    other, _path = new_screen(name="李庄广场屏")
    sockets = [screen_socket(demo_app, token_of(s["player_url"])) for s in (mine, other)]
    for opened in sockets:
        opened.get_received("/screens")
    own = hours.every_day("08:00", "18:00")
    response = manager.api("PUT", f"/api/v1/screens/{mine['id']}/on-hours", json={"week": own})
    assert response.status_code == 200 and response.get_json()["source"] == "screen"
    # Gaining a week of its own changes the screen's state key: it is told to join its rooms again.
    assert events(sockets[0], "changed") == [{"reason": "membership"}] and sockets[1].get_received("/screens") == []
    rejoined = screen_socket(demo_app, token_of(mine["player_url"]))
    state = rejoined.emit("state", namespace="/screens", callback=True)
    assert state["on_hours"][0] == [local_ms(2026, 11, 23, 8), local_ms(2026, 11, 23, 18)]
    assert sockets[1].emit("state", namespace="/screens", callback=True)["on_hours"][0][0] == local_ms(2026, 11, 23, 7)
    rejoined.get_received("/screens")
    # Changing its own week again is pushed at once (its `screen:` room is part of its state key).
    own["mon"] = [["09:00", "17:00"]]
    assert manager.api("PUT", f"/api/v1/screens/{mine['id']}/on-hours", json={"week": own}).status_code == 200
    pushed = events(rejoined, "state")
    assert pushed and pushed[0]["on_hours"][0] == [local_ms(2026, 11, 23, 9), local_ms(2026, 11, 23, 17)]
    assert events(sockets[1], "state") == []

    # Cleared on the screen's page: it follows its group again.
    response = manager.post_form(f"/staff/screens/{mine['id']}", {**hours_form({}, action="clear"),
                                                                  "hours-csrf_token": manager.csrf})
    assert response.status_code == 302
    assert manager.api("GET", f"/api/v1/screens/{mine['id']}/on-hours").get_json()["source"] == "groups"
    page = manager.get(f"/staff/screens/{mine['id']}").get_data(as_text=True)
    assert "村务公开栏" in page


def test_only_the_units_screen_managers_edit_on_hours(demo_app, staff, manager):
    villages = group_id(demo_app, "villages")
    for username in ("editor", "lizhuang", "window1"):
        other = staff(username)
        assert other.get(f"/staff/screens/groups/{villages}").status_code == 403
        assert other.api("PUT", f"/api/v1/screen-groups/{villages}/on-hours",
                         json={"week": None}).status_code == 403
    with demo_app.app_context():
        assert db.session.scalar(select(OnHours)) is None


# --- what each screen reports -------------------------------------------------------------------------------

def test_what_a_screen_reports_reaches_the_screens_page_and_an_old_player_is_marked(demo_app, manager, new_screen):
    screen, _path = new_screen(name="王家村公开栏", unit="wangjia")
    opened = screen_socket(demo_app, token_of(screen["player_url"]))
    error_at = int(clock.now().timestamp() * 1000) - 5000
    opened.emit("heartbeat", {"version": "1.0.0", "width": 1080, "height": 1920, "pixel_ratio": 1.5,
                              "browser": "Chromium 126.0.6478.126", "storage_free": 3 * 1024 ** 3,
                              "error": {"message": "TypeError: x is undefined", "at": error_at}},
                namespace="/screens", callback=True)
    with demo_app.app_context():
        stored = db.session.get(Screen, screen["id"])
        assert (stored.browser, stored.pixel_ratio, stored.storage_free) == ("Chromium 126.0.6478.126", 1.5, 3 * 1024 ** 3)
        assert stored.last_error == "TypeError: x is undefined"
        assert abs((stored.last_error_at - clock.now()).total_seconds() - -5) < 2
    page = manager.get("/staff/screens/").get_data(as_text=True)
    row = page[page.index(f'data-screen="{screen["id"]}"'):]
    row = row[:row.index("</tr>")]
    assert "Chromium 126.0.6478.126" in row and "1080×1920 @1.5x" in row and "3.0 GiB" in row
    assert "outdated" in row and "last-error" in row
    detail = manager.get(f"/staff/screens/{screen['id']}").get_data(as_text=True)
    assert "TypeError: x is undefined" in detail and f"服务器提供 {state.player_version()}" in detail

    # A heartbeat without an error keeps the last one; the current version clears the mark.
    opened.emit("heartbeat", {"version": state.player_version()}, namespace="/screens", callback=True)
    listed = next(s for s in manager.api("GET", "/api/v1/screens").get_json()["screens"] if s["id"] == screen["id"])
    assert listed["player_outdated"] is False and listed["last_error"] == "TypeError: x is undefined"


def loaded_version(browser, path: str) -> tuple[str, str]:
    """A screen's browser opening `path`: (the page it lands on, the version of the code baked into it,
    which display/player/fleet.js reports; tests/screens/test_fleet_browser.py holds it to that)."""
    response = browser.get(path, follow_redirects=True)
    found = re.search(r'<meta name="kiosk-player-version" content="([^"]*)">', response.get_data(as_text=True))
    return response.request.path, found.group(1)


def marked_old(manager, screen_id: int) -> bool:
    """Whether the screens page and the API both mark the screen's player as old (they must agree)."""
    listed = next(s for s in manager.api("GET", "/api/v1/screens").get_json()["screens"] if s["id"] == screen_id)
    page = manager.get("/staff/screens/").get_data(as_text=True)
    row = page[page.index(f'data-screen="{screen_id}"'):]
    on_page = "outdated" in row[:row.index("</tr>")]
    assert listed["player_outdated"] is on_page
    return on_page


@pytest.mark.parametrize("kind, unit, groups, lands_on", [
    ("noticeboard_portrait", "lizhuang", ("villages",), "/display/player"),
    ("hall_board", "jinjia-hall", ("hall",), "/hall/jinjia-hall/board"),
    ("touch_kiosk", "jinjia-hall", (), "/touch/"),
])
def test_a_screen_of_every_kind_still_running_the_page_it_loaded_before_an_upgrade_is_marked_old(
        demo_app, manager, new_screen, monkeypatch, kind, unit, groups, lands_on):
    screen, path = new_screen(kind=kind, unit=unit, name="升级测试屏", groups=groups)
    browser = demo_app.test_client()
    landed, loaded = loaded_version(browser, path)
    assert landed == lands_on and loaded == state.player_version()
    opened = socketio.test_client(demo_app, namespace="/screens", auth={"token": token_of(screen["player_url"]),
                                                                        "version": loaded})
    assert opened.is_connected("/screens") and not marked_old(manager, screen["id"])

    monkeypatch.setattr(state, "PLAYER_VERSION", "9.9.9")       # the server upgraded; the screen did not reload
    opened.emit("heartbeat", {"version": loaded}, namespace="/screens", callback=True)
    assert marked_old(manager, screen["id"])
    assert f"服务器提供 {state.player_version()}" in manager.get(f"/staff/screens/{screen['id']}").get_data(as_text=True)

    landed, reloaded = loaded_version(browser, "/display/player")   # the screen's browser reloads
    assert (landed, reloaded) == (lands_on, state.player_version()) and reloaded.startswith("9.9.9+")
    opened.emit("heartbeat", {"version": reloaded}, namespace="/screens", callback=True)
    assert not marked_old(manager, screen["id"])


# --- remote commands ----------------------------------------------------------------------------------------

def command(manager, screen_id: int, kind: str):
    response = manager.api("POST", f"/api/v1/screens/{screen_id}/commands", json={"kind": kind})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def listed(manager, screen_id: int) -> dict:
    return {c["id"]: c for c in manager.api("GET", f"/api/v1/screens/{screen_id}/commands").get_json()["commands"]}


def test_a_command_reaches_the_connected_screen_and_its_answer_is_stored(demo_app, manager, new_screen):
    screen, _path = new_screen()
    opened = screen_socket(demo_app, token_of(screen["player_url"]))
    opened.get_received("/screens")
    sent = command(manager, screen["id"], "identify")
    received = events(opened, "command")
    assert received == [{"id": sent["id"], "kind": "identify", "seconds": 30, "name": "测试公开栏", "unit": "李庄村",
                         "code": str(screen["id"]), "server": "http://localhost"}]
    assert listed(manager, screen["id"])[sent["id"]]["status"] == "waiting"
    assert opened.emit("command_delivered", {"id": sent["id"]}, namespace="/screens", callback=True) == {"ok": True}
    assert listed(manager, screen["id"])[sent["id"]]["status"] == "delivered"
    opened.emit("command_answer", {"id": sent["id"], "ok": True}, namespace="/screens", callback=True)
    answered = listed(manager, screen["id"])[sent["id"]]
    assert answered["status"] == "answered" and answered["delivered_at"] and answered["answered_at"]
    with demo_app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "screen.command"))
        assert entry.after["kind"] == "identify" and entry.after["screen_id"] == screen["id"]

    # Another screen cannot answer for it.
    other, _path = new_screen(name="另一块屏")
    intruder = screen_socket(demo_app, token_of(other["player_url"]))
    sent = command(manager, screen["id"], "reload")
    assert intruder.emit("command_answer", {"id": sent["id"], "ok": True}, namespace="/screens",
                         callback=True)["ok"] is False
    assert listed(manager, screen["id"])[sent["id"]]["status"] == "waiting"


def test_a_players_delivered_and_answer_handled_at_once_do_not_overwrite_each_other(
        demo_app, manager, new_screen, monkeypatch):
    """The player says "delivered" and answers on one socket, and the server handles the two events
    at once. Here "delivered" has read the command and is about to stamp it when the answer is
    handled; it must not then stamp a delivery after the answer (CI once saw exactly that)."""
    screen, _path = new_screen()
    token = token_of(screen["player_url"])
    delivering, answering = screen_socket(demo_app, token), screen_socket(demo_app, token)
    sent = command(manager, screen["id"], "identify")
    # "delivered" is held as it takes the time to stamp; the answer is handled meanwhile.
    assert in_between(
        monkeypatch,
        lambda: delivering.emit("command_delivered", {"id": sent["id"]}, namespace="/screens", callback=True),
        lambda: answering.emit("command_answer", {"id": sent["id"], "ok": True}, namespace="/screens", callback=True),
        clock, "now") == {"ok": True}
    done = listed(manager, screen["id"])[sent["id"]]
    assert done["status"] == "answered" and done["delivered_at"] <= done["answered_at"]


def test_a_command_to_an_offline_screen_waits_for_it_until_it_expires(demo_app, manager, new_screen):
    screen, _path = new_screen()
    waiting = command(manager, screen["id"], "reload")
    clock.start_at(clock.now() + timedelta(minutes=10))
    opened = screen_socket(demo_app, token_of(screen["player_url"]))
    assert [c["id"] for c in events(opened, "command")] == [waiting["id"]]
    opened.disconnect(namespace="/screens")
    late = command(manager, screen["id"], "identify")
    clock.start_at(clock.now() + timedelta(minutes=31))
    assert listed(manager, screen["id"])[late["id"]]["status"] == "expired"
    opened = screen_socket(demo_app, token_of(screen["player_url"]))
    assert events(opened, "command") == []          # both past their 30 minutes: nothing is sent any more
    assert listed(manager, screen["id"])[waiting["id"]]["status"] == "expired"


def test_a_screenshot_without_the_launcher_is_the_servers_rendering_labelled_as_such(demo_app, manager, new_screen):
    screen, _path = new_screen()
    opened = screen_socket(demo_app, token_of(screen["player_url"]))
    sent = command(manager, screen["id"], "screenshot")
    opened.emit("command_answer", {"id": sent["id"], "ok": True, "result": {"launcher": False}},
                namespace="/screens", callback=True)
    answered = listed(manager, screen["id"])[sent["id"]]
    assert answered["status"] == "answered" and answered["screenshot_source"] == "thumbnail"
    picture = manager.get(answered["screenshot"])
    assert picture.status_code == 200 and Image.open(io.BytesIO(picture.data)).width == 960
    page = manager.get(f"/staff/screens/{screen['id']}").get_data(as_text=True)
    assert "服务器绘制：此屏幕没有启动器" in page


def test_a_screenshot_through_the_launcher_is_uploaded_by_the_player(demo_app, manager, new_screen):
    screen, _path = new_screen()
    token = token_of(screen["player_url"])
    sent = command(manager, screen["id"], "screenshot")
    client = demo_app.test_client()
    assert client.post(f"/display/commands/{sent['id']}/screenshot", data=b"not a picture",
                       headers={"X-Screen-Token": token, "Content-Type": "image/png"}).status_code == 415
    assert client.post(f"/display/commands/{sent['id']}/screenshot", data=png_bytes(),
                       headers={"X-Screen-Token": "wrong", "Content-Type": "image/png"}).status_code == 401
    response = client.post(f"/display/commands/{sent['id']}/screenshot", data=png_bytes("#123456"),
                           headers={"X-Screen-Token": token, "Content-Type": "image/png"})
    assert response.status_code == 200
    answered = listed(manager, screen["id"])[sent["id"]]
    assert answered["screenshot_source"] == "browser" and answered["status"] == "answered"
    shot = Image.open(io.BytesIO(manager.get(answered["screenshot"]).data)).convert("RGB")
    assert shot.getpixel((5, 5)) == (0x12, 0x34, 0x56)
    assert "浏览器实际显示的画面" in manager.get(f"/staff/screens/{screen['id']}").get_data(as_text=True)


def test_a_group_command_goes_to_each_screen_of_the_group_that_runs_a_player(demo_app, manager, new_screen):
    first, _path = new_screen(name="李庄一号屏")
    second, _path = new_screen(name="李庄二号屏", unit="wangjia")
    board, _path = new_screen(name="电子墨水屏", kind="image_board")
    sockets = [screen_socket(demo_app, token_of(s["player_url"])) for s in (first, second)]
    villages = group_id(demo_app, "villages")
    response = manager.api("POST", f"/api/v1/screen-groups/{villages}/commands", json={"kind": "reload"})
    assert response.status_code == 201
    sent = response.get_json()["commands"]
    targets = {c["screen"] for c in sent}
    assert {first["id"], second["id"]} <= targets and board["id"] not in targets
    assert all(c["group"] == villages for c in sent)
    for opened, screen in zip(sockets, (first, second)):
        mine = next(c for c in sent if c["screen"] == screen["id"])
        assert [c["id"] for c in events(opened, "command")] == [mine["id"]]
    # The group's page lists them with their screens.
    page = manager.get(f"/staff/screens/groups/{villages}").get_data(as_text=True)
    assert "李庄一号屏" in page and "李庄二号屏" in page and page.count('data-command="') == len(sent)
    assert manager.api("POST", f"/api/v1/screens/{board['id']}/commands", json={"kind": "reload"}).status_code == 400


def test_only_the_units_screen_managers_send_commands(demo_app, staff, new_screen):
    screen, _path = new_screen()
    for username in ("editor", "lizhuang"):
        assert staff(username).api("POST", f"/api/v1/screens/{screen['id']}/commands",
                                   json={"kind": "reboot"}).status_code == 403
    with demo_app.app_context():
        assert db.session.scalar(select(ScreenCommand)) is None


# --- image-only boards --------------------------------------------------------------------------------------

def test_an_image_only_board_sleeps_outside_on_hours_polls_slowly_and_wakes_for_an_urgent_notice(
        demo_app, manager, new_screen):
    villages = group_id(demo_app, "villages")
    assert manager.api("PUT", f"/api/v1/screen-groups/{villages}/on-hours",
                       json={"week": hours.every_day("07:00", "21:00"), "offline_alert_minutes": 10}).status_code == 200
    board, _path = new_screen(name="村口墨水屏", kind="image_board")
    client = demo_app.test_client()
    url = board["player_url"]
    day = client.get(url)
    assert day.status_code == 200 and day.headers["X-Slide-Key"] != "sleep" and "Retry-After" not in day.headers

    clock.set_now(datetime(2026, 11, 23, 23, 0, tzinfo=SHANGHAI))
    night = client.get(url)
    assert night.headers["X-Slide-Key"] == "sleep"
    assert night.headers["Retry-After"] == night.headers["X-Next-Change"] == "300"   # slowly, at most 5 min
    assert ImageStat.Stat(Image.open(io.BytesIO(night.data)).convert("L")).mean[0] < 10   # dark
    with demo_app.app_context():
        reports = db.session.scalars(select(DisplayReport).where(DisplayReport.screen_id == board["id"])).all()
        assert [r.slide_key for r in reports] != [] and all(r.slide_key != "sleep" for r in reports)
        assert db.session.get(Screen, board["id"]).now_showing["kind"] == "sleep"   # heard from, showing nothing

    clock.set_now(datetime(2026, 11, 24, 6, 58, tzinfo=SHANGHAI))
    assert client.get(url).headers["X-Next-Change"] == "120"                       # wakes at 07:00
    assert manager.api("POST", "/api/v1/urgent-notices", json={
        "unit": "jinjia", "title": "暴雨红色预警", "groups": [villages]}).status_code == 201
    urgent = client.get(url)
    assert urgent.headers["X-Slide-Key"].startswith("urgent:")


def test_the_version_changes_with_the_screens_code_even_when_nobody_bumps_the_release(tmp_path, monkeypatch):
    display = tmp_path / "display"
    shutil.copytree(DISPLAY_DIR, display, ignore=shutil.ignore_patterns("node_modules"))
    monkeypatch.setattr(state, "DISPLAY_DIR", display)
    state._screen_code_digest.cache_clear()
    before = state.player_version()
    (display / "player" / "slides.js").write_text((display / "player" / "slides.js").read_text() + "\n// fixed\n")
    state._screen_code_digest.cache_clear()
    after = state.player_version()
    monkeypatch.undo()
    state._screen_code_digest.cache_clear()
    assert before.startswith(f"{state.PLAYER_VERSION}+") and after.startswith(f"{state.PLAYER_VERSION}+")
    assert after != before and state.player_version() == before   # the real files give the first again
