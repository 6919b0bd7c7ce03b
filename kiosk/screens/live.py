"""The screens' Socket.IO namespace: who is connected, heartbeats, and the full state on request.

On `/screens` a screen joins `screen:<id>`, `group:<id>` for each of its groups, and `unit:<id>`
for its unit and every unit above it; on the default namespace it joins the same `unit:<id>`
rooms with `screens.follow`, because the disclosures feature publishes `notice.changed` there. Changes are announced with a
small `changed` event; the player then asks for its state (`state` with an acknowledgement),
so a screen that reconnects after an outage gets everything it missed the same way.
"""

from flask import request
from flask_socketio import ConnectionRefusedError, join_room
from sqlalchemy import select

from kiosk.core import clock
from kiosk.extensions import db, socketio
from kiosk.scheduling import job
from kiosk.screens.devices import COOKIE, screen_for_token
from kiosk.screens.disconnect import drop_followers_of, screen_room
from kiosk.screens.models import PairingRequest, Screen, ScreenConnection
from kiosk.screens.operations import NAMESPACE, mark_connected, mark_disconnected, mark_heartbeat, \
    sweep_silent_screens
from kiosk.screens.state import player_state
from kiosk.screens.urgent import record_delivery


def rooms_of(screen: Screen) -> list[str]:
    rooms = [f"screen:{screen.id}"] + [f"group:{m.group_id}" for m in screen.memberships]
    unit = screen.unit
    while unit is not None:
        rooms.append(f"unit:{unit.id}")
        unit = unit.parent
    return rooms


def _screen_of_socket() -> Screen | None:
    connection = db.session.scalar(select(ScreenConnection).where(
        ScreenConnection.sid == request.sid, ScreenConnection.disconnected_at.is_(None)))
    screen = db.session.get(Screen, connection.screen_id) if connection else None
    return screen if screen is not None and screen.registered else None


def on_connect(auth=None):
    auth = auth if isinstance(auth, dict) else {}
    screen = screen_for_token(auth.get("token") or request.cookies.get(COOKIE))
    if screen is None:
        raise ConnectionRefusedError("not_registered")
    for room in rooms_of(screen):
        join_room(room)
    mark_connected(screen, request.sid, request.remote_addr or "")
    mark_heartbeat(screen, request.sid, auth)
    db.session.commit()


def on_disconnect(*_reason):
    mark_disconnected(request.sid)
    db.session.commit()
    drop_followers_of(request.sid)


def on_heartbeat(info=None):
    screen = _screen_of_socket()
    if screen is None:
        return {"registered": False}
    mark_heartbeat(screen, request.sid, info if isinstance(info, dict) else {})
    db.session.commit()
    return {"registered": True}


def on_state(_data=None):
    screen = _screen_of_socket()
    if screen is None:
        return {"registered": False}
    return player_state(screen)


def on_urgent_shown(data=None):
    screen = _screen_of_socket()
    if screen is not None and isinstance(data, dict) and isinstance(data.get("id"), int):
        record_delivery(screen, data["id"])
        db.session.commit()


def follow_notices(data=None):
    """On the default namespace, where the disclosures feature publishes `notice.changed` to
    `unit:<id>` rooms: a screen proves itself with its token (or its cookie: the hall board page
    cannot read it) and joins its units' rooms."""
    data = data if isinstance(data, dict) else {}
    token = data.get("token") if isinstance(data.get("token"), str) else None
    screen = screen_for_token(token or request.cookies.get(COOKIE))
    if screen is None:
        return {"ok": False}
    rooms = [room for room in rooms_of(screen) if room.startswith("unit:")]
    for room in rooms + [screen_room(screen.id)]:  # the screen's room: how revocation finds this socket
        join_room(room)
    return {"ok": True, "rooms": rooms}


def register_handlers() -> None:
    """Attach the handlers to the Socket.IO server of the app being created (each app has its own)."""
    for event, handler in (("connect", on_connect), ("disconnect", on_disconnect), ("heartbeat", on_heartbeat),
                           ("state", on_state), ("urgent_shown", on_urgent_shown)):
        socketio.on_event(event, handler, namespace=NAMESPACE)
    socketio.on_event("screens.follow", follow_notices, namespace="/")


@job("screens.sweep", "interval", seconds=30)
def sweep():
    """Mark silent screens offline and forget expired pairing codes."""
    closed = sweep_silent_screens()
    expired = db.session.scalars(select(PairingRequest).where(PairingRequest.expires_at < clock.now()))
    for pairing in expired:
        db.session.delete(pairing)
    db.session.commit()
    return f"{closed} silent screen connections closed" if closed else None
