"""Files on disk under random names; a rolled-back transaction takes its new files with it."""
import os
import re
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session

from kiosk.core.errors import NotFound, TooLarge
from kiosk.extensions import db
from kiosk.files.pages import forget_pictures
from kiosk.files.validation import CheckedFile

_NEW_FILES = "kiosk_new_files"
_OLD_FILES = "kiosk_replaced_files"
_STORED_NAME = re.compile(r"^[a-z0-9]{32}\.(pdf|png|jpg|gif|webp|mp4|webm)$")
CHUNK = 1024 * 1024
_AREA = re.compile(r"^[a-z]+$")


def _area_dir(area: str) -> Path:
    if not _AREA.match(area):
        raise ValueError("bad upload area")
    folder = Path(current_app.config["KIOSK_UPLOAD_PATH"]) / area
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def fresh_path(extension: str, area: str) -> Path:
    """Where a new file of ours goes (e.g. an attachment's public copy): a random name, not taken."""
    return _area_dir(area) / f"{secrets.token_hex(16)}.{extension}"


def store(checked: CheckedFile, area: str) -> str:
    """Write the file under a fresh random name and return that name. If the current
    transaction rolls back, the file is deleted again, so no file outlives its row."""
    name = fresh_path(checked.extension, area).name
    folder = _area_dir(area)
    temporary = folder / f".{name}.part"
    temporary.write_bytes(checked.data)
    os.replace(temporary, folder / name)
    db.session().info.setdefault(_NEW_FILES, []).append(folder / name)
    return name


def store_stream(stream, extension: str, area: str, max_bytes: int, head: bytes = b"") -> tuple[str, int]:
    """Write `head` and then the rest of `stream` under a fresh random name, a chunk at a time (a
    video is never held in memory whole); TooLarge past `max_bytes`, leaving nothing behind. Like
    `store`, the file goes again if the transaction rolls back. Returns the name and the size."""
    name = fresh_path(extension, area).name
    folder = _area_dir(area)
    temporary, size = folder / f".{name}.part", len(head)
    try:
        with open(temporary, "wb") as out:
            out.write(head)
            while size <= max_bytes and (chunk := stream.read(CHUNK)):
                size += len(chunk)
                out.write(chunk)
        if size > max_bytes:
            raise TooLarge(_("The file is larger than %(size)s MB.", size=max_bytes // (1024 * 1024)))
        os.replace(temporary, folder / name)
    finally:
        temporary.unlink(missing_ok=True)
    db.session().info.setdefault(_NEW_FILES, []).append(folder / name)
    return name, size


def stored_path(stored_name: str, area: str) -> Path:
    """The path of a stored file; only names we generated are accepted."""
    if not _STORED_NAME.match(stored_name):
        raise NotFound("no such file")
    path = _area_dir(area) / stored_name
    if not path.is_file():
        raise NotFound("no such file")
    return path


def delete_stored(stored_name: str, area: str) -> None:
    if _STORED_NAME.match(stored_name):
        (_area_dir(area) / stored_name).unlink(missing_ok=True)
        forget_pictures(stored_name)


def discard_on_commit(stored_name: str, area: str) -> None:
    """Delete a file once the current transaction commits (a file replaced by another, e.g. a
    masked copy); if it rolls back, the file stays."""
    db.session().info.setdefault(_OLD_FILES, []).append((stored_name, area))


@event.listens_for(Session, "after_commit")
def _keep_new_files(session):
    session.info.pop(_NEW_FILES, None)
    for stored_name, area in session.info.pop(_OLD_FILES, []):
        delete_stored(stored_name, area)


@event.listens_for(Session, "after_rollback")
def _drop_new_files(session):
    session.info.pop(_OLD_FILES, None)
    for path in session.info.pop(_NEW_FILES, []):
        Path(path).unlink(missing_ok=True)
