"""Screen rules: registering, pairing, revoking, groups, and online status."""
import secrets
from datetime import datetime, timedelta, timezone

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import JSON, BigInteger, Float, Integer, String, Text, bindparam, case, func, select, update

from kiosk import privacy
from kiosk.accounts.models import Role, User
from kiosk.accounts.permissions import ensure_can_act_on, ensure_role
from kiosk.audit.operations import audited, record_change
from kiosk.core import clock
from kiosk.core.db import UTCDateTime
from kiosk.core.errors import Conflict, InvalidInput, NotFound
from kiosk.core.locking import begin_writing, locked_row
from kiosk.events import publish
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.screens.devices import new_token, token_digest
from kiosk.screens.disconnect import disconnect_screen
from kiosk.screens.models import PairingRequest, Screen, ScreenConnection, ScreenGroup, ScreenGroupMember, ScreenKind

MANAGERS = (Role.screen_manager, Role.administrator)
NAMESPACE = "/screens"
PAIRING_LIFETIME = timedelta(minutes=30)
# A screen whose socket has been silent this long is offline even if no disconnect arrived.
HEARTBEAT_TIMEOUT = timedelta(seconds=90)


def ensure_manager(user: User, unit: Unit) -> None:
    ensure_role(user, *MANAGERS)
    ensure_can_act_on(user, unit)


# --- finding -------------------------------------------------------------------------------------------

def screens_visible_to(user: User) -> list[Screen]:
    return list(db.session.scalars(select(Screen).join(Unit).where(Unit.path.startswith(user.unit.path))
                                   .order_by(Unit.id, Screen.name)))


def get_screen_for(user: User, screen_id: int) -> Screen:
    screen = db.session.get(Screen, screen_id)
    if screen is None or not user.unit.contains(screen.unit):
        raise NotFound(_("No such screen."))
    return screen


def groups_visible_to(user: User) -> list[ScreenGroup]:
    return list(db.session.scalars(select(ScreenGroup).join(Unit).where(Unit.path.startswith(user.unit.path))
                                   .order_by(Unit.id, ScreenGroup.name)))


def get_group(unit: Unit, code: str) -> ScreenGroup:
    group = db.session.scalar(select(ScreenGroup).where(ScreenGroup.unit_id == unit.id, ScreenGroup.code == code))
    if group is None:
        raise NotFound(_("%(unit)s has no screen group %(code)s.", unit=unit.name, code=code))
    return group


def get_group_for(user: User, group_id: int) -> ScreenGroup:
    group = db.session.get(ScreenGroup, group_id)
    if group is None or not user.unit.contains(group.unit):
        raise NotFound(_("No such screen group."))
    return group


# --- registering ---------------------------------------------------------------------------------------

def player_url(token: str, kind: ScreenKind | None = None) -> str:
    """What to open on the screen: the player, or for an image-only board the picture it polls."""
    if kind == ScreenKind.image_board:
        return url_for("api.renderScreenNow", token=token, _external=True)
    return url_for("screen_player.activate", token=token, _external=True)


def create_screen(user: User, unit: Unit, kind: ScreenKind, name: str, groups: list[ScreenGroup]) -> tuple[Screen, str]:
    """Register a screen; returns it and its device token (shown once, inside the player URL)."""
    ensure_manager(user, unit)
    name = name.strip()
    if not name or len(name) > 80:
        raise InvalidInput(_("A screen name is 1 to 80 characters."))
    privacy.ensure_clean({_("Screen name"): name})   # the player shows it
    token, digest = new_token()
    screen = Screen(unit=unit, kind=kind, name=name, token_hash=digest, paired_at=clock.now(),
                    offline_since=clock.now())
    db.session.add(screen)
    db.session.flush()
    _set_groups(screen, groups)
    record_change("screen.create", screen)
    return screen, token


