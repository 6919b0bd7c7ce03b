"""Exact start and stop from the scheduler job, also across a restart, and the events screens hear."""
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from kiosk.core import clock
from kiosk.disclosures.jobs import advance_notices
from kiosk.extensions import socketio
from kiosk.org.operations import get_unit_by_code
from kiosk.scheduling import registered_jobs
from tests.conftest import build_app
from tests.disclosures.conftest import local


def _state(client, notice_id):
    return client.api("get", f"/api/v1/notices/{notice_id}").get_json()["state"]


def public_ids(app) -> list[int]:
    return [n["id"] for n in app.test_client().get("/api/v1/public/notices?unit=lizhuang").get_json()["notices"]]


def test_job_is_registered_every_two_seconds(demo_app):
    job = registered_jobs()["disclosures.advance"]
    assert job.func is advance_notices and job.trigger == "interval" and job.trigger_args == {"seconds": 2}


def test_exact_start_and_stop_through_a_restart(demo_app, clients, approved, frozen):
    frozen("2026-11-03 09:00")
    notice = approved(show_from="2026-11-03T10:00:00", show_until="2026-11-03T17:00:00", period_length=None)
    assert notice["state"] == "scheduled"
    lizhuang = clients("lizhuang")

    frozen("2026-11-03 09:59:58")
    with demo_app.app_context():
        advance_notices()
    assert _state(lizhuang, notice["id"]) == "scheduled"

    frozen("2026-11-03 10:00:01")
    with demo_app.app_context():
        advance_notices()
    assert _state(lizhuang, notice["id"]) == "showing"
    assert notice["id"] in public_ids(demo_app)

    # The server is down over the end time; a new process on the same database catches up.
    with demo_app.app_context():
        demo_app.extensions["sqlalchemy"].engine.dispose()
    restarted = build_app(Path(demo_app.instance_path))
    frozen("2026-11-03 17:00:00")
    with restarted.app_context():
        advance_notices()
    assert notice["id"] not in public_ids(restarted)
    assert _state(lizhuang, notice["id"]) == "expired"


def test_catch_up_after_downtime_goes_straight_to_expired(demo_app, clients, approved, frozen):
    frozen("2026-11-03 09:00")
    notice = approved(show_from="2026-11-03T10:00:00", show_until="2026-11-03T12:00:00", period_length=None)
    frozen("2026-11-04 08:00")
    with demo_app.app_context():
        advance_notices()
    assert _state(clients("lizhuang"), notice["id"]) == "expired"


def _room_client(app, client, unit_code):
    """A Socket.IO test client put in a unit's room, as the screens feature does for its screens."""
    socket = socketio.test_client(app, flask_test_client=client.http)
    assert socket.is_connected()
    with app.app_context():
        unit = get_unit_by_code(unit_code)
        room = f"unit:{unit.id}"
        sid = socketio.server.manager.sid_from_eio_sid(socket.eio_sid, "/")
        socketio.server.enter_room(sid, room, namespace="/")
        return socket, unit.id


def test_withdrawal_reaches_a_connected_screen_client(demo_app, clients, approved):
    notice = approved()
    lizhuang = clients("lizhuang")
    village_socket, lizhuang_id = _room_client(demo_app, lizhuang, "lizhuang")
    other_socket, _unused = _room_client(demo_app, clients("wangjia"), "wangjia")
    village_socket.get_received()
    lizhuang.api("post", f"/api/v1/notices/{notice['id']}/withdraw", json={"reason": "数据需要复核"})
    events = [e for e in village_socket.get_received() if e["name"] == "notice.changed"]
    assert events == [{"name": "notice.changed", "namespace": "/", "args": [
        {"notice_id": notice["id"], "state": "withdrawn", "unit_ids": [lizhuang_id]}]}]
    assert [e for e in other_socket.get_received() if e["name"] == "notice.changed"] == []


def test_start_by_the_job_is_announced_to_every_audience_unit(demo_app, clients, approved, frozen):
    frozen("2026-11-03 09:00")
    approved("editor", audience="township", villages=None, category="budgets", title="2026年预算",
             show_from="2026-11-03T10:00:00")
    socket, zhang_id = _room_client(demo_app, clients("editor"), "zhang")
    clock.shift(timedelta(hours=1))
    with demo_app.app_context():
        advance_notices()
    events = [e["args"][0] for e in socket.get_received() if e["name"] == "notice.changed"]
    assert len(events) == 1 and events[0]["state"] == "showing" and zhang_id in events[0]["unit_ids"]
    assert local("2026-11-03 10:00") <= clock.now()


def test_the_job_meets_the_next_start_at_its_instant(demo_app, approved, monkeypatch):
    """Every 2 s the job catches up on what fell due; a start it knows of is met at its instant,
    not up to 2 s later (the scheduler runs here with this job alone, on the running test clock)."""
    from kiosk.disclosures.models import Notice, NoticeState
    from kiosk.extensions import db
    from kiosk.scheduling import runner, start

    starts = (clock.now() + timedelta(seconds=4)).replace(microsecond=0)
    notice = approved(show_from=clock.to_local(starts).strftime("%Y-%m-%dT%H:%M:%S"), show_until=None,
                      period_length=None)
    assert notice["state"] == "scheduled"
    monkeypatch.setattr(runner, "_JOBS", {"disclosures.advance": registered_jobs()["disclosures.advance"]})
    scheduler = start(demo_app)
    try:
        # Its next run put well past the start, then one run by hand (what any run does): the job is
        # due again at the start, in the scheduler's (real) time, whenever this test got here.
        job = scheduler.get_job("disclosures.advance")
        job.modify(next_run_time=datetime.now(timezone.utc) + timedelta(seconds=60))
        with demo_app.app_context():
            advance_notices()
        wall_start = datetime.now(timezone.utc) + (starts - clock.now())
        assert abs((scheduler.get_job("disclosures.advance").next_run_time - wall_start).total_seconds()) < 0.05
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with demo_app.app_context():
                if db.session.get(Notice, notice["id"]).state == NoticeState.showing:
                    break
            time.sleep(0.02)
        shown_at = clock.now()
        assert starts <= shown_at < starts + timedelta(seconds=1), (shown_at - starts).total_seconds()
    finally:
        scheduler.shutdown(wait=False)
        runner._running = None
