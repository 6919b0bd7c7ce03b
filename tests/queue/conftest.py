"""Queue fixtures: the demo hall on an open Monday morning, and small helpers."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kiosk.extensions import db
from tests.conftest import demo_on_postgres, registered_screen

from kiosk.core import clock

SHANGHAI = ZoneInfo("Asia/Shanghai")
HALL = "jinjia-hall"


def shanghai(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def monday_morning():
    """The demo hall's services are open Monday to Friday 08:30-12:00 and 13:30-17:30."""
    clock.set_now(shanghai(2026, 11, 23, 9, 0))


@pytest.fixture
def clerk(staff, monday_morning):
    return staff("window1")


def issue(client, prefix="A", priority="normal", expect=201, **extra):
    response = client.api("POST", f"/api/v1/queue/halls/{HALL}/tickets",
                          json={"service": prefix, "priority": priority, **extra})
    assert response.status_code == expect, response.get_json()
    return response.get_json()


def act(client, window, ticket_id, action, expect=200, **body):
    response = client.api("POST", f"/api/v1/queue/windows/{window}/tickets/{ticket_id}/{action}", json=body)
    assert response.status_code == expect, response.get_json()
    return response.get_json()


def call_next(client, window, expect=200):
    response = client.api("POST", f"/api/v1/queue/windows/{window}/call-next")
    assert response.status_code == expect, response.get_json()
    return response.get_json().get("ticket") if expect == 200 else response.get_json()


def serve(client, window, ticket_id):
    act(client, window, ticket_id, "start")
    return act(client, window, ticket_id, "finish")


@pytest.fixture
def pg_demo_app(make_app, postgres_url, demo_db):
    """The demo township on a fresh PostgreSQL database."""
    app = demo_on_postgres(make_app, postgres_url, demo_db)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def screen_token(demo_app):
    """screen_token(kind, unit_code) → the device token of a newly registered screen there."""
    return lambda kind="touch_kiosk", unit_code=HALL: registered_screen(demo_app, kind, unit_code)