def _set_groups(screen: Screen, groups: list[ScreenGroup]) -> None:
    for group in groups:
        if not group.unit.contains(screen.unit):
            raise InvalidInput(_("A screen of %(unit)s cannot join the group %(group)s.",
                                 unit=screen.unit.name, group=group.name))
    wanted = {group.id for group in groups}
    screen.memberships = [m for m in screen.memberships if m.group_id in wanted]
    have = {m.group_id for m in screen.memberships}
    screen.memberships += [ScreenGroupMember(group=g) for g in groups if g.id not in have]


def update_screen(user: User, screen: Screen, name: str, groups: list[ScreenGroup]) -> Screen:
    ensure_manager(user, screen.unit)
    privacy.ensure_clean({_("Screen name"): name})
    with audited("screen.update", screen):
        screen.name = name.strip() or screen.name
        _set_groups(screen, groups)
    tell_screen(screen, "membership")
    return screen


def revoke_screen(user: User, screen: Screen) -> Screen:
    ensure_manager(user, screen.unit)
    if screen.revoked_at is not None:
        raise Conflict(_("This screen is already revoked."))
    with audited("screen.revoke", screen):
        screen.revoked_at = clock.now()
    publish("revoked", {"screen": screen.id}, [f"screen:{screen.id}"], namespace=NAMESPACE)
    disconnect_screen(screen)
    return screen


def reissue_token(user: User, screen: Screen) -> str:
    """A new device token for the screen (re-provisioning); the old browser stops being this screen."""
    ensure_manager(user, screen.unit)
    token, digest = new_token()
    with audited("screen.reissue", screen):
        screen.token_hash, screen.revoked_at, screen.paired_at = digest, None, clock.now()
    publish("revoked", {"screen": screen.id}, [f"screen:{screen.id}"], namespace=NAMESPACE)
    disconnect_screen(screen)
    return token


# --- pairing by code -----------------------------------------------------------------------------------

def start_pairing() -> tuple[PairingRequest, str]:
    """A new six-digit code for a browser at /display, with the claim secret only that browser keeps."""
    secret = secrets.token_urlsafe(32)
    now = clock.now()
    live_codes = set(db.session.scalars(select(PairingRequest.code).where(PairingRequest.expires_at > now)))
    code = f"{secrets.randbelow(1_000_000):06d}"
    while code in live_codes:
        code = f"{secrets.randbelow(1_000_000):06d}"
    request = PairingRequest(code=code, claim_hash=token_digest(secret), expires_at=now + PAIRING_LIFETIME)
    db.session.add(request)
    db.session.flush()
    return request, secret


def pending_pairing(code: str) -> PairingRequest:
    request = db.session.scalar(select(PairingRequest).where(
        PairingRequest.code == code.strip(), PairingRequest.expires_at > clock.now(),
        PairingRequest.screen_id.is_(None)))
    if request is None:
        raise NotFound(_("No screen is showing the code %(code)s. Codes expire after 30 minutes.", code=code))
    return request


def pair_screen(user: User, code: str, screen: Screen) -> PairingRequest:
    """Bind the browser showing `code` to `screen`; it becomes that screen when it next asks."""
    ensure_manager(user, screen.unit)
    request = pending_pairing(code)
    request.screen = screen
    with audited("screen.pair", screen):
        screen.revoked_at, screen.paired_at = None, clock.now()
        screen.token_hash = None  # set when the browser claims; the old browser stops at once
    publish("revoked", {"screen": screen.id}, [f"screen:{screen.id}"], namespace=NAMESPACE)
    return request


def claim_pairing(secret: str) -> tuple[str | None, PairingRequest | None]:
    """For the waiting browser: (device token, request) once paired, (None, request) while waiting."""
    request = db.session.scalar(select(PairingRequest).where(PairingRequest.claim_hash == token_digest(secret)))
    if request is None or request.claimed_at is not None or request.expires_at <= clock.now():
        return None, None
    if request.screen is None:
        return None, request
    token, digest = new_token()
    request.screen.token_hash = digest
    request.claimed_at = clock.now()
    return token, request


# --- groups --------------------------------------------------------------------------------------------

