"""Official warnings through the public surface: a platform POSTs CAP alerts with its source's token,
they become urgent notices or ticker lines on the screens of the units their division codes name,
wait for approval where a unit wants it (or where the privacy gate found something), end at their
expiry or by an update or cancellation, and every one of them is listed and audited."""
import re
import threading
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from kiosk.audit.models import AuditEntry
from kiosk.broadcast.jobs import expire_warnings, poll_feeds
from kiosk.core import clock
from kiosk.extensions import db
from kiosk.screens.devices import HEADER
from tests.broadcast.conftest import LIZHUANG_CODE, cap_alert, reference

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def screen_state(demo_app, new_screen):
    """screen_state() → the state of a new noticeboard of 李庄村, in the township's village group and
    李庄村's own group like the demo's boards."""
    screen, path = new_screen(groups=("villages", ("lizhuang", "board")))
    token = path.rsplit("/", 1)[1]

    def state():
        response = demo_app.test_client().get("/display/state", headers={HEADER: token})
        assert response.status_code == 200
        return response.get_json()
    return state


def listed(staff_client) -> dict:
    return {w["identifier"] or f"#{w['id']}": w for w in staff_client.api("GET", "/api/v1/warnings").get_json()["warnings"]}


def test_a_severe_alert_covers_the_screens_of_its_area_and_an_update_turns_it_into_a_ticker(
        post_alert, screen_state, manager):
    response = post_alert(cap_alert())
    assert response.status_code == 201, response.get_json()
    alert = response.get_json()
    assert alert["outcome"] == "placed" and [p["state"] for p in alert["placements"]] == ["shown"]
    assert alert["placements"][0]["unit"] == "jinjia" and alert["placements"][0]["urgent_notice"]
    urgent = screen_state()["urgent"]
    assert [u["title"] for u in urgent] == ["金家镇暴雨红色预警"]
    assert urgent[0]["until"] == int(datetime(2026, 11, 23, 12, tzinfo=SHANGHAI).timestamp() * 1000)
    # the severity drops: the update replaces it, as a ticker line
    update = post_alert(cap_alert("CN-20261123-0002", msg_type="Update", severity="Moderate", event="暴雨黄色预警",
                                  headline="暴雨预警降为黄色", references=reference()))
    assert update.status_code == 201 and update.get_json()["outcome"] == "placed"
    state = screen_state()
    assert state["urgent"] == []
    assert [t["urgent"] for t in state["tickers"]] == [True, False]    # above the demo's line
    assert state["tickers"][0]["text"].startswith("【暴雨黄色预警】暴雨预警降为黄色：预计未来3小时")
    warnings = listed(manager)
    assert warnings["CN-20261123-0001"]["outcome"] == "replaced"
    assert [p["state"] for p in warnings["CN-20261123-0001"]["placements"]] == ["ended"]
    # a cancellation ends it
    cancel = post_alert(cap_alert("CN-20261123-0003", msg_type="Cancel", references=reference("CN-20261123-0002"),
                                  leave_out=("info",)))
    assert cancel.status_code == 201 and cancel.get_json()["outcome"] == "cancel"
    assert [t["urgent"] for t in screen_state()["tickers"]] == [False]
    assert listed(manager)["CN-20261123-0002"]["outcome"] == "cancelled"


def test_a_village_code_reaches_only_that_village(post_alert, screen_state, new_screen, demo_app):
    # 李庄村's own groups: its screens show it, 王家村's do not
    _other, other_path = new_screen(unit="wangjia", name="王家村测试屏", groups=(("wangjia", "board"),))
    response = post_alert(cap_alert(codes=(LIZHUANG_CODE,), severity="Minor", event="大风蓝色预警",
                                    headline="李庄村大风蓝色预警"))
    assert response.status_code == 201 and [p["unit"] for p in response.get_json()["placements"]] == ["lizhuang"]
    assert any(t["text"].startswith("【大风蓝色预警】") for t in screen_state()["tickers"])
    other = demo_app.test_client().get("/display/state", headers={HEADER: other_path.rsplit("/", 1)[1]}).get_json()
    assert not any("大风" in t["text"] for t in other["tickers"])


