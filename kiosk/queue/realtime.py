"""Socket.IO: boards, clerk pages and status pages join their rooms with `queue.follow`,
then fetch the current state; they do the same after every reconnect, so nothing is missed."""
from flask_socketio import join_room
from sqlalchemy import select

from kiosk.core.errors import NotFound
from kiosk.extensions import db, socketio
from kiosk.org.models import Unit, UnitKind
from kiosk.queue.operations import ticket_by_token


def register_handlers() -> None:
    """Attach to the Socket.IO server create_app just built (each app gets its own server)."""
    socketio.on_event("queue.follow", follow)


def follow(data):
    """{"hall": code} joins hall:<id> (public: the board shows only numbers);
    {"ticket": token} joins ticket:<id> and its hall, for whoever holds the ticket's secret link."""
    data = data if isinstance(data, dict) else {}
    rooms = []
    if isinstance(data.get("hall"), str):
        hall = db.session.scalar(select(Unit).where(Unit.code == data["hall"], Unit.kind == UnitKind.hall))
        if hall is not None:
            rooms.append(f"hall:{hall.id}")
    if isinstance(data.get("ticket"), str):
        try:
            ticket = ticket_by_token(data["ticket"])
        except NotFound:
            ticket = None
        if ticket is not None:
            rooms += [f"ticket:{ticket.id}", f"hall:{ticket.hall_id}"]
    for room in rooms:
        join_room(room)
    db.session.remove()
    return {"ok": bool(rooms), "rooms": sorted(set(rooms))}
