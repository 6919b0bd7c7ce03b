"""Whole-database copies: `kiosk db backup`, `kiosk db restore`, `kiosk db import-sqlite`.

One format for all three: a backup is a kiosk SQLite database file, at the schema of the code that
wrote it. So a township's own database file is already a backup, and importing it into the
county's PostgreSQL is a restore.

- Backup from SQLite uses SQLite's online backup (a consistent copy while the server writes);
  from PostgreSQL it copies every table inside one REPEATABLE READ, READ ONLY transaction, which
  sees one instant of the database however long the copy takes.
- Restore and import first copy the file and migrate that copy to the current schema (an older
  township box), then copy every row, table by table in foreign-key order, keeping every id, so
  references, publication history and the audit log (and any chain of hashes over it) stay as
  they were. On PostgreSQL the id sequences are moved past the copied ids.
- Uploaded files are not inside the database: they live in KIOSK_UPLOAD_PATH under names that
  never change; copy that folder alongside (`--uploads` does it for an import).
"""
import shutil
import sqlite3
import tempfile
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import Engine, create_engine, func, inspect, select, text

from kiosk.core.db import Base
from kiosk.core.errors import InvalidInput

CHUNK = 1000
# Tables a fresh migration fills (categories, holidays, ...); everything else counts as data.
OWN_DATA_TABLE = "unit"


def _tables():
    return Base.metadata.sorted_tables


def _sqlite_file(url: str) -> Path | None:
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def _check_backup_file(path: Path) -> None:
    if not path.is_file():
        raise InvalidInput(_("%(path)s is not a file.", path=path))
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            found = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError:
        found = set()
    if not {"alembic_version", OWN_DATA_TABLE} <= found:
        raise InvalidInput(_("%(path)s is not a kiosk database.", path=path))


def _sqlite_copy(source: Path, target: Path, self_contained: bool = True) -> None:
    """SQLite's online backup: a consistent copy even while another process writes."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    if self_contained:  # a backup file: no -wal file beside it
        with sqlite3.connect(target) as dst:
            dst.execute("PRAGMA journal_mode=DELETE")


def _migrated_engine(url: str) -> Engine:
    from kiosk.core.migrate import upgrade_engine
    engine = create_engine(url)
    upgrade_engine(engine)
    return engine


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {t.name: connection.scalar(select(func.count()).select_from(t)) for t in _tables()}


def _forward_references(table, seen: set[str]) -> list[str]:
    """Columns pointing at a table not copied yet (a cycle such as notice ↔ its published version,
    or a unit's parent): written as NULL first and filled in once every row is there."""
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table.name not in seen
            and fk.parent.nullable]


def _copy_rows(source, target, progress) -> dict[str, int]:
    """Every row of every table, parents before children, ids kept."""
    copied, seen, later = {}, set(), []
    for table in _tables():
        deferred = _forward_references(table, seen)
        seen.add(table.name)
        keys = list(table.primary_key.columns)
        result = source.execute(select(table).order_by(*keys)).mappings()
        total = 0
        while chunk := result.fetchmany(CHUNK):
            rows = [dict(row) for row in chunk]
            target.execute(table.insert(), [{**row, **{c: None for c in deferred}} for row in rows])
            # The filled-in columns, and those an UPDATE would otherwise stamp (updated_at) as they were.
            kept = deferred + [c.name for c in table.columns if c.onupdate is not None]
            later += [(table, {k.name: row[k.name] for k in keys}, {c: row[c] for c in kept})
                      for row in rows if any(row[c] is not None for c in deferred)]
            total += len(rows)
        copied[table.name] = total
        if progress and total:
            progress(f"  {table.name}: {total}")
    for table, key, values in later:
        target.execute(table.update().where(*(table.c[k] == v for k, v in key.items())).values(**values))
    return copied


AUDIT_TABLE = "audit_entry"