def create_group(user: User, unit: Unit, code: str, name: str) -> ScreenGroup:
    ensure_manager(user, unit)
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise InvalidInput(_("A screen group needs a code and a name."))
    if db.session.scalar(select(ScreenGroup).where(ScreenGroup.unit_id == unit.id, ScreenGroup.code == code)):
        raise Conflict(_("%(unit)s already has a screen group %(code)s.", unit=unit.name, code=code))
    group = ScreenGroup(unit=unit, code=code, name=name)
    db.session.add(group)
    db.session.flush()
    record_change("screen_group.create", group)
    return group


def tell_screen(screen: Screen, reason: str) -> None:
    publish("changed", {"reason": reason}, [f"screen:{screen.id}"], namespace=NAMESPACE)


def tell_groups(group_ids, reason: str, extra: dict | None = None) -> None:
    """Tell the screens of these groups (and only them) that what they show changed."""
    publish("changed", {"reason": reason, **(extra or {})}, [f"group:{gid}" for gid in sorted(set(group_ids))],
            namespace=NAMESPACE)


# --- status --------------------------------------------------------------------------------------------

def mark_connected(screen: Screen, sid: str, address: str) -> ScreenConnection:
    now = clock.now()
    connection = ScreenConnection(screen_id=screen.id, sid=sid, connected_at=now, last_heartbeat=now,
                                  address=address[:64])
    db.session.add(connection)
    screen.online, screen.offline_since, screen.last_seen = True, None, now
    return connection


def mark_heartbeat(screen: Screen, sid: str, info: dict) -> None:
    record_heartbeats([(screen.id, sid, clock.now(), info)])


def record_heartbeats(beats: list[tuple[int, str, datetime, dict]]) -> set[int]:
    """Write heartbeats (screen id, socket id, when, what the player said), a batch at a time: two
    reads and two or three UPDATEs of many rows, no objects loaded (a batch of thousands of screens
    must not hold a gevent loop), and each screen's `last_seen` is when it really beat.
    Returns the screens no longer registered (revoked or re-paired meanwhile)."""
    if not beats:
        return set()
    ids = {screen_id for screen_id, _sid, _at, _info in beats}
    registered = set(db.session.scalars(select(Screen.id).where(
        Screen.id.in_(ids), Screen.token_hash.is_not(None), Screen.revoked_at.is_(None))))
    beats = [beat for beat in beats if beat[0] in registered]
    open_sids = set(db.session.scalars(select(ScreenConnection.sid).where(
        ScreenConnection.sid.in_({sid for _id, sid, _at, _info in beats}), ScreenConnection.disconnected_at.is_(None))))
    for screen_id, sid, _at, _info in beats:
        if sid not in open_sids:  # closed by the sweep while the socket lived on: it is back
            mark_connected(db.session.get(Screen, screen_id), sid, "")
            open_sids.add(sid)
    db.session.flush()
    if beats:
        _write_beats(beats)
    return ids - registered


def _latest(column, moment):
    return case((column.is_(None) | (column < moment), moment), else_=column)


def _write_beats(beats: list[tuple[int, str, datetime, dict]]) -> None:
    connections, screens = ScreenConnection.__table__, Screen.__table__
    at = bindparam("b_at", type_=UTCDateTime)
    db.session.execute(
        update(connections).where(connections.c.sid == bindparam("b_sid"), connections.c.disconnected_at.is_(None))
        .values(last_heartbeat=_latest(connections.c.last_heartbeat, at)),
        [{"b_sid": sid, "b_at": when} for _id, sid, when, _info in beats])
    reported = [_reported(screen_id, when, info) for screen_id, _sid, when, info in beats]
    db.session.execute(
        update(screens).where(screens.c.id == bindparam("b_id")).values(
            last_seen=_latest(screens.c.last_seen, at), online=True, offline_since=None,
            software_version=func.coalesce(bindparam("b_version", type_=String), screens.c.software_version),
            screen_width=func.coalesce(bindparam("b_width", type_=Integer), screens.c.screen_width),
            screen_height=func.coalesce(bindparam("b_height", type_=Integer), screens.c.screen_height),
            browser=func.coalesce(bindparam("b_browser", type_=String), screens.c.browser),
            pixel_ratio=func.coalesce(bindparam("b_ratio", type_=Float), screens.c.pixel_ratio),
            storage_free=func.coalesce(bindparam("b_storage", type_=BigInteger), screens.c.storage_free),
            last_error=func.coalesce(bindparam("b_error", type_=Text), screens.c.last_error),
            last_error_at=func.coalesce(bindparam("b_error_at", type_=UTCDateTime), screens.c.last_error_at)),
        [{key: value for key, value in row.items() if key != "b_showing"} for row in reported])
    showing = [{"b_id": row["b_id"], "b_showing": row["b_showing"]} for row in reported if row["b_showing"]]
    if showing:
        db.session.execute(update(screens).where(screens.c.id == bindparam("b_id"))
                           .values(now_showing=bindparam("b_showing", type_=JSON)), showing)


