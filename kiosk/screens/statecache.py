"""One computed state per distinct input, shared by every screen with those inputs.

Screens of the same unit in the same groups play the same rotations, notices and urgent notices;
only their name line differs. `state.py` decides what that shared part is; this module keeps it,
keyed by the inputs (unit, groups, local day, language) and by the version of each input: every
`changed` to `group:<id>` and every `notice.changed` to `unit:<id>` bumps that room's version
(`bump_rooms`, called by `push.py`'s bus hook before the event leaves). A screen asking after a
change therefore finds either the new state or nobody's yet, and then exactly one request computes
it while the others wait for it (one lock per key), so a change to 1,000 screens costs one state,
not 1,000. `shares` remembers which inputs the connected screens hold, for the push.

Versions live in Redis when the deployment has one (every process and the scheduler bump and read
the same ones; a Redis restart starts a new era, so nothing cached before it is trusted), else in
this process.
"""
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import redis
from flask import current_app

log = logging.getLogger(__name__)

# Rooms whose changes alter the shared part of a state (`screen:<id>` is part of the key only of a
# screen with on-hours of its own: screens/power.py bumps it when they change).
VERSIONED_PREFIXES = ("group:", "unit:", "screen:")
# A safety net for what no event announces (a unit renamed, the queue counts of a queue slide).
MAX_AGE_SECONDS = 600
ERA_FIELD = "era"


class MemoryVersions:
    """Room versions of a single-process deployment."""

    def __init__(self):
        self.counts: dict[str, int] = {}
        self.lock = threading.Lock()

    def bump(self, rooms: list[str]) -> None:
        with self.lock:
            for room in rooms:
                self.counts[room] = self.counts.get(room, 0) + 1

    def read(self, rooms: list[str]) -> tuple:
        return tuple(self.counts.get(room, 0) for room in rooms)


class RedisVersions:
    """Room versions shared by every process through one Redis hash."""

    def __init__(self, url: str, channel: str):
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2, retry_on_timeout=True)
        self.key = f"{channel}:state-versions"

    def bump(self, rooms: list[str]) -> None:
        pipe = self.client.pipeline(transaction=False)
        pipe.hsetnx(self.key, ERA_FIELD, secrets.token_hex(8))
        for room in rooms:
            pipe.hincrby(self.key, room, 1)
        pipe.execute()

    def read(self, rooms: list[str]) -> tuple:
        pipe = self.client.pipeline(transaction=False)
        pipe.hsetnx(self.key, ERA_FIELD, secrets.token_hex(8))
        pipe.hmget(self.key, [ERA_FIELD, *rooms])
        return tuple(pipe.execute()[1])


class MemoryShares:
    """Which shared states the connected screens of this (single) process hold, by share id."""

    def __init__(self):
        self.specs: dict[str, dict] = {}

    def add(self, share_id: str, spec: dict) -> None:
        self.specs.setdefault(share_id, spec)

    def add_many(self, specs: dict[str, dict]) -> list[str]:
        """Register these shares; returns the ids that were missing."""
        missing = [share_id for share_id in specs if share_id not in self.specs]
        for share_id in missing:
            self.specs[share_id] = specs[share_id]
        return missing

    def forget(self, share_id: str) -> None:
        self.specs.pop(share_id, None)

    def all(self) -> dict[str, dict]:
        return dict(self.specs)


class RedisShares(MemoryShares):
    """The same, for every process: one Redis hash, share id → its inputs and one screen that has them."""

    def __init__(self, client: redis.Redis, key: str):
        self.client, self.key = client, key

    def add(self, share_id: str, spec: dict) -> None:
        self.client.hsetnx(self.key, share_id, json.dumps(spec))

    def add_many(self, specs: dict[str, dict]) -> list[str]:
        pipe = self.client.pipeline(transaction=False)
        for share_id, spec in specs.items():
            pipe.hsetnx(self.key, share_id, json.dumps(spec))
        return [share_id for share_id, added in zip(specs, pipe.execute()) if added]

    def forget(self, share_id: str) -> None:
        self.client.hdel(self.key, share_id)

    def all(self) -> dict[str, dict]:
        return {k.decode(): json.loads(v) for k, v in self.client.hgetall(self.key).items()}


@dataclass
class Entry:
    version: tuple
    computed: float      # time.monotonic()
    valid_until: int | None  # ms: the first notice or urgent notice in it to end
    shared: dict
    digest: str


class SharedStates:
    """The cache of one app (each test app has its own)."""

    def __init__(self, versions, shares):
        self.versions, self.shares = versions, shares
        self.push_in_background = False  # set in serving processes: staff requests do not wait for it
        self.entries: dict[tuple, Entry] = {}
        self.locks: dict[tuple, threading.Lock] = {}
        self.guard = threading.Lock()
        self.computed = 0  # how many states were actually computed (tests and the benchmark read it)

    def bump_rooms(self, rooms: Iterable[str]) -> None:
        wanted = sorted({room for room in rooms if room.startswith(VERSIONED_PREFIXES)})
        if not wanted:
            return
        try:
            self.versions.bump(wanted)
        except redis.RedisError as error:
            log.warning("state versions not bumped (%s); cached states expire within %d s", error, MAX_AGE_SECONDS)
        with self.guard:  # this process knows at once, whatever the shared store says
            for key in [k for k in self.entries if any(room in wanted for room in k[-1])]:
                del self.entries[key]

    def get(self, key: tuple, now_ms: int, compute: Callable[[], tuple[dict, str, int | None]]) -> tuple[dict, str]:
        """The shared state for `key` (whose last element is its rooms): cached, or computed once."""
        try:
            version = self.versions.read(list(key[-1]))
        except redis.RedisError as error:
            log.warning("state versions unreadable (%s): computing without the cache", error)
            shared, digest, _until = compute()
            return shared, digest
        entry = self._fresh(key, version, now_ms)
        if entry is None:
            with self.guard:
                lock = self.locks.setdefault(key, threading.Lock())
            with lock:
                entry = self._fresh(key, version, now_ms)
                if entry is None:
                    shared, digest, valid_until = compute()
                    self.computed += 1
                    entry = Entry(version, time.monotonic(), valid_until, shared, digest)
                    with self.guard:
                        self.entries[key] = entry
        return entry.shared, entry.digest

    def _fresh(self, key: tuple, version: tuple, now_ms: int) -> Entry | None:
        entry = self.entries.get(key)
        if entry is None or entry.version != version or time.monotonic() - entry.computed > MAX_AGE_SECONDS:
            return None
        if entry.valid_until is not None and now_ms >= entry.valid_until:
            return None
        return entry


def shared_states(app=None) -> SharedStates:
    app = app or current_app
    cache = app.extensions.get("kiosk_shared_states")
    if cache is None:
        url, channel = app.config.get("KIOSK_REDIS_URL"), app.config["KIOSK_REDIS_CHANNEL"]
        if url:
            versions = RedisVersions(url, channel)
            shares = RedisShares(versions.client, f"{channel}:state-shares")
        else:
            versions, shares = MemoryVersions(), MemoryShares()
        cache = app.extensions["kiosk_shared_states"] = SharedStates(versions, shares)
    return cache
