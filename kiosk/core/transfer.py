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
- An import into a county database that already holds other townships merges instead (`Merge`):
  the county, the categories, the holiday table and the county's own accounts are matched, every
  other row takes a new id past the largest there, and every reference follows it, foreign keys and
  ids kept in JSON alike; the township's audit entries are chained after the county's.
- Uploaded files are not inside the database: they live in KIOSK_UPLOAD_PATH under names that
  never change; copy that folder alongside (`--uploads` does it for an import).
"""
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import Engine, UniqueConstraint, create_engine, func, inspect, select, text, tuple_

from kiosk.audit.chain import GENESIS, link, set_head, take_head, values_hash
from kiosk.core import clock
from kiosk.core.crypto import ensure_readable
from kiosk.core.db import Base
from kiosk.core.errors import InvalidInput
from kiosk.org.models import UnitKind

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


def _copy_rows(source, target, progress, merge: "Merge | None" = None) -> dict[str, int]:
    """Every row of every table, parents before children: ids kept, or placed by `merge`."""
    copied, seen, later = {}, set(), []
    for table in _tables():
        deferred = _forward_references(table, seen)
        seen.add(table.name)
        keys = list(table.primary_key.columns)
        result = source.execute(select(table).order_by(*keys)).mappings()
        total = 0
        while chunk := result.fetchmany(CHUNK):
            rows = [dict(row) for row in chunk]
            if merge is not None:
                rows = merge.place(table, rows)
                if not rows:
                    continue
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


# -- a township into a county database that holds others --------------------------------------------

# Rows both databases may hold, matched by a natural key and kept as the target has them: the county
# (the one unit they may share), the categories, the holiday table and the county's own accounts.
MATCHED_BY = {"unit": "code", "notice_category": "code", "holiday": "day", "user_account": "username"}
# The deployment's own, not the township's: its settings and its scheduler's lease stay as they are.
NOT_MERGED = ("setting", "scheduler_lease", "audit_head", "audit_archive")
# Parts of an account: a matched account keeps its own roles and tokens.
ACCOUNT_PARTS = ("user_role", "api_token")
# Ids kept outside foreign keys, where the code writes them: column → the table they name, or
# {key: table} for an object holding some. A table's name over a dict reads it as that table's row
# (a rotation's slides in its audit snapshots); "services" and "token" are keys of audit snapshots.
# Left as recorded: what players reported (display_report.slide_key, screen.now_showing: the player's
# own slide keys, which quote slide and notice ids), ids quoted in text (an audit entry's reason, a
# notice's body), and JSON holding none (queue_ticket_event.detail, check pieces, opening hours).
HELD_IDS = {
    "unit": {"path": "unit"},  # "/1/4/17/"
    "notice": {"audience_unit_ids": "unit", "editor_ids": "user_account"},
    "notice_version": {"audience_unit_ids": "unit", "editor_ids": "user_account"},
    "slide": {"config": {"notice_ids": "notice", "image_id": "slide_image"}},
    "display_report": {"notice_id": "notice", "urgent_id": "urgent_notice"},
    "rotation": {"slides": "slide"},
    "queue_window": {"services": "queue_service"},
    "user_account": {"token": "api_token"},
}


def _hold_tables(connection) -> None:
    """On PostgreSQL, keep other writers out of the tables a merge writes until it commits (readers go
    on): its rows take ids past the largest there, which a server inserting meanwhile would take too."""
    if connection.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in _tables() if t.name not in NOT_MERGED)
        connection.execute(text(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE"))


def _matches(source, target, table, key: str) -> dict[int, int]:
    """Box id → target id of the rows both hold under the same `key`."""
    box = dict(source.execute(select(table.c[key], table.c.id)).all())
    found = target.execute(select(table.c[key], table.c.id).where(table.c[key].in_(list(box)))).all()
    return {box[value]: target_id for value, target_id in found}


def _unit_named(row) -> str:
    return f"{row.name} ({row.code})"


def _same_county(source, target, units: dict[int, int]) -> tuple[int, int]:
    """(box id, target id) of the county both databases hold: the only unit they may share."""
    unit = Base.metadata.tables["unit"]
    roots = source.execute(select(unit.c.id, unit.c.code, unit.c.name, unit.c.kind)
                           .where(unit.c.parent_id.is_(None))).all()
    if len(roots) != 1 or roots[0].kind != UnitKind.county:
        raise InvalidInput(_("The township's database has no county above its township, so it cannot be added to "
                             "a county's database. Nothing was imported."))
    county = roots[0]
    here = target.execute(select(unit.c.code, unit.c.name).where(unit.c.parent_id.is_(None)).order_by(unit.c.id)).all()
    if county.code not in {row.code for row in here}:
        raise InvalidInput(_("The township belongs to %(box)s, this database to %(here)s: only a township of the "
                             "same county can be added. Nothing was imported.", box=_unit_named(county),
                             here=", ".join(map(_unit_named, here))))
    again = sorted(source.scalars(select(unit.c.code).where(unit.c.id.in_(list(units.keys() - {county.id})))))
    if again:
        raise InvalidInput(_("This database already holds the units %(codes)s: the township was imported before. "
                             "Nothing was imported (%(command)s would replace the whole database, every township "
                             "in it, with this one).", codes=", ".join(again), command="`kiosk db restore`"))
    return county.id, units[county.id]


def _same_people(source, target, accounts: dict[int, int], county: tuple[int, int]) -> None:
    """Of the account names both databases hold, two accounts of the county are one person (the
    target's account stays); any other pair is refused."""
    user = Base.metadata.tables["user_account"]
    box = dict(source.execute(select(user.c.id, user.c.unit_id).where(user.c.id.in_(list(accounts)))).all())
    here = dict(target.execute(select(user.c.id, user.c.unit_id).where(user.c.id.in_(list(accounts.values())))).all())
    others = [box_id for box_id, here_id in accounts.items() if (box[box_id], here[here_id]) != county]
    if others:
        names = sorted(source.scalars(select(user.c.username).where(user.c.id.in_(others))))
        raise InvalidInput(_("Accounts named %(names)s already exist in this database (only the county's own "
                             "accounts are taken for the same person). Nothing was imported.",
                             names=", ".join(names)))


def _unique_keys(table) -> list[list[str]]:
    keys = [c for c in table.constraints if isinstance(c, UniqueConstraint)] + [i for i in table.indexes if i.unique]
    return [[column.name for column in key.columns] for key in keys]


def _shown(value) -> str:
    return str(getattr(value, "value", value))  # an enum by its value


class Merge:
    """Adds a township's database (the box) to a county database that holds other townships, inside
    the copy's one transaction: refuses another county, a township already there and account names
    taken by others, then places the box's rows chunk by chunk (`place`)."""

    def __init__(self, source, target):
        self.target = target
        _hold_tables(target)
        self.matched = {name: _matches(source, target, Base.metadata.tables[name], key)
                        for name, key in MATCHED_BY.items()}
        self.county = _same_county(source, target, self.matched["unit"])
        _same_people(source, target, self.matched["user_account"], self.county)
        # A new id is the box's id past the target's largest: no table of ids to keep, and the audit
        # entries keep their order.
        self.offset = {t.name: target.scalar(select(func.max(t.c.id))) or 0 for t in _tables()
                       if "id" in t.primary_key.columns}
        self.refs = {t.name: {**({"id": t.name} if t.name in self.offset else {}),
                              **{fk.parent.name: fk.column.table.name for fk in t.foreign_keys},
                              **HELD_IDS.get(t.name, {})} for t in _tables()}
        # A unique key holding a reference to rows that are all new cannot clash: not looked up.
        renewed = {name for name in self.offset if not self.matched.get(name)}
        self.unique = {t.name: [names for names in _unique_keys(t)
                                if not any(self.refs[t.name].get(name) in renewed for name in names)]
                       for t in _tables()}
        self.box_head, self.head = _archived_through(source), take_head(target)

    def new_id(self, table: str, box_id: int) -> int:
        return self.matched.get(table, {}).get(box_id, box_id + self.offset[table])

    def moved(self, names, value):
        """`value` with the box's ids in it turned into the target's. `names` says what they are: a
        table's name for an id, a list of ids, a string of them (a path, an audit entry's object id) or
        a row of that table; {key: names} for an object holding ids under those keys."""
        if isinstance(value, list):
            return [self.moved(names, item) for item in value]
        if isinstance(value, dict):
            held = names if isinstance(names, dict) else self.refs.get(names, {})
            return {key: self.moved(held[key], item) if key in held else item for key, item in value.items()}
        if isinstance(names, dict) or isinstance(value, bool):
            return value
        if isinstance(value, int):
            return self.new_id(names, value)
        if isinstance(value, str):
            return re.sub(r"\d+", lambda digits: str(self.new_id(names, int(digits[0]))), value)
        return value

    def place(self, table, rows: list[dict]) -> list[dict]:
        """The rows of one chunk to insert, ids moved: matched rows (and a matched account's parts) left
        out, a unique value the target already holds refused, audit entries chained on."""
        if table.name in NOT_MERGED:
            return []
        matched, accounts = self.matched.get(table.name, {}), self.matched["user_account"]
        rows = [row for row in rows if row.get("id") not in matched
                and not (table.name in ACCOUNT_PARTS and row["user_id"] in accounts)]
        if table.name == AUDIT_TABLE:
            return [self._chained(row) for row in rows]
        rows = [self.moved(table.name, row) for row in rows]
        self._refuse_clashes(table, rows)
        return rows

    def _refuse_clashes(self, table, rows: list[dict]) -> None:
        """Refused here rather than failing halfway: a random slug or token that happens to be taken,
        a name or number of the county's own that both databases gave out."""
        for names in self.unique[table.name]:
            values = [v for v in {tuple(row[name] for name in names) for row in rows} if None not in v]
            if not values:
                continue
            columns = [table.c[name] for name in names]
            key, wanted = (columns[0], [v[0] for v in values]) if len(columns) == 1 else (tuple_(*columns), values)
            found = self.target.execute(select(*columns).where(key.in_(wanted)).limit(3)).all()
            if found:
                raise InvalidInput(_("This database already holds %(table)s rows with the same %(columns)s as the "
                                     "township's: %(values)s. Nothing was imported.", table=table.name,
                                     columns=", ".join(names),
                                     values="; ".join(" ".join(_shown(v) for v in row) for row in found)))

    def _chained(self, box_row: dict) -> dict:
        """An audit entry of the box, checked against the box's own chain (re-chaining must not make a
        changed entry look sound), its ids moved, and linked after the target's newest entry."""
        if box_row["prev_hash"] != self.box_head or box_row["entry_hash"] != values_hash(box_row):
            raise InvalidInput(_("The township's audit log is broken at its entry #%(id)s, so it cannot be "
                                 "added. Nothing was imported.", id=box_row["id"]))
        self.box_head = box_row["entry_hash"]
        row = self.moved(AUDIT_TABLE, box_row)
        kind = row["object_type"]
        if kind in self.offset:  # what the entry is about, and its snapshots of it
            row.update({column: self.moved(kind, row[column]) for column in ("object_id", "before", "after")})
        linked = link(row, self.head)
        self.head = linked["entry_hash"]
        return linked

    def record_import(self, path: Path) -> None:
        """One entry per township that came in, after the township's own; its id is the database's next."""
        unit, audit = Base.metadata.tables["unit"], Base.metadata.tables[AUDIT_TABLE]
        townships = self.target.execute(select(unit).where(unit.c.parent_id == self.county[1],
                                                           unit.c.id > self.offset["unit"]).order_by(unit.c.id)).all()
        for township in townships:
            entry = link({"at": clock.now(), "actor_id": None, "actor_name": "system", "unit_id": township.id,
                          "action": "unit.import", "object_type": "unit", "object_id": str(township.id),
                          "before": None, "after": {"name": township.name, "code": township.code, "file": path.name},
                          "reason": ""}, self.head)
            self.target.execute(audit.insert().values(**entry))
            self.head = entry["entry_hash"]
        set_head(self.target, self.head)


def _archived_through(source) -> str:
    """Where the box's chain starts: after the entries its township archived to files (kept there)."""
    archive = Base.metadata.tables["audit_archive"]
    return source.scalar(select(archive.c.last_hash).order_by(archive.c.through_id.desc()).limit(1)) or GENESIS


def _merge(source, target, path: Path, progress) -> dict[str, int]:
    merge = Merge(source, target)
    copied = _copy_rows(source, target, progress, merge)
    _move_sequences(target)
    merge.record_import(path)
    return copied


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
    `replace` False is the import of a township: into a new database as it is, or merged into a county
    database that already holds other townships (`Merge`)."""
    _check_backup_file(path)
    with tempfile.TemporaryDirectory(prefix="kiosk-restore-") as scratch:
        staged = Path(scratch) / "staged.sqlite3"
        _sqlite_copy(path, staged)
        source = _migrated_engine(f"sqlite:///{staged}")
        target = _migrated_engine(database_url)
        try:
            with source.connect() as reading:
                ensure_readable(reading, _tables())
            merging = not replace and holds_data(target)
            target_file = _sqlite_file(database_url)
            if target_file is not None and not merging:
                target.dispose()
                _sqlite_copy(staged, target_file, self_contained=False)  # page by page into the live file: stop the servers first
                return counts(source)
            with source.connect() as reading, target.begin() as writing:
                if merging:
                    return _merge(reading, writing, path, progress)
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