def _reported(screen_id: int, when: datetime, info: dict) -> dict:
    """What a heartbeat says about its screen, checked: None where it says nothing usable."""
    def size(key):
        value = info.get(key)
        return value if isinstance(value, int) and 0 < value < 20000 else None
    showing = info.get("showing")
    ratio, storage, error = info.get("pixel_ratio"), info.get("storage_free"), info.get("error")
    error = error if isinstance(error, dict) and isinstance(error.get("message"), str) and error["message"] else None
    error_at = error.get("at") if error else None
    return {"b_id": screen_id, "b_at": when, "b_version": str(info.get("version") or "")[:40] or None,
            "b_width": size("width"), "b_height": size("height"),
            "b_browser": str(info.get("browser") or "")[:120] or None,
            "b_ratio": float(ratio) if isinstance(ratio, (int, float)) and 0 < ratio <= 16 else None,
            "b_storage": storage if isinstance(storage, int) and 0 <= storage < 2 ** 62 else None,
            "b_error": error["message"][:1000] if error else None,
            # when the player saw it (a plausible instant), else when it was reported
            "b_error_at": (_instant(error_at, when) if error else None),
            "b_showing": {k: str(v)[:200] for k, v in showing.items() if k in ("key", "kind", "title", "urgent")}
            if isinstance(showing, dict) else None}


def _instant(value, fallback: datetime) -> datetime:
    """A player's millisecond timestamp, trusted only within a day before `fallback` (its clock may be wrong)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            moment = datetime.fromtimestamp(value / 1000, timezone.utc)
        except (OverflowError, OSError, ValueError):
            return fallback
        if fallback - timedelta(days=1) <= moment <= fallback:
            return moment
    return fallback


def _close(connection: ScreenConnection, at: datetime) -> None:
    """Callers hold the write lock (`begin_writing`): a player that reloads connects anew while its
    old socket closes, and the screen must not be marked offline by a close that missed the new one."""
    connection.disconnected_at = at
    screen = locked_row(Screen, connection.screen_id)
    still_open = db.session.scalar(select(ScreenConnection.id).where(
        ScreenConnection.screen_id == screen.id, ScreenConnection.disconnected_at.is_(None),
        ScreenConnection.id != connection.id).limit(1))
    if still_open is None and screen.online:
        screen.online, screen.offline_since = False, at


def mark_disconnected(sid: str) -> None:
    begin_writing()
    connection = db.session.scalar(select(ScreenConnection).where(
        ScreenConnection.sid == sid, ScreenConnection.disconnected_at.is_(None)))
    if connection is not None:
        _close(connection, clock.now())


def sweep_silent_screens() -> int:
    """Close connections whose heartbeat stopped (a process died, a router hung); returns how many."""
    begin_writing()
    cutoff = clock.now() - HEARTBEAT_TIMEOUT
    silent = list(db.session.scalars(select(ScreenConnection).where(
        ScreenConnection.disconnected_at.is_(None), ScreenConnection.last_heartbeat < cutoff)))
    for connection in silent:
        _close(connection, connection.last_heartbeat)
    return len(silent)


def offline_for(screen: Screen) -> timedelta | None:
    if screen.online or screen.revoked_at is not None:
        return None
    since = screen.offline_since or screen.last_seen or screen.created_at
    return clock.now() - since
