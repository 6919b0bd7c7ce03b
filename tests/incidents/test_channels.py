"""Alert channels as an administrator sets them up: the form, its refusals in Chinese with nothing
saved, changing a channel in place (page and API, secrets kept and never shown), the test button
queuing a message that the delivery job sends against the local receivers (and an SMTP server
that refuses), the audit."""
import time

from sqlalchemy import func, select

from kiosk.audit.models import AuditEntry
from kiosk.core import clock
from kiosk.extensions import db
from kiosk.incidents.delivery import claim
from kiosk.incidents.models import AlertChannel, AlertDelivery, DeliveryEvent, DeliveryStatus
from kiosk.incidents.operations import deliver
from kiosk.scheduling import registered_jobs
from tests.conftest import free_port
from tests.incidents.conftest import SMTP_USER
from tests.incidents.receivers import DINGTALK_SECRET


def press_test(fleet, admin, channel_id: int) -> str:
    """Press "Send a test message", let the delivery job run, and read the channel's page."""
    response = admin.post_form(f"/staff/incidents/channels/{channel_id}", {"action": "test"})
    assert response.status_code == 303
    fleet.deliver()
    return admin.get(f"/staff/incidents/channels/{channel_id}").get_data(as_text=True)


def channel_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(AlertChannel.id)))


def form(**fields) -> dict:
    base = {"unit": "jinjia", "kind": "wecom", "name": "新渠道", "url": "", "secret": "", "host": "", "port": "587",
            "user": "", "password_env": "", "sender": "", "to": ""}
    return {**base, **fields}


def test_a_robot_channel_is_saved_from_the_form_and_its_test_message_arrives_signed(fleet, staff):
    admin = staff("admin")
    before = channel_count(fleet.app)
    response = admin.post_form("/staff/incidents/channels", form(kind="dingtalk", name="镇钉钉值班群",
                                                                 url=f"{fleet.robots.url}/dingtalk",
                                                                 secret=DINGTALK_SECRET, markdown="y"))
    assert response.status_code == 302
    assert channel_count(fleet.app) == before + 1
    with fleet.app.app_context():
        channel = db.session.scalar(select(AlertChannel).where(AlertChannel.name == "镇钉钉值班群"))
        channel_id = channel.id
    assert "测试消息已发送" in press_test(fleet, admin, channel_id)
    [received] = fleet.robots.at("/dingtalk")          # the receiver checked the signature
    assert received.body["markdown"]["title"] == "乡镇公告屏测试消息" and "timestamp" in received.query
    with fleet.app.app_context():
        actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "alert_channel",
                                                                         AuditEntry.object_id == str(channel_id))))
        assert actions == {"alert_channel.create", "alert_channel.test"}


def test_a_wrong_secret_is_reported_by_the_test_button(fleet, staff):
    admin = staff("admin")
    admin.post_form("/staff/incidents/channels", form(kind="dingtalk", name="密钥错了", url=f"{fleet.robots.url}/dingtalk",
                                                      secret="SECwrong"))
    with fleet.app.app_context():
        channel_id = db.session.scalar(select(AlertChannel.id).where(AlertChannel.name == "密钥错了"))
    text = press_test(fleet, admin, channel_id)
    assert "发送失败" in text and "310000" in text and "sign not match" in text
    with fleet.app.app_context():
        delivery = db.session.scalar(select(AlertDelivery).where(AlertDelivery.channel_id == channel_id))
        assert (delivery.event, delivery.status, delivery.attempts) == (DeliveryEvent.test, DeliveryStatus.failed, 1)
    page = admin.post_form(f"/staff/incidents/channels/{channel_id}", {"action": "delete"}, follow_redirects=True)
    assert "已删除" in page.get_data(as_text=True)
    with fleet.app.app_context():
        assert db.session.get(AlertChannel, channel_id) is None
        assert db.session.scalar(select(func.count(AlertDelivery.id)).where(AlertDelivery.channel_id == channel_id)) == 0
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.object_type == "alert_channel",
                                                                 AuditEntry.action == "alert_channel.delete"))


