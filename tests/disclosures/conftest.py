"""Helpers for the disclosure tests: drafting notices through the API as the demo accounts."""
from datetime import datetime, timedelta, timezone

import pytest

from kiosk.core import clock


def local(text: str) -> datetime:
    """A local (Asia/Shanghai) wall time as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=timezone(timedelta(hours=8)))


def notice_body(**changes) -> dict:
    body = {"category": "village_finances", "title": "李庄村10月财务收支公开", "summary": "10月收支明细",
            "body": "| 项目 | 金额 |\n|---|---|\n| 道路维修 | 12,000.00 |", "formed_on": "2026-11-02",
            "audience": "villages", "villages": ["lizhuang"]}
    body.update(changes)
    if body["formed_on"] is None:   # formed today
        body["formed_on"] = clock.local_today().isoformat()
    return body


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
def draft(clients):
    """draft(username="lizhuang", **fields) → the created notice's JSON."""
    def make(username="lizhuang", **changes):
        response = clients(username).api("post", "/api/v1/notices", json=notice_body(**changes))
        assert response.status_code == 201, response.get_json()
        return response.get_json()
    return make


@pytest.fixture
def approved(clients, draft):
    """approved(**fields) → a notice drafted by lizhuang, submitted, approved by the reviewer."""
    def make(username="lizhuang", **changes):
        notice = draft(username, **changes)
        submitted = clients(username).api("post", f"/api/v1/notices/{notice['id']}/submit", json={})
        assert submitted.status_code == 200, submitted.get_json()
        response = clients("reviewer").api("post", f"/api/v1/notices/{notice['id']}/approve", json={})
        assert response.status_code == 200, response.get_json()
        return response.get_json()
    return make


@pytest.fixture
def frozen():
    """Freeze the clock at a local time; returns a function to move it."""
    def freeze(text: str):
        clock.set_now(local(text))
    return freeze


@pytest.fixture
def run_checks(demo_app):
    """The attachments' background privacy checks (OCR), run now: what the scheduler's job does every 5 s."""
    from kiosk.disclosures.checks import run_pending_checks
    from kiosk.extensions import db

    def run() -> int:
        with demo_app.app_context():
            count = run_pending_checks()
            db.session.remove()
            return count
    return run
