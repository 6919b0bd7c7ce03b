"""The event bus: in-process by default, through Redis when KIOSK_REDIS_URL is set."""
import queue
import time
import uuid

import requests
import socketio as socketio_client

from flask_socketio import SocketIO

from kiosk.events import InProcessBus, RedisBus, publish
from kiosk.events.sockets import staff_rooms_for
from kiosk.extensions import db, socketio
from kiosk.org.operations import get_unit_by_code
from tests.conftest import StaffClient, csrf_from


def _staff_socket(app, username="editor"):
    staff = StaffClient(app.test_client(), username)
    return socketio.test_client(app, namespace="/staff", flask_test_client=staff.http)


def _township_room(app):
    with app.app_context():
        return f"staff:{get_unit_by_code('jinjia').id}"


def _wait_for(client, event, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in client.get_received("/staff"):
            if message["name"] == event:
                return message["args"][0]
        time.sleep(0.02)
    return None


def test_default_bus_is_in_process(demo_app):
    assert isinstance(demo_app.extensions["kiosk_bus"], InProcessBus)
    assert demo_app.test_client().get("/healthz").get_json()["event_bus"] == {"kind": "in-process", "ok": True}


def test_anonymous_clients_cannot_join_the_staff_namespace(demo_app):
    client = socketio.test_client(demo_app, namespace="/staff")
    assert not client.is_connected("/staff")


def test_published_event_reaches_staff_of_the_unit_after_commit(demo_app):
    client = _staff_socket(demo_app, "editor")
    room = _township_room(demo_app)
    with demo_app.app_context():
        unit = get_unit_by_code("jinjia")
        unit.name = "金家镇人民政府"  # an uncommitted write
        publish("notice.changed", {"notice_id": 7}, [room], namespace="/staff")
        assert _wait_for(client, "notice.changed", timeout=0.2) is None  # not before commit
        db.session.commit()
    assert _wait_for(client, "notice.changed") == {"notice_id": 7}


def test_a_commit_in_threading_mode_does_not_sleep(demo_app, monkeypatch):
    """Threads send by themselves: a commit that announces a change must not sleep (under libfaketime
    without the test shim, time.sleep fails with EINVAL: a Saturday-night run errored in set-up)."""
    client = _staff_socket(demo_app, "editor")
    room = _township_room(demo_app)

    def no_sleep(_seconds):
        raise AssertionError("a commit slept")
    with demo_app.app_context(), monkeypatch.context() as patched:
        patched.setattr(socketio, "sleep", no_sleep)
        get_unit_by_code("jinjia").name = "金家镇人民政府"
        publish("notice.changed", {"notice_id": 9}, [room], namespace="/staff")
        db.session.commit()
    assert _wait_for(client, "notice.changed") == {"notice_id": 9}


def test_rolled_back_change_is_never_announced(demo_app):
    client = _staff_socket(demo_app, "editor")
    room = _township_room(demo_app)
    with demo_app.app_context():
        get_unit_by_code("jinjia").name = "金家镇人民政府"
        publish("notice.changed", {"notice_id": 8}, [room], namespace="/staff")
        db.session.rollback()
        db.session.commit()
    assert _wait_for(client, "notice.changed", timeout=0.5) is None


def test_only_the_staff_concerned_hear_an_event(demo_app):
    lizhuang_clerk = _staff_socket(demo_app, "lizhuang")
    wangjia_clerk = _staff_socket(demo_app, "wangjia")
    township_editor = _staff_socket(demo_app, "editor")
    with demo_app.app_context():
        publish("village.changed", {"v": 1}, staff_rooms_for(get_unit_by_code("lizhuang")), namespace="/staff")
    assert _wait_for(lizhuang_clerk, "village.changed") == {"v": 1}
    assert _wait_for(township_editor, "village.changed") == {"v": 1}
    assert _wait_for(wangjia_clerk, "village.changed", timeout=0.3) is None


def test_redis_bus_carries_events_from_another_process(make_app, demo_db, redis_url, live_server):
    """A process serving no clients (the external scheduler) emits write-only through Redis, and
    the server process delivers to its own connected staff page; the server's own publish too."""
    channel = f"kiosk-test-{uuid.uuid4().hex}"
    app = make_app(demo_db, KIOSK_REDIS_URL=redis_url, KIOSK_REDIS_CHANNEL=channel)
    assert isinstance(app.extensions["kiosk_bus"], RedisBus)
    assert app.test_client().get("/healthz").get_json()["event_bus"] == {"kind": "redis", "ok": True}
    server = live_server(app)
    http = requests.Session()
    token = csrf_from(http.get(f"{server.url}/staff/login").text)
    http.post(f"{server.url}/staff/login", data={"username": "editor", "password": "jinjia-demo", "csrf_token": token})
    received = queue.Queue()
    client = socketio_client.Client(reconnection=False)
    client.on("notice.changed", received.put, namespace="/staff")
    client.connect(server.url, namespaces=["/staff"], transports=["websocket"],
                   headers={"Cookie": f"session={http.cookies['session']}"})
    try:
        room = _township_room(app)
        other_process = SocketIO(message_queue=redis_url, channel=channel)
        other_process.emit("notice.changed", {"notice_id": 9}, to=room, namespace="/staff")
        assert received.get(timeout=5) == {"notice_id": 9}
        with app.app_context():
            publish("notice.changed", {"notice_id": 10}, [room], namespace="/staff")
        assert received.get(timeout=5) == {"notice_id": 10}
    finally:
        client.disconnect()


def test_redis_bus_reports_an_unreachable_redis(make_app, demo_db):
    app = make_app(demo_db, KIOSK_REDIS_URL="redis://127.0.0.1:1/0")
    assert app.extensions["kiosk_bus"].health()["ok"] is False