def _empty(connection) -> None:
    """Remove every row (the tables stay).

    The audit log's triggers refuse DELETE and TRUNCATE (and on SQLite REPLACE). On PostgreSQL only
    the tables that hold rows are truncated; when that reaches the audit log (it holds entries, or a
    table it refers to is emptied, which TRUNCATE ... CASCADE carries into it), its user triggers are
    switched off for this one statement, inside the transaction that then copies the backup's entries
    with their hashes back in: the table is locked meanwhile, and a failure rolls the switch back too.
    A new database (an import) has no audit entries and nothing they refer to, so its log is never touched.
    """
    filled = [t for t in _tables() if connection.scalar(select(func.count()).select_from(t))]
    if connection.dialect.name == "postgresql":
        if not filled:
            return
        audit = Base.metadata.tables[AUDIT_TABLE]
        reaches_audit = {AUDIT_TABLE} | {fk.column.table.name for fk in audit.foreign_keys}
        names = ", ".join(f'"{t.name}"' for t in filled)
        guarded = any(t.name in reaches_audit for t in filled)
        if guarded:
            connection.execute(text(f'ALTER TABLE "{AUDIT_TABLE}" DISABLE TRIGGER USER'))
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        if guarded:
            connection.execute(text(f'ALTER TABLE "{AUDIT_TABLE}" ENABLE TRIGGER USER'))
    else:
        for table in reversed(filled):
            connection.execute(table.delete())


def _move_sequences(connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    for table in _tables():
        if "id" in table.columns and table.columns["id"].autoincrement in (True, "auto"):
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 1), "
                f"(SELECT MAX(id) FROM \"{table.name}\") IS NOT NULL)"))


def holds_data(engine: Engine) -> bool:
    if OWN_DATA_TABLE not in inspect(engine).get_table_names():
        return False
    with engine.connect() as connection:
        return bool(connection.scalar(select(func.count()).select_from(Base.metadata.tables[OWN_DATA_TABLE])))


def backup(database_url: str, path: Path, progress=None) -> dict[str, int]:
    """Write a consistent copy of the database to the new SQLite file `path`."""
    if path.exists():
        raise InvalidInput(_("%(path)s already exists; choose a new file.", path=path))
    if not path.parent.is_dir():
        raise InvalidInput(_("The folder %(path)s does not exist.", path=path.parent))
    source_file = _sqlite_file(database_url)
    if source_file is not None:
        _check_backup_file(source_file)
        _sqlite_copy(source_file, path)
        return counts(create_engine(f"sqlite:///{path}"))
    target = _migrated_engine(f"sqlite:///{path}")
    source = create_engine(database_url)
    try:
        with source.connect() as reading, target.begin() as writing:
            reading.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
            _empty(writing)
            copied = _copy_rows(reading, writing, progress)
    except Exception:
        path.unlink(missing_ok=True)
        raise
    finally:
        source.dispose()
        target.dispose()
    return copied


def restore(database_url: str, path: Path, replace: bool, progress=None) -> dict[str, int]:
    """Make the database hold exactly what the backup (or a township's database file) holds.
    `replace` False refuses a database that already holds units (the import of a township)."""
    _check_backup_file(path)
    with tempfile.TemporaryDirectory(prefix="kiosk-restore-") as scratch:
        staged = Path(scratch) / "staged.sqlite3"
        _sqlite_copy(path, staged)
        source = _migrated_engine(f"sqlite:///{staged}")
        target = _migrated_engine(database_url)
        try:
            if not replace and holds_data(target):
                raise InvalidInput(_("The database already holds data; import only into a new database "
                                     "(or use %(command)s to replace everything).",
                                     command="`kiosk db restore`"))
            target_file = _sqlite_file(database_url)
            if target_file is not None:
                target.dispose()
                _sqlite_copy(staged, target_file, self_contained=False)  # page by page into the live file: stop the servers first
                return counts(source)
            with source.connect() as reading, target.begin() as writing:
                _empty(writing)
                copied = _copy_rows(reading, writing, progress)
                _move_sequences(writing)
            return copied
        finally:
            source.dispose()
            target.dispose()


def copy_uploads(source: Path, target: Path) -> int:
    """Copy a township's upload folder into this deployment's (names are unique, nothing is overwritten)."""
    if not source.is_dir():
        raise InvalidInput(_("The uploads folder %(path)s does not exist.", path=source))
    copied = 0
    for file in source.rglob("*"):
        if file.is_file() and not file.name.startswith("."):
            destination = target / file.relative_to(source)
            if not destination.exists():
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(file, destination)
                copied += 1
    return copied
