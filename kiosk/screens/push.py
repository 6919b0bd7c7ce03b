"""Changes travel to the screens as the state they will draw, once per group of screens sharing it.

Every connected screen joins `share:<id>`, the room of the screens with the same inputs (unit,
groups, language); the id and those inputs are registered (`SharedStates.shares`, in Redis when
there are several processes). When the bus is about to announce a change to `group:`/`unit:`
rooms (`changed`, `notice.changed`), this module marks the states of those rooms old and then,
for each registered share whose rooms the change touches, computes the new shared state once and
emits it to its room as `state` (the player keeps its own name line and digest suffix): that push
is the only message a screen gets for the change. So a change costs one state and one broadcast
per share, whatever the number of screens. A share whose state cannot be pushed is told `changed`,
and its screens ask.

An urgent notice and its clearing carry the player's data in the `changed` event itself, so
only their states' versions are bumped (for the next reconnect) and nothing is pushed.
"""
import hashlib
import json
import logging
import time

import redis

from flask import current_app
from flask_babel import force_locale, get_locale

from kiosk.extensions import db, socketio
from kiosk.metrics.registry import state_pushed
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


def join_share(view: ScreenView) -> tuple[str, dict]:
    """Register the screen's share (the first screen seen with it stands for all); its id and inputs."""
    share_id, spec = share_of(view)
    shared_states().shares.add(share_id, spec)
    return share_id, spec


def shared_part(state: dict) -> dict:
    """What a pushed state carries: all but the screen's own name line, with the shared digest."""
    return {**{k: v for k, v in state.items() if k not in SCREEN_FIELDS}, "shared": state["digest"][:16]}


def on_publish(event: str, payload: dict, rooms: list[str], namespace: str) -> bool:
    """The bus hook (runs after the change's commit, before the event leaves). A change of what
    screens show is taken over: the screens get their new states, not an announcement (returns
    True, or the background task pushing them, which the commit waits for a moment)."""
    if event not in STATE_EVENTS:
        return False
    cache = shared_states()
    cache.bump_rooms(rooms)
    if payload.get("urgent") or payload.get("cleared") or payload.get("reason") == "membership":
        return False
    touched = sorted({room for room in rooms if room.startswith(VERSIONED_PREFIXES)})
    if not touched:
        return False
    app = current_app._get_current_object()
    committed = time.perf_counter()
    if cache.push_in_background:
        return socketio.start_background_task(push_change, app, touched, (event, payload, rooms, namespace), committed)
    push_change(app, touched, (event, payload, rooms, namespace), committed)
    return True


def push_change(app, touched: list[str], message: tuple, committed: float) -> None:
    """Push the new states; the screens of a share whose state could not be pushed are told
    `changed` and ask for it. `changed` itself goes no further: every screen in its rooms is in a
    share. `notice.changed` (default namespace) still goes to whoever follows the units' notices."""
    event, payload, rooms, namespace = message
    bus = app.extensions["kiosk_bus"]
    ask = {"reason": payload.get("reason", event)}
    try:
        missed = push_states(app, touched, committed)
    except redis.RedisError as error:  # the share registry unreadable: every screen concerned asks
        log.warning("states not pushed (%s); the screens are told to ask", error)
        bus.publish("changed", ask, rooms, NAMESPACE)
        missed = []
    if missed:
        bus.publish("changed", ask, [f"share:{share_id}" for share_id in missed], NAMESPACE)
    if event != "changed":
        bus.publish(event, payload, rooms, namespace)


def push_states(app, rooms: list[str], committed: float) -> list[str]:
    """Compute and emit the new state of every share the change in `rooms` touches; returns the ids
    of those not pushed."""
    missed = []
    with app.app_context():
        cache = shared_states()
        for share_id, spec in cache.shares.all().items():
            if not set(spec["rooms"]) & set(rooms):
                continue
            screen = db.session.get(Screen, spec["screen"])
            try:
                with app.test_request_context(), force_locale(spec["locale"]):
                    if screen is None or not screen.registered or share_of(ScreenView.of(screen))[0] != share_id:
                        # The screen standing for the share left it; the next one to ask (or the
                        # heartbeat writer of a process holding one) registers the share again.
                        cache.shares.forget(share_id)
                        missed.append(share_id)
                        continue
                    state = player_state(screen)
            except Exception:  # noqa: BLE001  (its screens are told to ask for it themselves)
                log.exception("state of share %s not pushed", share_id)
                missed.append(share_id)
                continue
            app.extensions["kiosk_bus"].publish("state", shared_part(state), [f"share:{share_id}"], NAMESPACE)
            state_pushed(time.perf_counter() - committed)
        db.session.remove()
    return missed


def start_pushing_in_background(app) -> None:
    """In a serving process: a staff request does not wait for the states it changed to be pushed."""
    shared_states(app).push_in_background = True