def test_the_email_test_message_arrives_over_starttls_and_a_refusing_server_is_reported(fleet, staff, monkeypatch):
    admin = staff("admin")
    email_id = fleet.channel_ids["email"]
    assert "测试消息已发送" in press_test(fleet, admin, email_id)
    assert fleet.mailbox.subjects() == ["乡镇公告屏测试消息"]
    monkeypatch.setenv("KIOSK_TEST_SMTP_PASSWORD", "not-the-password")
    assert "邮件服务器拒绝了用户名或密码" in press_test(fleet, admin, email_id)
    monkeypatch.delenv("KIOSK_TEST_SMTP_PASSWORD")
    assert "KIOSK_TEST_SMTP_PASSWORD" in press_test(fleet, admin, email_id)
    admin.post_form("/staff/incidents/channels", form(kind="email", name="无人应答", host="127.0.0.1",
                                                      port=str(free_port()), sender=SMTP_USER, to="a@b.cn"))
    with fleet.app.app_context():
        dead_id = db.session.scalar(select(AlertChannel.id).where(AlertChannel.name == "无人应答"))
    assert "无法连接邮件服务器" in press_test(fleet, admin, dead_id)


def test_bad_channel_input_is_refused_in_chinese_and_nothing_is_saved(fleet, staff):
    admin = staff("admin")
    before = channel_count(fleet.app)
    cases = [
        (form(kind="wecom", url="ftp://qyapi.weixin.qq.com/cgi-bin/webhook/send"), "http://"),
        (form(kind="webhook", url="javascript:alert(1)"), "http://"),
        (form(kind="dingtalk", url="https://oapi.dingtalk.com/robot/send?access_token=x"), "密钥"),
        (form(kind="email", host="smtp.example.cn", port="99999", sender=SMTP_USER, to="a@b.cn"), "端口"),
        (form(kind="email", host="smtp.example.cn", user="x", password_env="my password", sender=SMTP_USER,
              to="a@b.cn"), "环境变量"),
        (form(kind="email", host="smtp.example.cn", sender=SMTP_USER, to="not an address"), "收件人"),
        (form(kind="wecom", name="", url="https://qyapi.weixin.qq.com/x"), "名称"),
    ]
    for data, words in cases:
        response = admin.post_form("/staff/incidents/channels", data)
        text = response.get_data(as_text=True)
        assert response.status_code == 400 and words in text, (data, words)
        assert f'value="{data["url"]}"' in text or not data["url"]          # what was typed is kept
    assert channel_count(fleet.app) == before


def test_only_administrators_of_the_unit_manage_its_channels(fleet, staff):
    assert staff("screens").get("/staff/incidents/channels").status_code == 403
    lizhuang = staff("lizhuang")
    assert lizhuang.post_form(f"/staff/incidents/channels/{fleet.channel_ids['wecom']}",
                              {"action": "test"}).status_code == 403


def test_the_test_button_returns_before_a_slow_receiver_answers_and_the_page_follows_it(fleet, staff, monkeypatch):
    """The request only queues the test message; the one scheduler's `incidents.deliver` job sends it
    within seconds, and the channel's page (its small JSON status) says queued, then sent."""
    from kiosk import scheduling
    from kiosk.scheduling import runner
    admin = staff("admin")
    hook = fleet.channel_ids["webhook"]
    fleet.robots.slow["/hook"] = 3
    monkeypatch.setattr(runner, "_JOBS", {"incidents.deliver": registered_jobs()["incidents.deliver"]})
    scheduler = scheduling.start(fleet.app)
    try:
        started = time.monotonic()
        response = admin.post_form(f"/staff/incidents/channels/{hook}", {"action": "test"})
        assert response.status_code == 303 and time.monotonic() - started < 1.5
        assert fleet.robots.at("/hook") == []
        page = admin.get(response.headers["Location"]).get_data(as_text=True)
        assert 'id="test-status" data-state="queued"' in page and "已排队" in page and "test-status.js" in page
        deadline, report = time.monotonic() + 20, None
        while time.monotonic() < deadline:
            report = admin.get(f"/api/v1/alert-channels/{hook}/test").get_json()
            if report["state"] != "queued":
                break
            time.sleep(0.3)
        assert report["state"] == "sent", report
        assert time.monotonic() - started >= 3            # it waited for the receiver, the request did not
        [received] = fleet.robots.at("/hook")
        assert received.body["subject"] == "乡镇公告屏测试消息"
    finally:
        scheduler.shutdown(wait=True)
        runner._running = None
    page = admin.get(f"/staff/incidents/channels/{hook}").get_data(as_text=True)
    assert 'data-state="sent"' in page and "测试消息已发送" in page
    with fleet.app.app_context():
        [delivery] = db.session.scalars(select(AlertDelivery).where(AlertDelivery.channel_id == hook))
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.sent, 1)


