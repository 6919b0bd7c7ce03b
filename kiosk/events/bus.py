import logging
import time
from collections.abc import Iterable

import redis
from flask import current_app
from flask_socketio import SocketIO
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from kiosk.extensions import db, socketio

log = logging.getLogger(__name__)


class EventBus:
    kind = "abstract"

    def publish(self, event: str, payload: dict, rooms: Iterable[str], namespace: str = "/") -> None:
        raise NotImplementedError

    def health(self) -> dict:
        raise NotImplementedError


class InProcessBus(EventBus):
    kind = "in-process"

    def __init__(self, socketio: SocketIO):
        self.socketio = socketio

    def publish(self, event, payload, rooms, namespace="/"):
        rooms = list(rooms)
        if rooms:
            self.socketio.emit(event, payload, to=rooms, namespace=namespace)

    def health(self):
        return {"kind": self.kind, "ok": True}


class RedisBus(InProcessBus):
    """Same emit, but the SocketIO object was built with the Redis message queue."""

    kind = "redis"

    def __init__(self, socketio: SocketIO, url: str):
        super().__init__(socketio)
        self.url = url

    def health(self):
        try:
            redis.Redis.from_url(self.url, socket_timeout=2).ping()
            return {"kind": self.kind, "ok": True}
        except redis.RedisError as error:
            return {"kind": self.kind, "ok": False, "message": str(error)}


def bus_for(app, socketio: SocketIO) -> EventBus:
    url = app.config.get("KIOSK_REDIS_URL")
    return RedisBus(socketio, url) if url else InProcessBus(socketio)


_PENDING = "kiosk_pending_events"
_AFTER_COMMIT = "kiosk_after_commit"
_HOOKS = "kiosk_publish_hooks"


def before_publish(app, hook) -> None:
    """Call `hook(event, payload, rooms, namespace)` in the publishing process before each message
    leaves (after its commit): e.g. the screens' state cache marks those rooms' states old, so a
    screen that asks at once already gets the new state. A hook that takes the message over (the
    screens' push sends the new states instead) returns True, or the background task doing it."""
    app.extensions.setdefault(_HOOKS, []).append(hook)


def _deliver(message: tuple):
    """Send one message; returns the background task a hook handed it to, if any."""
    for hook in current_app.extensions.get(_HOOKS, ()):
        taken = hook(*message)
        if taken:
            return None if taken is True else taken
    current_app.extensions["kiosk_bus"].publish(*message)
    return None


_WROTE = "kiosk_wrote"
# How long a commit waits for the work a hook took over (the screens' new states) to be handed to
# the sockets before its request goes on: a township's change is; a county-wide one, with hundreds
# of states to compute, carries on in the background.
HANDOVER_WAIT_SECONDS = 0.25


def after_commit(callback) -> None:
    """Run `callback()` once the current transaction commits (never, if it rolls back)."""
    db.session().info.setdefault(_AFTER_COMMIT, []).append(callback)


def publish(event: str, payload: dict, rooms: Iterable[str], namespace: str = "/") -> None:
    """Publish on the app's bus. While the session holds uncommitted writes the message waits for
    the commit (and is dropped on rollback), so no screen hears of a change that never happened."""
    message = (event, payload, list(rooms), namespace)
    session = db.session()
    if session.info.get(_WROTE) or session.new or session.dirty or session.deleted:
        session.info.setdefault(_PENDING, []).append(message)
    else:
        _deliver(message)


@sa_event.listens_for(Session, "after_flush")
def _mark_written(session, flush_context):
    session.info[_WROTE] = True


@sa_event.listens_for(Session, "after_commit")
def _send_pending(session):
    session.info.pop(_WROTE, None)
    pending = session.info.pop(_PENDING, [])
    handed_over = [task for task in map(_deliver, pending) if task is not None]
    deadline = time.monotonic() + HANDOVER_WAIT_SECONDS
    for task in handed_over:
        task.join(max(0.0, deadline - time.monotonic()))
    if pending and socketio.async_mode == "gevent":
        # Under gevent the messages are only queued: let them leave before the request goes on
        # (building its answer can take a while: an urgent notice's lists every target screen).
        # Threads send by themselves; there a sleep would only cost (and under libfaketime fail).
        socketio.sleep(0)
    for callback in session.info.pop(_AFTER_COMMIT, []):
        callback()


@sa_event.listens_for(Session, "after_rollback")
def _drop_pending(session):
    session.info.pop(_WROTE, None)
    session.info.pop(_PENDING, None)
    session.info.pop(_AFTER_COMMIT, None)