@pytest.mark.parametrize("data, outcome", [
    (cap_alert(expires="2026-11-23T08:59:00+08:00"), "expired"),
    (cap_alert(codes=("110101001000",)), "unknown_area"),
    (cap_alert(codes=("330102001000",), code_name="邮政编码"), "unknown_area"),
    (cap_alert(status="Exercise"), "not_actual"),
    (cap_alert(msg_type="Cancel", references=reference("never-sent"), leave_out=("info",)), "unknown_reference"),
])
def test_alerts_that_show_nowhere_are_kept_with_what_became_of_them(post_alert, screen_state, manager, data,
                                                                     outcome):
    response = post_alert(data)
    assert response.status_code == 201 and response.get_json()["outcome"] == outcome, response.get_json()
    assert response.get_json()["placements"] == [] and response.get_json()["reason"]
    assert screen_state()["urgent"] == []
    page = manager.get("/staff/broadcast/warnings").get_data(as_text=True)
    assert f'data-outcome="{outcome}"' in page


def test_malformed_alerts_and_bombs_are_refused_listed_and_audited(post_alert, manager, demo_app):
    from tests.broadcast.test_cap import BILLION_LAUGHS
    for data in (cap_alert(leave_out=("severity",)), BILLION_LAUGHS, b"<alert"):
        response = post_alert(data)
        assert response.status_code == 422 and response.get_json()["error"] == "cap_invalid"
    warnings = manager.api("GET", "/api/v1/warnings").get_json()["warnings"]
    assert [w["outcome"] for w in warnings] == ["malformed"] * 3
    assert "<severity>" in warnings[2]["reason"] and "DTD" in warnings[1]["reason"]
    with demo_app.app_context():
        logged = db.session.scalars(select(AuditEntry.reason).where(AuditEntry.action == "warning.receive")).all()
    assert len(logged) == 3
    # the same alert twice is kept once as shown, then as a duplicate
    assert post_alert(cap_alert()).get_json()["outcome"] == "placed"
    assert post_alert(cap_alert()).get_json()["outcome"] == "duplicate"


def test_only_a_warning_source_token_may_post(post_alert, token_for, demo_app, staff, source):
    assert post_alert(cap_alert(), token="not-a-token").status_code == 401
    admin_token = token_for("admin")["Authorization"].removeprefix("Bearer ")
    assert post_alert(cap_alert(), token=admin_token).status_code == 401       # a staff token is not a source's
    assert staff("admin").api("POST", f"/api/v1/warning-sources/{source['id']}/disable").status_code == 200
    assert post_alert(cap_alert()).status_code == 401
    assert post_alert(b"x" * (demo_app.config["KIOSK_WARNING_MAX_BYTES"] + 1), token=None).status_code in (401, 413)


def test_a_unit_that_wants_approval_gets_one_touch_on_the_phone_page(post_alert, screen_state, manager, demo_app):
    assert manager.api("PUT", "/api/v1/warnings/policies/jinjia", json={"approval_required": True}).status_code == 200
    alert = post_alert(cap_alert()).get_json()
    placement = alert["placements"][0]
    assert placement["state"] == "awaiting" and screen_state()["urgent"] == []
    page = manager.get("/staff/broadcast/warnings/approve").get_data(as_text=True)
    assert f'data-placement="{placement["id"]}"' in page and "金家镇暴雨红色预警" in page
    answer = manager.post_form("/staff/broadcast/warnings/approve", {"placement": placement["id"], "action": "approve"})
    assert answer.status_code == 302
    assert [u["title"] for u in screen_state()["urgent"]] == ["金家镇暴雨红色预警"]
    assert manager.api("POST", f"/api/v1/warnings/placements/{placement['id']}/approve").status_code == 409
    # the next one is turned down
    second = post_alert(cap_alert("CN-2", severity="Minor")).get_json()["placements"][0]
    assert manager.api("POST", f"/api/v1/warnings/placements/{second['id']}/reject").status_code == 200
    assert not any(t["urgent"] for t in screen_state()["tickers"])
    with demo_app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("warning.%"))).all()
    assert {"warning.policy", "warning.receive", "warning.place", "warning.approve", "warning.reject"} <= set(actions)


