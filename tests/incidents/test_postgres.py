"""The engine, its channels and uptime on PostgreSQL (a county's database)."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.core import clock
from kiosk.extensions import db
from kiosk.incidents.models import AlertDelivery, DeliveryStatus, Incident
from kiosk.incidents.operations import run
from kiosk.screens import uptime
from kiosk.screens.models import Screen, ScreenConnection
from tests.conftest import demo_on_postgres
from tests.incidents.conftest import add_channels, keep_only_screen_conditions, local


@pytest.mark.postgres
def test_an_outage_on_postgresql(make_app, postgres_url, demo_db, receivers, monkeypatch):
    robots, mailbox, controller, cert = receivers
    robots.received.clear()
    mailbox.messages.clear()
    monkeypatch.setenv("KIOSK_TEST_SMTP_PASSWORD", "s3cret-pass")
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    app = demo_on_postgres(make_app, postgres_url, demo_db)
    keep_only_screen_conditions(monkeypatch)
    add_channels(app, robots, controller.port)
    with app.app_context():
        # the demo keeps the villages group on 07:00–21:00 every day (kiosk/screens/demo_hours.py)
        screen = db.session.scalar(select(Screen).where(Screen.name == "王家村村务公开栏"))
        screen.last_seen, screen_id = local(2026, 11, 23, 10, 0), screen.id
        db.session.add(ScreenConnection(screen_id=screen.id, sid="pg", connected_at=local(2026, 11, 23, 9, 30),
                                        last_heartbeat=local(2026, 11, 23, 10), disconnected_at=local(2026, 11, 23, 10)))
        db.session.commit()
    for minute in (5, 10, 11, 30):
        clock.set_now(local(2026, 11, 23, 10, minute))
        with app.app_context():
            run()
    with app.app_context():
        [incident] = db.session.scalars(select(Incident)).all()
        assert incident.opened_at == local(2026, 11, 23, 10, 0) and incident.closed_at is None
        statuses = [d.status for d in db.session.scalars(select(AlertDelivery))]
        assert statuses == [DeliveryStatus.sent] * 4
        numbers = uptime.uptime([screen_id], local(2026, 11, 23, 9, 15), local(2026, 11, 23, 12),
                                now=local(2026, 11, 23, 12))[screen_id]
        assert (numbers.on, numbers.heard) == (timedelta(hours=2, minutes=45), timedelta(minutes=30))
    assert len(robots.at("/dingtalk")) == 1 and len(mailbox.messages) == 1
