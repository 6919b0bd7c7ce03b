"""The screens' Socket.IO namespace: who is connected, heartbeats, and the state on request.

On `/screens` a screen joins `screen:<id>`, `group:<id>` for each of its groups, and `unit:<id>`
for its unit and every unit above it; on the default namespace a hall board (whose page also
follows the queue there) joins the same `unit:<id>` rooms with `screens.follow`, because the
disclosures feature publishes `notice.changed` there.
Each screen also joins `share:<id>`, where a change's new state is pushed once for all the
screens that share it (`push.py`): that push is how a screen learns of a change. An urgent notice
and its clearing come as `changed` carrying themselves; `changed` alone (a membership change, or
a share whose state could not be pushed) makes the player ask for its state (`state` with an
acknowledgement), sending the digest of the state it holds, and a screen already current gets
`{"unchanged": true}` instead of the whole state. A screen that reconnects asks the same way.
Remote commands (`command`, commands.py) come to the `screen:<id>` room, and the ones that waited
for an offline screen when it connects; the player acknowledges and answers on its socket.

The connected screens live in memory (`presence.py`): heartbeats and state requests read no
database, and the state itself comes from the shared cache (`statecache.py`).
"""

from flask import current_app, request
from flask_socketio import ConnectionRefusedError, join_room
from sqlalchemy import select

from kiosk.core import clock
from kiosk.extensions import db, socketio
from kiosk.scheduling import job
from kiosk.core.errors import KioskError
from kiosk.screens import commands
from kiosk.screens.devices import COOKIE, screen_for_token
from kiosk.screens.disconnect import drop_followers_of, screen_room
from kiosk.screens.models import PairingRequest, Screen
from kiosk.screens.operations import NAMESPACE, mark_connected, mark_disconnected, mark_heartbeat, \
    sweep_silent_screens
from kiosk.screens.presence import presence
from kiosk.screens.push import join_share
from kiosk.screens.state import ScreenView, player_state_for
from kiosk.screens.urgent import record_delivery


def rooms_of(screen: Screen) -> list[str]:
    return list(dict.fromkeys([f"screen:{screen.id}", *ScreenView.of(screen).rooms]))


def on_connect(auth=None):
    auth = auth if isinstance(auth, dict) else {}
    screen = screen_for_token(auth.get("token") or request.cookies.get(COOKIE))
    if screen is None:
        raise ConnectionRefusedError("not_registered")
    for room in rooms_of(screen):
        join_room(room)
    view = ScreenView.of(screen)
    share = join_share(view)
    join_room(f"share:{share[0]}")
    mark_connected(screen, request.sid, request.remote_addr or "")
    mark_heartbeat(screen, request.sid, auth)
    presence().join(request.sid, view, share)
    db.session.commit()
    commands.deliver_pending(screen.id, request.sid)


def on_disconnect(*_reason):
    sid = request.sid
    presence().leave(sid)
    # A socket found closed while an emit is being sent (after some commit) is reported from
    # inside that emit: write in a session of our own, not that committed one.
    with current_app.app_context():
        mark_disconnected(sid)
        db.session.commit()
        drop_followers_of(sid)


def on_heartbeat(info=None):
    return {"registered": presence().beat(request.sid, info if isinstance(info, dict) else {})}


def on_state(data=None):
    view = presence().view(request.sid)
    if view is None:
        return {"registered": False}
    join_share(view)  # registered again if the registry was lost (a Redis restart)
    state = player_state_for(view)
    held = data.get("digest") if isinstance(data, dict) else None
    if held == state["digest"]:
        return {"unchanged": True, "digest": held}
    return state


def on_urgent_shown(data=None):
    view = presence().view(request.sid)
    if view is not None and isinstance(data, dict) and isinstance(data.get("id"), int):
        record_delivery(db.session.get(Screen, view.id), data["id"])
        db.session.commit()


def on_command_delivered(data=None):
    """The player got a command (it answers once done)."""
    return _command_reply(commands.mark_delivered, data)


def on_command_answer(data=None):
    """The player's answer to a command: {"id", "ok", "error", "result"}."""
    return _command_reply(lambda screen, command_id: commands.record_answer(screen, command_id, data), data)


def _command_reply(act, data) -> dict:
    view = presence().view(request.sid)
    if view is None or not isinstance(data, dict):
        return {"ok": False}
    try:
        act(db.session.get(Screen, view.id), data.get("id"))
        db.session.commit()
    except KioskError as error:
        db.session.rollback()
        return {"ok": False, "error": error.message}
    return {"ok": True}


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
                           ("state", on_state), ("urgent_shown", on_urgent_shown),
                           ("command_delivered", on_command_delivered), ("command_answer", on_command_answer)):
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
