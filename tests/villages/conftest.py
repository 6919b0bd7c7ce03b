"""Helpers for the village's year: logged-in demo accounts, notices drafted through the API, the
township's list dated back so that past periods are owed, and the clock pinned at local times."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from kiosk.core import clock
from kiosk.extensions import db


def local(text: str) -> datetime:
    """A local (Asia/Shanghai) wall time as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture
def clients(staff):
    """Logged-in demo accounts, created on first use."""
    cache = {}

    def get(username):
        if username not in cache:
            cache[username] = staff(username)
        return cache[username]
    return get


@pytest.fixture
def items(demo_app):
    """The demo township's list items by name (ids), bound since 1 January 2026 so past periods are owed."""
    from kiosk.org.operations import get_unit_by_code
    from kiosk.villages.items import list_items
    from kiosk.villages.models import ListItem
    with demo_app.app_context():
        township = get_unit_by_code("jinjia")
        found = {item.name: item.id for item in list_items(township)}
        db.session.execute(update(ListItem).where(ListItem.township_id == township.id).values(since=date(2026, 1, 1)))
        db.session.commit()
    return found


@pytest.fixture
def notice(clients):
    """notice(username, submit=False, approve=False, **fields) → the notice's JSON, drafted through the API."""
    def make(username="lizhuang", submit=False, approve=False, **changes):
        body = {"category": "village_finances", "title": "李庄村财务收支公开", "summary": "收支明细",
                "body": "| 项目 | 金额 |\n|---|---|\n| 道路维修 | 12,000.00 |",
                "formed_on": clock.local_today().isoformat(), "audience": "villages", "villages": ["lizhuang"]}
        body.update(changes)
        created = clients(username).api("post", "/api/v1/notices", json=body)
        assert created.status_code == 201, created.get_json()
        result = created.get_json()
        if submit or approve:
            submitted = clients(username).api("post", f"/api/v1/notices/{result['id']}/submit", json={})
            assert submitted.status_code == 200, submitted.get_json()
            result = submitted.get_json()
        if approve:
            approved = clients("reviewer").api("post", f"/api/v1/notices/{result['id']}/approve", json={})
            assert approved.status_code == 200, approved.get_json()
            result = approved.get_json()
        return result
    return make


@pytest.fixture
def at():
    """at("2026-10-08 09:00") pins the clock at a local time (running on from there)."""
    def pin(text: str):
        clock.start_at(local(text))
    return pin
