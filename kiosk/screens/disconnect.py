"""A revoked (or re-provisioned) screen loses its open sockets at once, on every server process.

Its `/screens` sockets are known by sid (`screen_connection`); python-socketio forwards a
disconnect through the Redis message queue to whichever process holds the socket. Its default
namespace socket (the one following `unit:` rooms) shares that browser's connection and process:
that process drops it when the `/screens` socket goes (`drop_followers_of`), and every process
empties the screen's rooms.
"""
from flask import current_app
from sqlalchemy import select

from kiosk.events import after_commit
from kiosk.extensions import db, socketio
from kiosk.screens.models import Screen, ScreenConnection
from kiosk.screens import operations as screen_operations  # imports this module: read NAMESPACE late

FOLLOW_NAMESPACE = "/"


def screen_room(screen_id: int) -> str:
    return f"screen:{screen_id}"


def disconnect_screen(screen: Screen) -> None:
    """Call in the transaction that revokes the screen; the sockets go once it commits."""
    sids = list(db.session.scalars(select(ScreenConnection.sid).where(
        ScreenConnection.screen_id == screen.id, ScreenConnection.disconnected_at.is_(None))))
    screen_id, app = screen.id, current_app._get_current_object()
    after_commit(lambda: _drop(app, screen_id, sids))


def _drop(app, screen_id: int, sids: list[str]) -> None:
    # A fresh app context, so the disconnect handlers (which run right here on this process) get a
    # database session of their own, not the one that is just committing.
    with app.app_context():
        _drop_sockets(screen_id, sids)


def _drop_sockets(screen_id: int, sids: list[str]) -> None:
    namespace_of_screens = screen_operations.NAMESPACE
    for sid in sids:
        socketio.server.disconnect(sid, namespace=namespace_of_screens)
    for namespace in (namespace_of_screens, FOLLOW_NAMESPACE):
        _disconnect_local(screen_id, namespace)
        socketio.close_room(screen_room(screen_id), namespace=namespace)


def _disconnect_local(screen_id: int, namespace: str) -> None:
    for sid, _eio_sid in list(socketio.server.manager.get_participants(namespace, screen_room(screen_id))):
        socketio.server.disconnect(sid, namespace=namespace)


def drop_followers_of(sid: str) -> None:
    """After a `/screens` socket closed: if its screen is no longer registered, close the same
    browser's default-namespace socket on this process too."""
    screen_id = db.session.scalar(select(ScreenConnection.screen_id).where(ScreenConnection.sid == sid)
                                  .order_by(ScreenConnection.id.desc()).limit(1))
    screen = db.session.get(Screen, screen_id) if screen_id else None
    if screen is not None and not screen.registered:
        _disconnect_local(screen.id, FOLLOW_NAMESPACE)
