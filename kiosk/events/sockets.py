"""The staff namespace: logged-in staff pages listen here for changes in their units."""
from flask_login import current_user
from flask_socketio import join_room

from kiosk.extensions import socketio
from kiosk.org.models import Unit

STAFF_NAMESPACE = "/staff"


def staff_rooms_for(unit: Unit) -> list[str]:
    """The rooms of every staff member who may act on `unit`: its own and those above it."""
    rooms = []
    while unit is not None:
        rooms.append(f"staff:{unit.id}")
        unit = unit.parent
    return rooms


@socketio.on("connect", namespace=STAFF_NAMESPACE)
def staff_connect(auth=None):
    if not current_user.is_authenticated:
        return False  # refused: the client sees a connect_error
    join_room(f"staff:{current_user.unit_id}")
    return True
