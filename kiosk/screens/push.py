"""Changes travel to the screens as the state they will draw, once per group of screens sharing it.

Every connected screen joins `share:<id>`, the room of the screens with the same inputs (unit,
groups, language); the id and those inputs are registered (`SharedStates.shares`, in Redis when
there are several processes). When the bus is about to announce a change to `group:`/`unit:`
rooms (`changed`, `notice.changed`), this module marks the states of those rooms old and then,
for each registered share whose rooms the change touches, computes the new shared state once and
emits it to its room as `state` (the player keeps its own name line and digest suffix). So a
change costs one state and one broadcast per share, whatever the number of screens.

An urgent notice and its clearing carry the player's data in the `changed` event itself, so
only their states' versions are bumped (for the next reconnect) and nothing is pushed.
"""
import hashlib
import json
import logging

from flask import current_app
from flask_babel import force_locale, get_locale

from kiosk.extensions import db, socketio
from kiosk.screens.models import Screen
from kiosk.screens.operations import NAMESPACE
from kiosk.screens.state import ScreenView, player_state
from kiosk.screens.statecache import VERSIONED_PREFIXES, shared_states

log = logging.getLogger(__name__)

STATE_EVENTS = ("changed", "notice.changed")
SCREEN_FIELDS = ("screen", "digest", "generated")


def share_of(view: ScreenView) -> tuple[str, dict]:
    """The share id of a connected screen and the inputs that define it."""
    spec = {"unit": view.unit_id, "rooms": list(view.rooms), "locale": str(get_locale()), "screen": view.id}
    share_id = hashlib.sha256(json.dumps([spec["unit"], spec["rooms"], spec["locale"]]).encode()).hexdigest()[:16]
    return share_id, spec


def join_share(view: ScreenView) -> str:
    """Register the screen's share (the first screen seen with it stands for all) and name its room."""
    share_id, spec = share_of(view)
    shared_states().shares.add(share_id, spec)
    return f"share:{share_id}"


def shared_part(state: dict) -> dict:
    """What a pushed state carries: all but the screen's own name line, with the shared digest."""
    return {**{k: v for k, v in state.items() if k not in SCREEN_FIELDS}, "shared": state["digest"][:16]}


def on_publish(event: str, payload: dict, rooms: list[str], namespace: str) -> None:
    """The bus hook (runs after the change's commit, before the event leaves)."""
    if event not in STATE_EVENTS:
        return
    cache = shared_states()
    cache.bump_rooms(rooms)
    if payload.get("urgent") or payload.get("cleared") or payload.get("reason") == "membership":
        return
    touched = sorted({room for room in rooms if room.startswith(VERSIONED_PREFIXES)})
    if not touched:
        return
    app = current_app._get_current_object()
    if cache.push_in_background:
        socketio.start_background_task(push_states, app, touched)
    else:
        push_states(app, touched)


def push_states(app, rooms: list[str]) -> int:
    """Compute and emit the new state of every share the change in `rooms` touches; returns how many."""
    pushed = 0
    with app.app_context():
        cache = shared_states()
        for share_id, spec in cache.shares.all().items():
            if not set(spec["rooms"]) & set(rooms):
                continue
            screen = db.session.get(Screen, spec["screen"])
            try:
                with app.test_request_context(), force_locale(spec["locale"]):
                    if screen is None or not screen.registered or share_of(ScreenView.of(screen))[0] != share_id:
                        # The screen standing for the share left it; the next one to ask registers again.
                        cache.shares.forget(share_id)
                        continue
                    state = player_state(screen)
            except Exception:  # noqa: BLE001  (the screens ask for it themselves after `changed`)
                log.exception("state of share %s not pushed", share_id)
                continue
            app.extensions["kiosk_bus"].publish("state", shared_part(state), [f"share:{share_id}"], NAMESPACE)
            pushed += 1
        db.session.remove()
    return pushed


def start_pushing_in_background(app) -> None:
    """In a serving process: a staff request does not wait for the states it changed to be pushed."""
    shared_states(app).push_in_background = True
