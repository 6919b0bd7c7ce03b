"""The audit log's hash chain: each entry's hash covers its content and the previous entry's hash,
so changing or deleting any entry (other than the newest) breaks a link that `verify` finds.

Entries are chained in id order. On PostgreSQL a transaction-scoped advisory lock makes writers
take turns between reading the newest hash and inserting; SQLite has one writer at a time anyway.
"""
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from kiosk.audit.models import AuditEntry
from kiosk.extensions import db

GENESIS = "0" * 64
_LOCK_KEY = 7_284_211_906  # any fixed number: the advisory lock of the audit chain
_NEWEST = "kiosk_audit_newest_hash"  # the newest hash this transaction wrote


def _plain(value):
    """The JSON value as the database hands it back (tuples become lists, keys strings)."""
    return json.loads(json.dumps(value)) if value is not None else None


def entry_hash(prev_hash: str, at, actor_id, actor_name, unit_id, action, object_type, object_id,
               before, after, reason) -> str:
    content = [prev_hash, at.isoformat(), actor_id, actor_name, unit_id, action, object_type, object_id,
               _plain(before), _plain(after), reason or ""]
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


_HASHED = (AuditEntry.prev_hash, AuditEntry.at, AuditEntry.actor_id, AuditEntry.actor_name, AuditEntry.unit_id,
           AuditEntry.action, AuditEntry.object_type, AuditEntry.object_id, AuditEntry.before, AuditEntry.after,
           AuditEntry.reason)


def hash_of(entry) -> str:
    """The hash `entry` (a model instance or a row of the _HASHED columns) should carry."""
    return entry_hash(*(getattr(entry, column.key) for column in _HASHED))


def values_hash(values: dict) -> str:
    """The hash an entry should carry, from its column values as a dict (an import's rows)."""
    return entry_hash(*(values[column.key] for column in _HASHED))


def newest_hash(connection) -> str:
    """What a writer outside the app's session (an import) chains onto. On PostgreSQL it takes the
    chain's lock first, held until that connection's transaction ends, as `chain` does."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    return connection.scalar(select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)) or GENESIS


def link(values: dict, prev_hash: str) -> dict:
    """A new entry's column values linked after `prev_hash`, for writers outside the app's session."""
    linked = {**values, "prev_hash": prev_hash}
    return {**linked, "entry_hash": values_hash(linked)}


def chain(entry: AuditEntry) -> None:
    """Link a new entry to the newest one (call before it is flushed)."""
    session = db.session()
    prev = session.info.get(_NEWEST)
    if prev is None:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        with session.no_autoflush:
            prev = session.scalar(select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1))
    entry.prev_hash = prev or GENESIS
    entry.entry_hash = hash_of(entry)
    session.info[_NEWEST] = entry.entry_hash


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_newest(session):
    session.info.pop(_NEWEST, None)


@dataclass
class Verdict:
    checked: int
    broken_at: int | None = None  # id of the first entry whose link fails
    problem: str = ""
    newest_hash: str = GENESIS

    @property
    def holds(self) -> bool:
        return self.broken_at is None


def verify(batch: int = 1000) -> Verdict:
    """Walk the whole log in id order; stop at the first entry that was changed or lost its predecessor."""
    expected_prev, checked, last_id = GENESIS, 0, 0
    while True:
        rows = db.session.execute(select(AuditEntry.id, AuditEntry.entry_hash, *_HASHED)
                                  .where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch)).all()
        if not rows:
            return Verdict(checked=checked, newest_hash=expected_prev)
        for row in rows:
            if row.prev_hash != expected_prev:
                return Verdict(checked, row.id, "previous entry missing or changed", expected_prev)
            if row.entry_hash != hash_of(row):
                return Verdict(checked, row.id, "entry changed", expected_prev)
            expected_prev, checked, last_id = row.entry_hash, checked + 1, row.id
