"""Audit entries older than KIOSK_AUDIT_RETENTION_DAYS (at least 180: 网络安全法 Art. 21 asks for six
months) move out of the database into signed files, never lost.

Each file (JSON Lines in KIOSK_AUDIT_ARCHIVE_PATH, by default `audit-archive` in the instance folder)
holds a stretch of the chain, one entry per line exactly as it was chained, then a closing line that
names the stretch and is signed with the audit key. The file is written, read back and checked before
its entries leave the database, in the transaction that records it (`AuditArchive`); the delete
trigger lets only archived ids go. `chain.verify` starts where the newest archive ends and checks
every archive's row and file, so a forged row, a changed file or a lost one shows as a break.
"""
import hashlib
import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, select

from kiosk.audit.chain import GENESIS, Break, keyring, link_breaks
from kiosk.audit.models import AuditArchive, AuditEntry
from kiosk.core import clock
from kiosk.extensions import db
from kiosk.scheduling import job

BATCH = 20000  # entries per file: a file stays small enough to read back whole
_COLUMNS = [column.key for column in AuditEntry.__table__.columns]
_SIGNED = ("first_id", "through_id", "entries", "first_prev_hash", "last_hash", "file_name", "file_sha256")


def archive_folder() -> Path:
    return Path(current_app.config["KIOSK_AUDIT_ARCHIVE_PATH"])


def chain_start() -> str:
    """The hash the oldest entry still in the database follows: the newest archive's last, or genesis."""
    return db.session.scalar(select(AuditArchive.last_hash).order_by(AuditArchive.through_id.desc()).limit(1)) \
        or GENESIS


def _signature(fields: dict, key_id: str | None = None) -> str | None:
    statement = json.dumps({name: fields[name] for name in _SIGNED}, sort_keys=True).encode()
    return keyring().sign(b"kiosk audit archive\0" + statement, key_id)


def _line(entry: AuditEntry) -> str:
    values = {name: getattr(entry, name) for name in _COLUMNS}
    values["at"] = entry.at.astimezone(timezone.utc).isoformat()
    return json.dumps(values, ensure_ascii=False, sort_keys=True)


def _entry(line: str) -> AuditEntry:
    values = json.loads(line)
    values["at"] = datetime.fromisoformat(values["at"])
    return AuditEntry(**values)


def check_archives() -> list[Break]:
    """Every archive row signed with our key, its file present and unchanged, and the stretches joined
    one after another from the genesis."""
    breaks, joined = [], GENESIS
    for archive in db.session.scalars(select(AuditArchive).order_by(AuditArchive.through_id)):
        named = f"archive {archive.file_name} (entries #{archive.first_id}–#{archive.through_id})"
        fields = {name: getattr(archive, name) for name in _SIGNED}
        if _signature(fields, archive.key_id) != archive.signature:
            breaks.append(Break(archive.first_id, f"{named}: its record is not signed with the audit key"))
        if archive.first_prev_hash != joined:
            breaks.append(Break(archive.first_id, f"{named}: does not follow the archive before it"))
        joined = archive.last_hash
        path = archive_folder() / archive.file_name
        if not path.is_file():
            breaks.append(Break(archive.first_id, f"{named}: the file is missing from {archive_folder()}"))
            continue
        content = path.read_bytes()
        if hashlib.sha256(content).hexdigest() != archive.file_sha256:
            breaks.append(Break(archive.first_id, f"{named}: the file was changed"))
            continue
        entries = [_entry(line) for line in content.decode().splitlines()[:-1]]
        breaks += link_breaks(entries, archive.first_prev_hash)
    return breaks


def _write(entries: list[AuditEntry], prev_hash: str) -> AuditArchive:
    """The stretch's file, written whole, synced, read back and checked; its archive row (not added)."""
    folder = archive_folder()
    folder.mkdir(parents=True, exist_ok=True)
    fields = {"first_id": entries[0].id, "through_id": entries[-1].id, "entries": len(entries),
              "first_prev_hash": prev_hash, "last_hash": entries[-1].entry_hash,
              "file_name": f"audit-{entries[0].id:09d}-{entries[-1].id:09d}.jsonl"}
    closing = json.dumps({"archive": {name: fields[name] for name in _SIGNED[:-2]},
                          "key_id": keyring().current_id}, sort_keys=True)
    content = ("\n".join(map(_line, entries)) + "\n" + closing + "\n").encode()
    path, partial = folder / fields["file_name"], folder / (fields["file_name"] + ".partial")
    with partial.open("wb") as file:
        file.write(content)
        file.flush()
        os.fsync(file.fileno())
    partial.replace(path)
    read_back = path.read_bytes()
    if read_back != content or link_breaks([_entry(line) for line in read_back.decode().splitlines()[:-1]],
                                              prev_hash):
        raise OSError(f"the archive {path} did not read back as written")
    fields["file_sha256"] = hashlib.sha256(read_back).hexdigest()
    return AuditArchive(**fields, key_id=keyring().current_id, signature=_signature(fields))


@job("audit.archive", "interval", hours=24, run_at_start=True)
def archive_old_entries() -> str | None:
    """Daily: the entries older than the retention, in id order up to the first one still kept, into
    files of at most BATCH entries. A broken stretch stays in the database (archiving it would hide
    what `kiosk audit verify` has to show)."""
    cutoff = clock.now() - timedelta(days=current_app.config["KIOSK_AUDIT_RETENTION_DAYS"])
    first_kept = db.session.scalar(select(func.min(AuditEntry.id)).where(AuditEntry.at >= cutoff))
    written = []
    while True:
        old = select(AuditEntry).where(AuditEntry.at < cutoff).order_by(AuditEntry.id).limit(BATCH)
        if first_kept is not None:
            old = old.where(AuditEntry.id < first_kept)
        entries = list(db.session.scalars(old))
        if not entries:
            break
        prev_hash = chain_start()
        broken = link_breaks(entries, prev_hash)
        if broken:
            db.session.rollback()
            raise RuntimeError(f"audit entries not archived: the chain is broken at entry #{broken[0].entry_id} "
                               "(see `kiosk audit verify`)")
        archive = _write(entries, prev_hash)
        db.session.add(archive)
        db.session.flush()   # the trigger lets these ids go once their archive is recorded
        db.session.execute(delete(AuditEntry).where(AuditEntry.id.between(archive.first_id, archive.through_id)))
        db.session.commit()
        written.append(f"#{archive.first_id}–#{archive.through_id} → {archive.file_name}")
    return f"audit entries archived: {'; '.join(written)}" if written else None