def test_a_warning_that_trips_the_privacy_gate_waits_and_shows_masked(post_alert, screen_state, manager):
    alert = post_alert(cap_alert(description="如需救援请拨打值班电话13812345678。")).get_json()
    placement = alert["placements"][0]
    assert placement["state"] == "awaiting" and placement["held_for_privacy"]
    assert [f["kind"] for f in alert["findings"]] == ["mobile"]
    page = manager.get("/staff/broadcast/warnings/approve").get_data(as_text=True)
    assert "13812345678" not in page and "138****5678" in page and 'class="finding"' in page
    assert manager.api("POST", f"/api/v1/warnings/placements/{placement['id']}/approve").status_code == 200
    body = screen_state()["urgent"][0]["body"]
    assert "138****5678" in body and "13812345678" not in body


def test_warnings_end_at_their_expiry(post_alert, screen_state, manager, demo_app):
    post_alert(cap_alert(expires="2026-11-23T10:00:00+08:00"))
    assert screen_state()["urgent"]
    clock.set_now(datetime(2026, 11, 23, 10, 0, 1, tzinfo=SHANGHAI))
    assert screen_state()["urgent"] == []        # the state's own end, before any job ran
    with demo_app.app_context():
        assert expire_warnings() == "1 warnings ended at their expiry"
        assert expire_warnings() is None
    assert listed(manager)["CN-20261123-0001"]["outcome"] == "ended"