def test_a_failed_test_is_tried_once_and_its_reason_shown(fleet, staff):
    admin = staff("admin")
    fleet.robots.fail["/wecom"] = 1
    text = press_test(fleet, admin, fleet.channel_ids["wecom"])
    assert 'data-state="failed"' in text and "HTTP 500" in text
    fleet.deliver()
    assert fleet.robots.at("/wecom") == []                # not retried: the administrator presses again
    assert "测试消息已发送" in press_test(fleet, admin, fleet.channel_ids["wecom"])


def test_the_delivery_job_runs_every_two_seconds_and_never_sends_a_message_twice(fleet, staff):
    assert (registered_jobs()["incidents.deliver"].func, registered_jobs()["incidents.deliver"].trigger_args) == (
        deliver, {"seconds": 2})
    admin = staff("admin")
    admin.post_form(f"/staff/incidents/channels/{fleet.channel_ids['wecom']}", {"action": "test"})
    with fleet.app.app_context():
        delivery_id = db.session.scalar(select(AlertDelivery.id))
        assert claim(delivery_id, clock.now()) is True
        assert claim(delivery_id, clock.now()) is False     # the other sender finds it taken
    fleet.deliver()
    assert fleet.robots.at("/wecom") == []


def test_a_channel_is_changed_in_place_keeping_its_secret_history_and_health(fleet, staff):
    admin = staff("admin")
    ding = fleet.channel_ids["dingtalk"]
    assert "测试消息已发送" in press_test(fleet, admin, ding)
    with fleet.app.app_context():
        channel = db.session.get(AlertChannel, ding)
        channel.failures, channel.last_error = 2, "earlier trouble"
        db.session.commit()
    page = admin.get(f"/staff/incidents/channels/{ding}").get_data(as_text=True)
    assert DINGTALK_SECRET not in page and f"{fleet.robots.url}/dingtalk" in page      # the address, masked
    assert "留空则保留已存的密钥" in page and 'name="secret" type="password" value=""' in page
    new_url = f"{fleet.robots.url}/dingtalk?access_token=new-robot-key"
    response = admin.post_form(f"/staff/incidents/channels/{ding}", {"action": "save", "name": "镇钉钉值班群（新）",
                                                                     "url": new_url, "secret": "", "markdown": "y"})
    assert response.status_code == 303
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "镇钉钉值班群（新）" in page and "new-robot-key" not in page and DINGTALK_SECRET not in page
    assert "乡镇公告屏测试消息" in page                        # its messages stay with it
    with fleet.app.app_context():
        channel = db.session.get(AlertChannel, ding)
        assert (channel.secret, channel.config["url"], channel.failures) == (DINGTALK_SECRET, new_url, 2)
        assert db.session.scalar(select(func.count(AlertDelivery.id)).where(AlertDelivery.channel_id == ding)) == 1
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "alert_channel.edit"))
        kept = str(entry.before) + str(entry.after)
        assert DINGTALK_SECRET not in kept and "new-robot-key" not in kept and "secret_changed" not in entry.after
        assert (entry.before["name"], entry.after["name"]) == ("镇钉钉群", "镇钉钉值班群（新）")
    assert "测试消息已发送" in press_test(fleet, admin, ding)  # the kept secret still signs
    audit = admin.get("/staff/audit/").get_data(as_text=True)
    assert "修改了告警渠道" in audit


def test_a_bad_change_is_refused_in_chinese_keeping_what_was_typed(fleet, staff):
    admin = staff("admin")
    email = fleet.channel_ids["email"]
    response = admin.post_form(f"/staff/incidents/channels/{email}", {
        "action": "save", "name": "值班邮箱", "host": "127.0.0.1", "port": "70000", "user": SMTP_USER,
        "password_env": "KIOSK_TEST_SMTP_PASSWORD", "sender": SMTP_USER, "to": "duty@jinjia.gov.cn, 新同事@jinjia.gov.cn"})
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "端口" in text and 'value="70000"' in text and "新同事@jinjia.gov.cn" in text
    with fleet.app.app_context():
        assert db.session.get(AlertChannel, email).config["port"] == fleet.smtp_port
    assert staff("screens").get(f"/staff/incidents/channels/{email}").status_code == 403
    assert staff("lizhuang").post_form(f"/staff/incidents/channels/{email}", {"action": "save", "name": "x"}).status_code == 403


