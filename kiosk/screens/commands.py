"""Remote commands to screens: reload, restart the browser or the machine, identify, screenshot.

A command is a row per screen (a group's command makes one for each of its screens), published on
the bus to the screen's room (`command` on /screens), so it reaches the screen whichever process
holds its socket. The player says it got it (`command_delivered`) and answers (`command_answer`,
or for a screenshot the picture itself, POSTed to /display/commands/<id>/screenshot). A screen
offline when the command is sent gets it when it reconnects (`deliver_pending`), until
COMMAND_LIFETIME has passed; after that the command shows as expired.

The player acts on reload and identify itself; restart, reboot and a real screenshot go through
the launcher on the screen's machine (display/launcher/agent.py), which the player reaches on
127.0.0.1. A screen without the launcher answers a screenshot with "no launcher" and the server
stores its own rendering of what the screen should show instead, labelled as such.
"""
import secrets
from datetime import timedelta
from pathlib import Path

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from kiosk.accounts.models import User
from kiosk.audit.operations import record_change
from kiosk.core import clock
from kiosk.core.locking import begin_writing, locked_row
from kiosk.core.errors import Conflict, InvalidInput, NotFound
from kiosk.events import publish
from kiosk.extensions import db, socketio
from kiosk.files.validation import check_upload
from kiosk.render import boards
from kiosk.screens.models import CommandKind, Screen, ScreenCommand, ScreenGroup, ScreenKind
from kiosk.screens.operations import NAMESPACE, ensure_manager

COMMAND_LIFETIME = timedelta(minutes=30)
IDENTIFY_SECONDS = 30
SCREENSHOT_WIDTH = 960            # the server's rendering when the screen has no launcher
MAX_SCREENSHOT_BYTES = 8 * 1024 * 1024
KIND_LABELS = {CommandKind.reload: _l("Reload the player"), CommandKind.restart_browser: _l("Restart the browser"),
               CommandKind.reboot: _l("Restart the machine"), CommandKind.identify: _l("Identify"),
               CommandKind.screenshot: _l("Screenshot")}
SOURCE_LABELS = {"browser": _l("what the browser shows"),
                 "thumbnail": _l("server rendering: this screen has no launcher")}


def screenshot_dir() -> Path:
    path = Path(current_app.config["KIOSK_UPLOAD_PATH"]) / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def status(command: ScreenCommand) -> str:
    """answered / failed / delivered / expired / waiting."""
    if command.answered_at is not None:
        return "answered" if command.ok else "failed"
    if clock.now() >= command.expires_at:
        return "expired"
    return "delivered" if command.delivered_at is not None else "waiting"


def _payload(command: ScreenCommand) -> dict:
    payload = {"id": command.id, "kind": command.kind.value}
    if command.kind == CommandKind.identify:
        screen = command.screen
        payload.update(seconds=IDENTIFY_SECONDS, name=screen.name, unit=screen.unit.name,
                       code=str(screen.id), server=url_for("screen_player.pairing_page", _external=True).rstrip("/")
                       .removesuffix("/display"))
    return payload


# --- sending -------------------------------------------------------------------------------------------

def send_command(user: User, kind: CommandKind, screen: Screen, group: ScreenGroup | None = None) -> ScreenCommand:
    ensure_manager(user, screen.unit)
    if not screen.registered:
        raise Conflict(_("%(name)s is not registered; it cannot take commands.", name=screen.name))
    if screen.kind == ScreenKind.image_board:
        raise InvalidInput(_("%(name)s is an image-only board: it runs no player to take commands.",
                             name=screen.name))
    now = clock.now()
    command = ScreenCommand(screen=screen, group=group, kind=kind, sent_by=user.id, sent_at=now,
                            expires_at=now + COMMAND_LIFETIME)
    db.session.add(command)
    db.session.flush()
    record_change("screen.command", command)
    publish("command", _payload(command), [f"screen:{screen.id}"], namespace=NAMESPACE)
    return command


def send_to_group(user: User, kind: CommandKind, group: ScreenGroup) -> list[ScreenCommand]:
    """The command to every registered screen of the group that runs a player (image-only boards left out)."""
    ensure_manager(user, group.unit)
    targets = [screen for screen in group.screens if screen.registered and screen.kind != ScreenKind.image_board]
    if not targets:
        raise InvalidInput(_("The group %(group)s has no screen that takes commands.", group=group.name))
    return [send_command(user, kind, screen, group) for screen in sorted(targets, key=lambda s: s.id)]