class _Feeds(SimpleHTTPRequestHandler):
    """Files from a folder; /moved/<path> redirects to the Location in the file <path>.redirect."""
    def do_GET(self):
        if self.path.startswith("/moved/"):
            self.send_response(302)
            self.send_header("Location", Path(self.directory, self.path[len("/moved/"):] + ".redirect").read_text())
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture
def feed_server(tmp_path):
    """feed_server(files) → the address of a server of those files on 127.0.0.1."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Feeds, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def serve(files: dict[str, str | bytes]) -> str:
        for name, content in files.items():
            (tmp_path / name).write_bytes(content if isinstance(content, bytes) else content.encode())
        return f"http://127.0.0.1:{server.server_port}"
    yield serve
    server.shutdown()


def add_feed(staff, url: str) -> int:
    created = staff("admin").api("POST", "/api/v1/warning-sources", json={
        "unit": "county", "name": "县预警订阅", "feed_url": url, "poll_seconds": 60})
    assert created.status_code == 201, created.get_json()
    return created.get_json()["id"]


def source_error(staff) -> str:
    return staff("admin").api("GET", "/api/v1/warning-sources").get_json()["sources"][0]["last_error"]


ATOM_FEED = ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>县预警</title>'
             '<entry><id>urn:alert:1</id><title>寒潮蓝色预警</title><link href="{link}"/></entry></feed>')
RSS_FEED = ('<?xml version="1.0"?><rss version="2.0"><channel><title>县预警</title>'
            '<item><guid>urn:alert:1</guid><title>寒潮蓝色预警</title><link>{link}</link></item></channel></rss>')


@pytest.mark.parametrize("feed", [ATOM_FEED, RSS_FEED], ids=["atom", "rss"])
def test_a_feed_is_polled_and_each_alert_read_once(demo_app, staff, screen_state, feed_server, manager, feed):
    base = feed_server({"alert-1.xml": cap_alert(severity="Moderate", event="寒潮蓝色预警", headline="寒潮来袭"),
                        "feed.xml": feed.format(link="alert-1.xml")})
    add_feed(staff, f"{base}/feed.xml")
    with demo_app.app_context():
        assert poll_feeds() == "1 warnings read from feeds"
    assert any(t["text"].startswith("【寒潮蓝色预警】寒潮来袭") for t in screen_state()["tickers"])
    clock.shift(timedelta(seconds=61))
    with demo_app.app_context():
        assert poll_feeds() is None          # polled again, nothing new
    sources = staff("admin").api("GET", "/api/v1/warning-sources").get_json()["sources"]
    assert sources[0]["last_polled_at"] and source_error(staff) == ""
    assert listed(manager)["CN-20261123-0001"]["received_via"] == "feed"


@pytest.mark.parametrize("link, redirect", [
    ("file:///etc/passwd", None),
    ("http://localhost:{port}/alert-1.xml", None),            # the same machine under another name
    ("/moved/alert-1.xml", "http://localhost:{port}/alert-1.xml"),
    ("/moved/alert-1.xml", "file:///etc/passwd"),
], ids=["file", "another-host", "redirect-to-another-host", "redirect-to-a-file"])
def test_a_feed_cannot_send_the_server_outside_its_own_host(demo_app, staff, manager, feed_server, link, redirect):
    base = feed_server({"alert-1.xml": cap_alert(severity="Moderate", event="寒潮蓝色预警", headline="寒潮来袭")})
    port = base.rsplit(":", 1)[1]
    files = {"feed.xml": ATOM_FEED.format(link=link.format(port=port))}
    if redirect:
        files["alert-1.xml.redirect"] = redirect.format(port=port)
    feed_server(files)
    add_feed(staff, f"{base}/feed.xml")
    with demo_app.app_context():
        assert poll_feeds() is None
    assert source_error(staff).startswith("订阅源指向了其主机以外的地址")
    assert "CN-20261123-0001" not in listed(manager)


def test_division_codes_are_the_administrators_and_policies_the_managers(staff, manager):
    admin = staff("admin")
    assert manager.api("PUT", "/api/v1/units/lizhuang/division-code", json={"division_code": "330102001099"}
                       ).status_code == 403
    assert admin.api("PUT", "/api/v1/units/lizhuang/division-code", json={"division_code": "3301"}).status_code == 400
    taken = admin.api("PUT", "/api/v1/units/lizhuang/division-code", json={"division_code": "330102001000"})
    assert taken.status_code == 409                                          # 金家镇's
    done = admin.api("PUT", "/api/v1/units/lizhuang/division-code", json={"division_code": "330102001099"})
    assert done.status_code == 200 and done.get_json()["division_code"] == "330102001099"
    assert staff("lizhuang").api("PUT", "/api/v1/warnings/policies/lizhuang",
                                 json={"approval_required": True}).status_code == 403
    assert staff("lizhuang").api("GET", "/api/v1/warnings").status_code == 403
    assert manager.get("/staff/broadcast/warnings").status_code == 200


def test_staff_are_told_of_a_warning_awaiting_approval_and_of_a_feed_that_fails(post_alert, manager, demo_app, staff):
    from kiosk.broadcast.conditions import feeds_failing, warnings_awaiting
    assert manager.api("PUT", "/api/v1/warnings/policies/jinjia", json={"approval_required": True}).status_code == 200
    placement = post_alert(cap_alert(expires="2026-11-23T10:00:00+08:00")).get_json()["placements"][0]
    created = staff("admin").api("POST", "/api/v1/warning-sources", json={
        "unit": "county", "name": "县预警订阅", "feed_url": "http://127.0.0.1:9/feed.xml"})
    with demo_app.app_context(), demo_app.test_request_context():
        found = list(warnings_awaiting(clock.now()))
        assert [f.key for f in found] == [f"warning:{placement['id']}"] and "金家镇暴雨红色预警" in found[0].title
        assert list(warnings_awaiting(datetime(2026, 11, 23, 10, 1, tzinfo=SHANGHAI))) == []   # expired meanwhile
        assert list(feeds_failing(clock.now())) == []
        assert poll_feeds() is None                       # nothing there: the error is kept on the source
        failing = list(feeds_failing(clock.now()))
        assert [f.key for f in failing] == [f"warning-source:{created.get_json()['id']}"] and failing[0].detail


def test_a_township_sees_its_own_warnings_not_another_townships(post_alert, manager, staff, demo_app):
    from kiosk.org.models import UnitKind
    from kiosk.org.operations import create_unit, get_unit_by_code
    from kiosk.screens.models import ScreenGroup
    with demo_app.app_context():
        yinhe = create_unit(UnitKind.township, "银河镇", "yinhe", get_unit_by_code("county"))
        baishui = create_unit(UnitKind.village, "白水村", "baishui", yinhe)
        baishui.division_code = "330102002001"
        db.session.add(ScreenGroup(unit=baishui, code="board", name="白水村公开栏"))
        db.session.commit()
    elsewhere = post_alert(cap_alert("CN-YINHE", codes=("330102002001",))).get_json()
    assert [p["unit"] for p in elsewhere["placements"]] == ["baishui"]
    post_alert(cap_alert("CN-JINJIA"))
    post_alert(cap_alert("CN-NOWHERE", codes=("110101001000",)))
    assert set(listed(manager)) == {"CN-JINJIA", "CN-NOWHERE"}           # 金家镇's screen manager
    assert {"CN-YINHE", "CN-JINJIA", "CN-NOWHERE"} <= set(listed(staff("admin")))   # the county's administrator
    assert "CN-YINHE" not in manager.get("/staff/broadcast/warnings").get_data(as_text=True)
    placement = elsewhere["placements"][0]["id"]
    assert manager.api("POST", f"/api/v1/warnings/placements/{placement}/approve").status_code == 404


def test_an_administrator_registers_a_source_on_the_page_and_its_platform_sends_with_the_token_shown_once(
        staff, demo_app, manager, screen_state):
    admin = staff("admin")
    send = partial(demo_app.test_client().post, "/api/v1/warnings/cap")
    refused = admin.post_form("/staff/broadcast/warnings/sources", data={
        "name": "县预警平台", "unit": "county", "feed_url": "ftp://127.0.0.1/feed.xml", "poll_seconds": "60"})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "订阅地址须以 https:// 或 http:// 开头。" in page and 'value="县预警平台"' in page   # what was typed stays
    created = admin.post_form("/staff/broadcast/warnings/sources", data={
        "name": "县预警平台", "unit": "county", "feed_url": "", "poll_seconds": "60"})
    assert created.status_code == 200
    token = re.search(r'<div class="card" id="new-token">.*?<code>([^<]+)</code>', created.get_data(as_text=True),
                      re.S).group(1)
    assert token not in admin.get("/staff/broadcast/warnings").get_data(as_text=True)       # shown once
    assert manager.post_form("/staff/broadcast/warnings/sources", data={
        "name": "镇里自建", "unit": "jinjia", "poll_seconds": "60"}).status_code == 403      # administrators only

    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/cap+xml"}
    sent = send(data=cap_alert(), headers=headers)
    assert sent.status_code == 201, sent.get_json()
    assert [u["title"] for u in screen_state()["urgent"]] == ["金家镇暴雨红色预警"]

    source_id = admin.api("GET", "/api/v1/warning-sources").get_json()["sources"][0]["id"]
    assert admin.post_form(f"/staff/broadcast/warnings/sources/{source_id}/disable").status_code == 302
    assert send(data=cap_alert("CN-20261123-0009"), headers=headers).status_code == 401
