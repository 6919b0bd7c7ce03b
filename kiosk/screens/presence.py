"""The screens connected to this process, kept in memory, and their heartbeats written in batches.

A connected screen's socket maps to its `ScreenView` (what its state needs), so a heartbeat or a
state request reads no database. Heartbeats wait here and a writer writes them every
`KIOSK_HEARTBEAT_BATCH_SECONDS` (default 10) in one transaction, each with the instant it
arrived: 1,000 screens beating every 20 s are one write every 10 s instead of 50 a second.

Exactness: connecting and disconnecting are written at once, so online/offline and the
connection periods that proof of display adds up are exact; `last_seen`, the connection's last
heartbeat and what the screen says it shows reach the database at most one batch interval late
(if the process dies, at most one interval of heartbeats is lost: the sweep then closes its
connections at the last written heartbeat, that much earlier than they really ended).

Without the writer (the test client, `flask shell`) every heartbeat is written at once.
"""
import logging
import threading

import redis

from kiosk.core import clock
from kiosk.extensions import db, socketio
from kiosk.metrics.registry import screen_connected, screen_disconnected
from kiosk.screens.operations import NAMESPACE, record_heartbeats
from kiosk.screens.state import ScreenView
from kiosk.screens.statecache import shared_states

log = logging.getLogger(__name__)


class Presence:
    def __init__(self):
        self.views: dict[str, ScreenView] = {}
        self.shares: dict[str, tuple[str, dict]] = {}   # sid -> (share id, its inputs)
        self.pending: dict[str, tuple] = {}   # sid -> (screen id, sid, when, info): the latest beat
        self.lock = threading.Lock()
        self.batching = False

    def join(self, sid: str, view: ScreenView, share: tuple[str, dict]) -> None:
        with self.lock:
            self.views[sid] = view
            self.shares[sid] = share
        screen_connected(view.unit_name, view.kind)

    def leave(self, sid: str) -> None:
        with self.lock:
            self.shares.pop(sid, None)
            self.pending.pop(sid, None)
            view = self.views.pop(sid, None)
        if view is not None:
            screen_disconnected(view.unit_name, view.kind)

    def register_shares(self) -> None:
        """Register this process's screens' shares again. A change is pushed only to registered
        shares, and the registry can lose one (a Redis restart, its stand-in screen gone): the
        screens of a share found missing are told `changed`, so they ask for what they may have
        missed, at most one batch interval late."""
        with self.lock:
            shares = dict(self.shares.values())
        if not shares:
            return
        try:
            missing = shared_states().shares.add_many(shares)
        except redis.RedisError as error:
            log.warning("shares not registered again (%s); next try in one batch interval", error)
            return
        for share_id in missing:
            socketio.emit("changed", {"reason": "registered"}, to=f"share:{share_id}", namespace=NAMESPACE)

    def view(self, sid: str) -> ScreenView | None:
        return self.views.get(sid)

    def beat(self, sid: str, info: dict) -> bool:
        """Note a heartbeat; False if the socket is not a connected screen here."""
        with self.lock:
            view = self.views.get(sid)
            if view is None:
                return False
            self.pending[sid] = (view.id, sid, clock.now(), info)
        if not self.batching:
            self.write()
        return sid in self.views

    def write(self) -> None:
        """Write the waiting heartbeats; screens revoked meanwhile are told so and forgotten."""
        with self.lock:
            # Taken out before writing: a failed batch is lost (logged), as a dying process's would be.
            beats, self.pending = list(self.pending.values()), {}
        if not beats:
            return
        gone = record_heartbeats(beats)
        db.session.commit()
        for screen_id, sid, _at, _info in beats:
            if screen_id in gone:
                self.leave(sid)
                socketio.emit("revoked", {"screen": screen_id}, to=sid, namespace=NAMESPACE)


def presence(app=None) -> Presence:
    from flask import current_app
    app = app or current_app
    return app.extensions.setdefault("kiosk_presence", Presence())


def start_heartbeat_writer(app) -> None:
    """In a serving process: write heartbeats every batch interval (0 keeps writing each at once)."""
    interval = app.config["KIOSK_HEARTBEAT_BATCH_SECONDS"]
    if not interval:
        return
    keeper = presence(app)
    keeper.batching = True

    def run():
        while True:
            socketio.sleep(interval)
            try:
                with app.app_context():
                    keeper.write()
                    keeper.register_shares()
            except Exception:  # noqa: BLE001  (keep writing the next batches; this one is logged)
                log.exception("heartbeat batch not written")

    socketio.start_background_task(run)
