"""The incidents engine and its channels, end to end against local receivers (企业微信, 钉钉 with its
signature checked, a JSON webhook, SMTP with STARTTLS and a login): one alert and one recovery per
outage, nothing at night, a flapping screen grouped, the morning digest, retries, failing channels."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.accounts.models import User
from kiosk.extensions import db
from kiosk.incidents.conditions import CONDITIONS, Finding, condition
from kiosk.incidents.operations import run
from kiosk.org.models import Unit
from kiosk.scheduling import registered_jobs
from kiosk.incidents.delivery import MAX_ATTEMPTS
from kiosk.incidents.models import AlertChannel, DeliveryEvent, DeliveryStatus
from tests.incidents.conftest import local, run_minutes

CHANNELS = ("wecom", "dingtalk", "webhook", "email")


def counts(fleet) -> dict[str, int]:
    return {name: len(texts) for name, texts in fleet.messages().items()}


def test_a_screen_dark_in_on_hours_raises_one_alert_and_one_recovery_on_each_channel(fleet):
    fleet.heard(local(2026, 11, 23, 14, 10))
    run_minutes(fleet, local(2026, 11, 23, 14, 10), 9)
    assert counts(fleet) == dict.fromkeys(CHANNELS, 0)      # not yet ten minutes
    run_minutes(fleet, local(2026, 11, 23, 14, 19, 30), 60)
    assert counts(fleet) == dict.fromkeys(CHANNELS, 1)      # one message, however often the job runs
    for name, texts in fleet.messages().items():
        assert "王家村村务公开栏" in texts[0] and "14:10" in texts[0], name
    assert "http://kiosk.test/staff/screens/" in fleet.messages()["wecom"][0]

    run_minutes(fleet, local(2026, 11, 23, 16, 5), 30, beating=True)      # back at 16:05
    assert counts(fleet) == dict.fromkeys(CHANNELS, 2)
    for name, texts in fleet.messages().items():
        assert "1小时55分钟" in texts[1] and "王家村村务公开栏" in texts[1], name
    [incident] = fleet.incidents()
    assert incident.closed_at == local(2026, 11, 23, 16, 5) and incident.flaps == 0
    hook = fleet.robots.at("/hook")[0]
    assert hook.headers["Authorization"] == "Bearer hook-token" and hook.body["event"] == "open"
    assert fleet.robots.at("/dingtalk")[0].body["msgtype"] == "markdown"
    assert sorted(fleet.mailbox.messages[0]["to"]) == ["duty@jinjia.gov.cn", "it@jinjia.gov.cn"]


def test_nothing_is_sent_at_night_nor_while_the_screen_wakes_up(fleet):
    fleet.heard(local(2026, 11, 23, 20, 55))                 # switched off at 21:00 as scheduled
    run_minutes(fleet, local(2026, 11, 23, 20, 55), 60, step=timedelta(minutes=5))
    run_minutes(fleet, local(2026, 11, 24, 2, 0), 60 * 5, step=timedelta(minutes=10))
    run_minutes(fleet, local(2026, 11, 24, 7, 0), 9)
    assert counts(fleet) == dict.fromkeys(CHANNELS, 0)
    assert fleet.incidents() == []
    # It does not come back in the morning: ten minutes of on-hours later, staff are told.
    run_minutes(fleet, local(2026, 11, 24, 7, 9, 30), 2)
    assert counts(fleet) == dict.fromkeys(CHANNELS, 1)
    assert "07:00" in fleet.messages()["wecom"][0]


def test_a_flapping_screen_gives_one_grouped_alert(fleet):
    fleet.heard(local(2026, 11, 23, 10, 0))
    run_minutes(fleet, local(2026, 11, 23, 10, 0), 12)
    for back in (local(2026, 11, 23, 10, 13), local(2026, 11, 23, 10, 27)):    # up two minutes, dark again, twice
        run_minutes(fleet, back, 2, beating=True)
        run_minutes(fleet, back + timedelta(minutes=3), 11)
    assert counts(fleet) == dict.fromkeys(CHANNELS, 1)
    run_minutes(fleet, local(2026, 11, 23, 10, 50), 20, beating=True)
    assert counts(fleet) == dict.fromkeys(CHANNELS, 2)
    [incident] = fleet.incidents()
    assert incident.flaps == 2
    assert "2" in fleet.messages()["webhook"][1]


def test_a_screen_dark_through_the_night_stays_one_incident_and_is_in_the_morning_digest_once(fleet):
    fleet.heard(local(2026, 11, 23, 20, 0))
    run_minutes(fleet, local(2026, 11, 23, 20, 0), 30)                       # reported at 20:10
    run_minutes(fleet, local(2026, 11, 23, 21, 0), 10 * 60 + 50, step=timedelta(minutes=30))
    run_minutes(fleet, local(2026, 11, 24, 7, 50), 20)
    run_minutes(fleet, local(2026, 11, 24, 9, 0), 60, step=timedelta(minutes=10))
    assert len(fleet.deliveries(DeliveryEvent.open)) == len(CHANNELS)
    assert fleet.deliveries(DeliveryEvent.close) == []                          # the night is no recovery
    digests = fleet.deliveries(DeliveryEvent.digest)
    assert len(digests) == len(CHANNELS) and {d.status for d in digests} == {DeliveryStatus.sent}
    assert digests[0].created_at == local(2026, 11, 24, 8, 0)
    text = fleet.messages()["wecom"][-1]
    assert "王家村:" in text.replace("：", ":") and "王家村村务公开栏" in text
    assert counts(fleet) == dict.fromkeys(CHANNELS, 2)


def test_a_failed_delivery_is_retried_with_back_off_until_it_arrives(fleet):
    fleet.robots.fail["/hook"] = 3
    fleet.heard(local(2026, 11, 23, 10, 0))
    start = local(2026, 11, 23, 10, 10)
    fleet.tick(start)
    [delivery] = [d for d in fleet.deliveries(DeliveryEvent.open) if d.channel_id == fleet.channel_ids["webhook"]]
    assert (delivery.status, delivery.attempts, delivery.next_try_at) == (DeliveryStatus.pending, 1,
                                                                          start + timedelta(seconds=30))
    fleet.tick(start + timedelta(seconds=20))                  # not yet due: not tried
    fleet.tick(start + timedelta(seconds=30))
    fleet.tick(start + timedelta(seconds=60))                  # the second wait is a minute
    [delivery] = [d for d in fleet.deliveries(DeliveryEvent.open) if d.channel_id == fleet.channel_ids["webhook"]]
    assert (delivery.attempts, delivery.next_try_at) == (2, start + timedelta(seconds=90))
    assert "HTTP 500" in delivery.last_error
    fleet.tick(start + timedelta(seconds=90))
    fleet.tick(start + timedelta(seconds=210))
    [delivery] = [d for d in fleet.deliveries(DeliveryEvent.open) if d.channel_id == fleet.channel_ids["webhook"]]
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.sent, 4)
    assert len(fleet.robots.at("/hook")) == 1 and delivery.last_error is None


def test_a_channel_that_keeps_failing_is_shown_on_the_dashboard_and_gives_up_in_the_end(fleet, staff):
    fleet.robots.fail["/hook"] = 1000
    fleet.heard(local(2026, 11, 23, 10, 0))
    run_minutes(fleet, local(2026, 11, 23, 10, 10), 5)
    admin = staff("admin")
    page = admin.get("/staff/").get_data(as_text=True)
    assert "failing-channel" in page and "县运维平台" in page and "HTTP 500" in page
    assert "failing-channel" not in staff("screens").get("/staff/").get_data(as_text=True)
    run_minutes(fleet, local(2026, 11, 23, 10, 16), 24 * 60, step=timedelta(minutes=15))
    [delivery] = [d for d in fleet.deliveries(DeliveryEvent.open) if d.channel_id == fleet.channel_ids["webhook"]]
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.failed, MAX_ATTEMPTS)
    listing = admin.get("/staff/incidents/deliveries").get_data(as_text=True)
    assert f'data-delivery="{delivery.id}" data-status="failed"' in listing
    # Switched off and on again, it starts with a clean slate.
    admin.post_form(f"/staff/incidents/channels/{fleet.channel_ids['webhook']}", {"action": "disable"})
    admin.post_form(f"/staff/incidents/channels/{fleet.channel_ids['webhook']}", {"action": "enable"})
    assert "failing-channel" not in admin.get("/staff/").get_data(as_text=True)


def test_the_dashboard_shows_each_viewer_the_incidents_of_their_units_and_roles(fleet, staff):
    fleet.heard(local(2026, 11, 23, 10, 0))
    fleet.tick(local(2026, 11, 23, 10, 11))
    for username, sees in (("screens", True), ("admin", True), ("editor", False), ("wangjia", False),
                           ("lizhuang", False)):
        page = staff(username).get("/staff/").get_data(as_text=True)
        assert ('id="dashboard-incidents"' in page and "王家村村务公开栏" in page) == sees, username
    page = staff("screens").get("/staff/incidents/").get_data(as_text=True)
    assert 'id="open-incidents"' in page and "王家村村务公开栏" in page


def test_the_secret_is_encrypted_at_rest_and_kept_out_of_the_audit_log(fleet):
    with fleet.app.app_context():
        raw = db.session.execute(db.text("SELECT secret FROM alert_channel WHERE id = :id"),
                                 {"id": fleet.channel_ids["dingtalk"]}).scalar()
        assert raw.startswith(("enc1:", "sm4g1:")) and "SECtest" not in raw
        entries = db.session.execute(db.text("SELECT after FROM audit_entry WHERE action = 'alert_channel.create'"))
        texts = [str(row[0]) for row in entries]
        assert len(texts) == 4 and not any("SECtest" in t or "hook-token" in t for t in texts)
        assert db.session.get(AlertChannel, fleet.channel_ids["dingtalk"]).secret.startswith("SECtest")



@pytest.fixture
def named_condition(demo_app):
    """A condition of another feature whose finding names one staff member (an application's handler)."""
    with demo_app.app_context():
        editor = db.session.scalar(select(User).where(User.username == "editor"))
        wangjia = db.session.scalar(select(Unit).where(Unit.code == "wangjia"))
        editor_id, unit_id = editor.id, wangjia.id

    @condition("tests.handler", label="申请答复期限", roles=("reviewer",))
    def find(now):
        yield Finding(key="application:1", unit_id=unit_id, title="王家村修路合同申请明天到期", user_ids=(editor_id,))
    yield
    CONDITIONS.pop("tests.handler")


def test_a_finding_naming_staff_reaches_them_beside_the_roles_of_its_units(fleet, named_condition, staff):
    fleet.tick(local(2026, 11, 23, 10, 0))
    for username, sees in (("editor", True), ("reviewer", True), ("screens", False), ("wangjia", False)):
        page = staff(username).get("/staff/").get_data(as_text=True)
        assert ("王家村修路合同申请明天到期" in page) == sees, username


def test_the_one_scheduler_runs_the_incidents_job_every_30_seconds():
    registered = registered_jobs()["incidents.run"]
    assert (registered.func, registered.trigger, registered.trigger_args) == (run, "interval", {"seconds": 30})


def test_open_incidents_are_counted_for_prometheus_by_condition(fleet):
    from tests.metrics.test_metrics import scrape, value
    assert value(scrape(fleet.app), "kiosk_alerts_open", kind="screens.offline") == 0
    fleet.heard(local(2026, 11, 23, 10, 0))
    fleet.tick(local(2026, 11, 23, 10, 11))
    samples = scrape(fleet.app)
    assert value(samples, "kiosk_alerts_open", kind="screens.offline") == 1
    assert ("kiosk_alerts_open", (("kind", "screens.stuck"),)) in samples
