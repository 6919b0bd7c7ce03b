"""The audit log's hash chain: each entry's hash is an HMAC (keys.py, key kept outside the database)
of its content and the previous entry's hash, so changing or deleting any entry breaks a link that
`verify` finds, and recomputing the hashes after a change needs the key.

Entries are chained in id order. A writer locks the chain's head (`audit_head`, one row) before it
reads it and keeps the lock until its transaction ends: FOR UPDATE on PostgreSQL; on SQLite the
transaction starts as the database's one writer (BEGIN IMMEDIATE) before it reads. Every process
(servers, the scheduler, an import) therefore appends strictly after the entry committed before.
"""
import hashlib
import json
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select, update

from kiosk.audit.keys import Keyring
from kiosk.audit.models import AuditEntry, AuditHead
from kiosk.core.locking import begin_writing
from kiosk.extensions import db

GENESIS = "0" * 64


def _plain(value):
    """The JSON value as the database hands it back (tuples become lists, keys strings)."""
    return json.loads(json.dumps(value)) if value is not None else None


def _canonical(prev_hash: str, at, actor_id, actor_name, unit_id, action, object_type, object_id,
               before, after, reason) -> bytes:
    content = [prev_hash, at.isoformat(), actor_id, actor_name, unit_id, action, object_type, object_id,
               _plain(before), _plain(after), reason or ""]
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def entry_hash(*content) -> str:
    """The unkeyed SHA-256 that chained entries before keys (migration 0009; 0015 signs them again)."""
    return hashlib.sha256(_canonical(*content)).hexdigest()


_HASHED = (AuditEntry.prev_hash, AuditEntry.at, AuditEntry.actor_id, AuditEntry.actor_name, AuditEntry.unit_id,
           AuditEntry.action, AuditEntry.object_type, AuditEntry.object_id, AuditEntry.before, AuditEntry.after,
           AuditEntry.reason)


def keyring() -> Keyring:
    return Keyring(current_app.config["KIOSK_AUDIT_KEYS"], current_app.config["KIOSK_AUDIT_HASH"])


def values_hash(values: dict, keys: Keyring | None = None) -> str | None:
    """The hash an entry with these column values should carry (None: not signed with a key held here)."""
    return (keys or keyring()).sign(_canonical(*(values[column.key] for column in _HASHED)), values.get("key_id"))


def hash_of(entry, keys: Keyring | None = None) -> str | None:
    """The hash `entry` (a model instance or a row with the hashed columns and key_id) should carry."""
    return values_hash({column.key: getattr(entry, column.key) for column in (*_HASHED, AuditEntry.key_id)}, keys)


def take_head(connection) -> str:
    """The chain's newest hash, locked until `connection`'s transaction ends."""
    begin_writing(connection)
    statement = select(AuditHead.entry_hash).where(AuditHead.id == 1)
    if connection.dialect.name != "sqlite":
        statement = statement.with_for_update()
    return connection.scalar(statement)


def set_head(connection, new_hash: str) -> None:
    connection.execute(update(AuditHead).where(AuditHead.id == 1).values(entry_hash=new_hash))


def link(values: dict, prev_hash: str) -> dict:
    """A new entry's column values linked after `prev_hash` and signed with the current key."""
    keys = keyring()
    linked = {**values, "prev_hash": prev_hash, "key_id": keys.current_id}
    return {**linked, "entry_hash": values_hash(linked, keys)}


def chain(entry: AuditEntry) -> None:
    """Link a new entry to the newest one (call before it is flushed) and make it the head."""
    connection = db.session.connection()
    linked = link({column.key: getattr(entry, column.key) for column in _HASHED[1:]}, take_head(connection))
    entry.prev_hash, entry.key_id, entry.entry_hash = linked["prev_hash"], linked["key_id"], linked["entry_hash"]
    set_head(connection, entry.entry_hash)


@dataclass
class Break:
    entry_id: int | None  # the entry whose link fails (None: entries after the newest are missing)
    problem: str
    previous_id: int | None = None  # the entry before it in id order


@dataclass
class Verdict:
    checked: int
    breaks: list[Break] = field(default_factory=list)
    newest_hash: str = GENESIS
    newest_id: int | None = None

    @property
    def holds(self) -> bool:
        return not self.breaks

    @property
    def broken_at(self) -> int | None:
        return self.breaks[0].entry_id if self.breaks else None


def link_breaks(entries, prev_hash: str, previous_id: int | None = None, keys: Keyring | None = None) -> list[Break]:
    """The breaks in a stretch of entries (rows or models, in id order) that should follow `prev_hash`:
    the database's entries (`verify`) and an archive file's alike."""
    keys, breaks = keys or keyring(), []
    for entry in entries:
        if entry.prev_hash != prev_hash:
            breaks.append(Break(entry.id, "previous entry missing or changed", previous_id))
        wanted = hash_of(entry, keys)
        if wanted is None:
            breaks.append(Break(entry.id, f"signed with a key this server does not hold ({entry.key_id})"))
        elif entry.entry_hash != wanted:
            breaks.append(Break(entry.id, "entry changed"))
        prev_hash, previous_id = entry.entry_hash, entry.id
    return breaks


def verify(batch: int = 1000) -> Verdict:
    """Walk the whole log in id order, from where the archived files end (their files checked too),
    and report every entry that was changed, signed with a key this server does not hold, or does not
    follow the entry before it (one deleted or inserted, a fork); then check that the newest entry is
    the head (none deleted at the end)."""
    from kiosk.audit.archive import chain_start, check_archives  # (archive.py builds on this module)
    keys, verdict, expected_prev, last_id = keyring(), Verdict(0, check_archives()), chain_start(), 0
    while True:
        rows = db.session.execute(select(AuditEntry.id, AuditEntry.entry_hash, AuditEntry.key_id, *_HASHED)
                                  .where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch)).all()
        if not rows:
            break
        verdict.breaks += link_breaks(rows, expected_prev, verdict.newest_id, keys)
        expected_prev, last_id = rows[-1].entry_hash, rows[-1].id
        verdict.checked += len(rows)
        verdict.newest_hash, verdict.newest_id = expected_prev, last_id
    head = db.session.scalar(select(AuditHead.entry_hash).where(AuditHead.id == 1))
    if head != expected_prev:
        verdict.breaks.append(Break(None, "newest entries missing (the head is not the newest entry)",
                                    verdict.newest_id))
    return verdict