def deliver_pending(screen_id: int, sid: str) -> int:
    """Send a screen that just connected the commands that waited for it; returns how many."""
    pending = list(db.session.scalars(select(ScreenCommand).where(
        ScreenCommand.screen_id == screen_id, ScreenCommand.delivered_at.is_(None),
        ScreenCommand.answered_at.is_(None), ScreenCommand.expires_at > clock.now()).order_by(ScreenCommand.id)))
    for command in pending:
        socketio.emit("command", _payload(command), to=sid, namespace=NAMESPACE)
    return len(pending)


# --- answers from the screen ---------------------------------------------------------------------------

def _own_command(screen: Screen, command_id) -> ScreenCommand:
    """The command, read as this transaction's writer: the player's "delivered" and its answer
    arrive as separate events, handled at once, and neither may overwrite what the other wrote."""
    if not isinstance(command_id, int):
        raise NotFound(_("No such command for this screen."))
    begin_writing()
    command = locked_row(ScreenCommand, command_id)
    if command is None or command.screen_id != screen.id:
        raise NotFound(_("No such command for this screen."))
    return command


def mark_delivered(screen: Screen, command_id) -> ScreenCommand:
    command = _own_command(screen, command_id)
    if command.delivered_at is None:
        command.delivered_at = clock.now()
    return command


def record_answer(screen: Screen, command_id, answer: dict) -> ScreenCommand:
    """The player's answer: {"ok": bool, "error": text, "result": {...}}. A screenshot answered
    without a picture (no launcher, or the launcher failed) gets the server's rendering."""
    command = mark_delivered(screen, command_id)
    if command.answered_at is not None:
        return command
    result = answer.get("result") if isinstance(answer.get("result"), dict) else {}
    result = {str(k)[:40]: v for k, v in list(result.items())[:10] if isinstance(v, (str, int, float, bool))}
    error = str(answer.get("error") or "")[:500] or None
    if command.kind == CommandKind.screenshot:
        _store_picture(command, boards.thumbnail(screen, (screen.now_showing or {}).get("key"),
                                                 width=SCREENSHOT_WIDTH).data, "thumbnail")
        command.ok = True
    else:
        command.ok = bool(answer.get("ok")) and error is None
    command.result, command.error, command.answered_at = result or None, error, clock.now()
    return command


def record_screenshot(screen: Screen, command_id, stream) -> ScreenCommand:
    """The launcher's picture of what the browser displays, sent by the player (judged by its content)."""
    checked = check_upload(stream, None, kinds={"image/png", "image/jpeg"}, max_bytes=MAX_SCREENSHOT_BYTES)
    command = mark_delivered(screen, command_id)  # after the upload: a slow link must not hold the lock
    if command.kind != CommandKind.screenshot or command.answered_at is not None:
        raise Conflict(_("This command takes no screenshot now."))
    _store_picture(command, checked.data, "browser")
    command.ok, command.answered_at = True, clock.now()
    command.result = {"launcher": True}
    return command


def _store_picture(command: ScreenCommand, data: bytes, source: str) -> None:
    suffix = "jpg" if data[:3] == b"\xff\xd8\xff" else "png"
    name = f"{command.id}-{secrets.token_hex(8)}.{suffix}"
    (screenshot_dir() / name).write_bytes(data)
    command.screenshot, command.screenshot_source = name, source


# --- reading -------------------------------------------------------------------------------------------

def commands_of(screen: Screen, limit: int = 20) -> list[ScreenCommand]:
    return list(db.session.scalars(select(ScreenCommand).where(ScreenCommand.screen_id == screen.id)
                                   .order_by(ScreenCommand.id.desc()).limit(limit)))


def group_commands(group: ScreenGroup, limit: int = 40) -> list[ScreenCommand]:
    return list(db.session.scalars(select(ScreenCommand).where(ScreenCommand.group_id == group.id)
                                   .order_by(ScreenCommand.id.desc()).limit(limit)))


def get_command_for(user: User, command_id: int) -> ScreenCommand:
    command = db.session.get(ScreenCommand, command_id)
    if command is None or not user.unit.contains(command.screen.unit):
        raise NotFound(_("No such command."))
    return command


def screenshot_path(command: ScreenCommand) -> Path:
    path = screenshot_dir() / command.screenshot if command.screenshot else None
    if path is None or not path.exists():
        raise NotFound(_("This command has no screenshot (yet)."))
    return path