def test_the_api_changes_a_channel_and_never_returns_its_secret(fleet, staff):
    admin = staff("admin")
    hook = fleet.channel_ids["webhook"]
    listed = admin.api("GET", "/api/v1/alert-channels").get_json()["channels"]
    assert "hook-token" not in str(listed) and {c["id"] for c in listed} >= set(fleet.channel_ids.values())
    response = admin.api("PATCH", f"/api/v1/alert-channels/{hook}", json={"name": "县运维平台（新）", "secret": ""})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["name"], body["has_secret"], body["url"]) == ("县运维平台（新）", True, f"{fleet.robots.url}/hook")
    assert "hook-token" not in str(body)
    response = admin.api("PATCH", f"/api/v1/alert-channels/{hook}", json={"url": "ftp://example.cn/x"})
    assert response.status_code == 400 and "http://" in response.get_json()["message"]
    queued = admin.api("POST", f"/api/v1/alert-channels/{hook}/test")
    assert queued.status_code == 202 and queued.get_json()["state"] == "queued"
    fleet.deliver()
    assert admin.api("GET", f"/api/v1/alert-channels/{hook}/test").get_json()["state"] == "sent"
    assert fleet.robots.at("/hook")[0].headers["Authorization"] == "Bearer hook-token"   # the kept token
    assert staff("screens").api("PATCH", f"/api/v1/alert-channels/{hook}", json={"name": "x"}).status_code == 403


def test_a_webhooks_token_can_be_removed_but_a_dingtalk_robots_secret_cannot(fleet, staff):
    admin = staff("admin")
    hook, ding = fleet.channel_ids["webhook"], fleet.channel_ids["dingtalk"]
    page = admin.get(f"/staff/incidents/channels/{hook}").get_data(as_text=True)
    assert 'name="forget_secret"' in page and "删除已存的 Bearer 令牌" in page
    response = admin.post_form(f"/staff/incidents/channels/{hook}", {
        "action": "save", "name": "县运维平台", "url": "", "secret": "", "forget_secret": "y"})
    assert response.status_code == 303
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "尚未存密钥" in page and 'name="forget_secret"' not in page      # nothing left to remove
    assert "测试消息已发送" in press_test(fleet, admin, hook)
    assert "Authorization" not in fleet.robots.at("/hook")[-1].headers
    with fleet.app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "alert_channel.edit"))
        assert entry.after["secret_changed"] and not entry.after["has_secret"]

    # a signed robot needs its secret: refused in Chinese on the page and over the API, and kept
    assert 'name="forget_secret"' not in admin.get(f"/staff/incidents/channels/{ding}").get_data(as_text=True)
    response = admin.post_form(f"/staff/incidents/channels/{ding}", {
        "action": "save", "name": "镇钉钉群", "url": "", "secret": "", "forget_secret": "y"})
    assert response.status_code == 400 and "须使用加签方式" in response.get_data(as_text=True)
    response = admin.api("PATCH", f"/api/v1/alert-channels/{ding}", json={"forget_secret": True})
    assert response.status_code == 400 and response.get_json()["field"] == "secret"
    with fleet.app.app_context():
        assert db.session.get(AlertChannel, ding).secret == DINGTALK_SECRET


def test_the_api_removes_a_webhooks_token_and_a_new_one_given_at_once_wins(fleet, staff):
    admin = staff("admin")
    hook = fleet.channel_ids["webhook"]
    body = admin.api("PATCH", f"/api/v1/alert-channels/{hook}", json={"forget_secret": True}).get_json()
    assert body["has_secret"] is False
    body = admin.api("PATCH", f"/api/v1/alert-channels/{hook}",
                     json={"forget_secret": True, "secret": "new-token"}).get_json()
    assert body["has_secret"] is True
    admin.api("POST", f"/api/v1/alert-channels/{hook}/test")
    fleet.deliver()
    assert fleet.robots.at("/hook")[-1].headers["Authorization"] == "Bearer new-token"
