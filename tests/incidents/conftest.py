"""A village screen on 07:00–21:00 (the demo's villages group), the township's four alert channels pointed at
local fake receivers."""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from kiosk.accounts.models import User
from kiosk.core import clock
from kiosk.extensions import db
from kiosk.incidents.conditions import CONDITIONS
from kiosk.incidents.models import AlertDelivery, DeliveryEvent, Incident
from kiosk.incidents.operations import ChannelInput, create_channel, deliver, run
from kiosk.org.models import Unit
from kiosk.screens import hours
from kiosk.screens.models import OnHours, Screen, ScreenGroup
from tests.incidents.receivers import DINGTALK_SECRET, start_robots, start_smtp

SHANGHAI = ZoneInfo("Asia/Shanghai")
SMTP_USER, SMTP_PASSWORD = "alerts@jinjia.gov.cn", "s3cret-pass"


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI).astimezone(timezone.utc)


@pytest.fixture(scope="session")
def receivers(tmp_path_factory):
    robots, server = start_robots()
    mailbox, controller, cert = start_smtp(tmp_path_factory.mktemp("smtp"), SMTP_USER, SMTP_PASSWORD)
    yield robots, mailbox, controller, cert
    server.shutdown()
    controller.stop()


@dataclass
class Fleet:
    app: object
    robots: object
    mailbox: object
    smtp_port: int
    screen_id: int
    channel_ids: dict

    def tick(self, at: datetime) -> str | None:
        """The incidents job at `at` (the app's clock frozen there)."""
        clock.set_now(at)
        with self.app.app_context():
            return run()

    def deliver(self) -> str | None:
        """The `incidents.deliver` job, as the scheduler runs it every 2 s (the app's clock as it is)."""
        with self.app.app_context():
            return deliver()

    def heard(self, at: datetime) -> None:
        """The screen's heartbeat arrives at `at`."""
        with self.app.app_context():
            screen = db.session.get(Screen, self.screen_id)
            screen.last_seen, screen.online, screen.offline_since = at, True, None
            db.session.commit()

    def messages(self) -> dict[str, list[str]]:
        """What each channel received so far, as text."""
        return {"wecom": self.robots.texts("/wecom"), "dingtalk": self.robots.texts("/dingtalk"),
                "webhook": self.robots.texts("/hook"),
                "email": [f"{m['subject']}\n{m['body']}" for m in self.mailbox.messages]}

    def deliveries(self, event: DeliveryEvent | None = None) -> list[AlertDelivery]:
        with self.app.app_context():
            query = select(AlertDelivery).order_by(AlertDelivery.id)
            if event is not None:
                query = query.where(AlertDelivery.event == event)
            rows = list(db.session.scalars(query))
            db.session.expunge_all()
            return rows

    def incidents(self) -> list[Incident]:
        with self.app.app_context():
            rows = list(db.session.scalars(select(Incident).order_by(Incident.id)))
            db.session.expunge_all()
            return rows


def add_channels(app, robots, smtp_port: int, unit_code: str = "jinjia") -> dict:
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        unit = db.session.scalar(select(Unit).where(Unit.code == unit_code))
        made = {
            "wecom": create_channel(admin, unit, ChannelInput("wecom", "镇值班群", url=f"{robots.url}/wecom")),
            "dingtalk": create_channel(admin, unit, ChannelInput("dingtalk", "镇钉钉群", url=f"{robots.url}/dingtalk",
                                                                 markdown=True, secret=DINGTALK_SECRET)),
            "webhook": create_channel(admin, unit, ChannelInput("webhook", "县运维平台", url=f"{robots.url}/hook",
                                                                secret="hook-token")),
            "email": create_channel(admin, unit, ChannelInput(
                "email", "值班邮箱", host="127.0.0.1", port=str(smtp_port), user=SMTP_USER,
                password_env="KIOSK_TEST_SMTP_PASSWORD", sender=SMTP_USER, to="duty@jinjia.gov.cn, it@jinjia.gov.cn")),
        }
        db.session.commit()
        return {name: channel.id for name, channel in made.items()}


def keep_only_screen_conditions(monkeypatch) -> None:
    """Only the screens' conditions (after the app is made, which declares them all): the demo's
    villages, applications and reports have due dates of their own."""
    for kind in [kind for kind in CONDITIONS if not kind.startswith("screens.")]:
        monkeypatch.delitem(CONDITIONS, kind)


@pytest.fixture
def fleet(demo_app, receivers, monkeypatch):
    robots, mailbox, controller, cert = receivers
    robots.received.clear()
    robots.fail.clear()
    robots.slow.clear()
    mailbox.messages.clear()
    monkeypatch.setenv("KIOSK_TEST_SMTP_PASSWORD", SMTP_PASSWORD)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))    # the test server's certificate is the one trusted
    keep_only_screen_conditions(monkeypatch)
    with demo_app.app_context():
        villages = db.session.scalar(select(ScreenGroup).where(ScreenGroup.code == "villages"))
        assert db.session.scalar(select(OnHours.week).where(OnHours.group_id == villages.id)) == hours.every_day(
            "07:00", "21:00")
        screen = db.session.scalar(select(Screen).where(Screen.name == "王家村村务公开栏"))
        screen.last_seen, screen.online = clock.now(), True
        db.session.commit()
        screen_id = screen.id
    channel_ids = add_channels(demo_app, robots, controller.port)
    return Fleet(demo_app, robots, mailbox, controller.port, screen_id, channel_ids)


def run_minutes(fleet: Fleet, start: datetime, minutes: int, step: timedelta = timedelta(minutes=1),
                beating: bool = False) -> None:
    """The job every `step` from `start` for `minutes`; `beating`: the screen is heard from meanwhile."""
    at = start
    while at <= start + timedelta(minutes=minutes):
        if beating:
            fleet.heard(at)
        fleet.tick(at)
        at += step
