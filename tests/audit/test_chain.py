"""The audit log's hash chain: `kiosk audit verify` and the staff page find an edited or deleted
entry, on SQLite and on PostgreSQL; the database refuses REPLACE and TRUNCATE."""
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DatabaseError

from kiosk.audit.operations import record_change
from kiosk.core import clock
from kiosk.extensions import db
from kiosk.org.models import Unit
from tests.conftest import PINNED_NOW, demo_on_postgres
from tests.kiosk_command import KIOSK, kiosk_env


def verify(instance: str, database_url: str | None = None):
    environment = kiosk_env(instance, **({"KIOSK_DATABASE_URL": database_url} if database_url else {}))
    return subprocess.run(KIOSK + ["audit", "verify"], env=environment,
                          capture_output=True, text=True, timeout=120)


def middle_entry_id(app) -> int:
    with app.app_context():
        ids = [row[0] for row in db.session.execute(text("SELECT id FROM audit_entry ORDER BY id"))]
    assert len(ids) > 10
    return ids[len(ids) // 2]


def tamper_sqlite(app, statement: str) -> None:
    """What someone with the database file could do: drop the triggers, then change the rows."""
    with app.app_context():
        db.engine.dispose()
    path = Path(app.instance_path) / "kiosk.sqlite3"
    connection = sqlite3.connect(path)
    for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                      "AND tbl_name = 'audit_entry'").fetchall():
        connection.execute(f"DROP TRIGGER {name}")
    connection.execute(statement)
    connection.commit()
    connection.close()


def test_the_chain_of_the_demo_holds(demo_app, staff):
    result = verify(demo_app.instance_path)
    assert result.returncode == 0, result.stderr
    assert "audit chain holds" in result.stdout
    page = staff("admin").get("/staff/audit/").get_data(as_text=True)
    assert 'id="audit-chain" data-holds="1"' in page


@pytest.mark.parametrize("change", ["UPDATE audit_entry SET reason = 'nothing happened' WHERE id = {id}",
                                    "UPDATE audit_entry SET after = '{{}}' WHERE id = {id}"])
def test_an_edited_entry_is_found(demo_app, staff, change):
    broken = middle_entry_id(demo_app)
    tamper_sqlite(demo_app, change.format(id=broken))
    result = verify(demo_app.instance_path)
    assert result.returncode == 1
    assert f"broken at entry #{broken}: entry changed" in result.stderr
    page = staff("admin").get("/staff/audit/").get_data(as_text=True)
    assert f'data-holds="0" data-broken-at="{broken}"' in page and "链条断裂" in page


def test_a_deleted_entry_is_found(demo_app):
    deleted = middle_entry_id(demo_app)
    tamper_sqlite(demo_app, f"DELETE FROM audit_entry WHERE id = {deleted}")
    result = verify(demo_app.instance_path)
    assert result.returncode == 1
    assert "previous entry missing or changed" in result.stderr
    assert f"#{deleted}" not in result.stderr  # the link that fails is the next entry's


def test_replace_cannot_overwrite_an_entry(demo_app):
    victim = middle_entry_id(demo_app)
    with demo_app.app_context():
        for verb in ("REPLACE", "INSERT OR REPLACE"):
            with pytest.raises(DatabaseError, match="append-only"):
                db.session.execute(text(
                    f"{verb} INTO audit_entry (id, at, actor_name, action, object_type, object_id, reason, "
                    "prev_hash, entry_hash) VALUES (:id, '2026-01-01 00:00:00', 'x', 'x', 'x', 'x', '', 'x', 'x')"),
                    {"id": victim})
            db.session.rollback()
    assert verify(demo_app.instance_path).returncode == 0


@pytest.mark.postgres
def test_postgres_refuses_truncate_and_verify_finds_edits_and_deletions(make_app, postgres_url, demo_db):
    app = demo_on_postgres(make_app, postgres_url, demo_db)
    with app.app_context():
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text("TRUNCATE audit_entry"))
        db.session.rollback()
        db.engine.dispose()
    instance = app.instance_path
    assert verify(instance, postgres_url).returncode == 0
    edited, deleted = middle_entry_id(app), middle_entry_id(app) + 3
    owner = create_engine(postgres_url)  # the superuser can switch the triggers off: the chain still tells
    with owner.begin() as connection:
        original = connection.execute(text("SELECT actor_name FROM audit_entry WHERE id = :id"), {"id": edited}).scalar()
        connection.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER USER"))
        connection.execute(text("UPDATE audit_entry SET actor_name = 'nobody' WHERE id = :id"), {"id": edited})
    result = verify(instance, postgres_url)
    assert result.returncode == 1 and f"broken at entry #{edited}: entry changed" in result.stderr
    with owner.begin() as connection:
        connection.execute(text("UPDATE audit_entry SET actor_name = :name WHERE id = :id"),
                           {"name": original, "id": edited})
        connection.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": deleted})
    result = verify(instance, postgres_url)
    assert result.returncode == 1 and "previous entry missing or changed" in result.stderr
    owner.dispose()


def test_verify_reports_every_break_with_the_entries_concerned(demo_app):
    first = middle_entry_id(demo_app)
    deleted = first + 5
    tamper_sqlite(demo_app, f"UPDATE audit_entry SET reason = 'x' WHERE id = {first}")
    tamper_sqlite(demo_app, f"DELETE FROM audit_entry WHERE id = {deleted}")
    result = verify(demo_app.instance_path)
    assert result.returncode == 1
    assert "broken in 2 places" in result.stderr
    assert f"broken at entry #{first}: entry changed" in result.stderr
    assert f"broken at entry #{deleted + 1} (after entry #{deleted - 1}): previous entry missing" in result.stderr


def test_the_newest_entry_deleted_is_found(demo_app):
    with demo_app.app_context():
        newest = db.session.scalar(text("SELECT max(id) FROM audit_entry"))
    tamper_sqlite(demo_app, f"DELETE FROM audit_entry WHERE id = {newest}")
    result = verify(demo_app.instance_path)
    assert result.returncode == 1 and "newest entries missing" in result.stderr


@pytest.mark.parametrize("attacker_key", [None, b"a guessed key"])
def test_hashes_recomputed_without_the_key_do_not_verify(demo_app, attacker_key):
    """With the database alone (triggers dropped) someone edits an entry and recomputes every hash
    after it, with the project's own hash function: without the key the chain does not hold."""
    import hashlib
    import hmac
    import json

    edited = middle_entry_id(demo_app)
    tamper_sqlite(demo_app, f"UPDATE audit_entry SET reason = 'nothing happened' WHERE id = {edited}")
    connection = sqlite3.connect(Path(demo_app.instance_path) / "kiosk.sqlite3")
    prev = connection.execute("SELECT entry_hash FROM audit_entry WHERE id < ? ORDER BY id DESC LIMIT 1",
                              (edited,)).fetchone()[0]
    for row in connection.execute("SELECT id, at, actor_id, actor_name, unit_id, action, object_type, object_id, "
                                  "before, after, reason, key_id FROM audit_entry WHERE id >= ? ORDER BY id",
                                  (edited,)).fetchall():
        at = row[1].replace(" ", "T") + "+00:00"
        content = json.dumps([prev, at, *row[2:8], json.loads(row[8]) if row[8] else None,
                              json.loads(row[9]) if row[9] else None, row[10]],
                             sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
        digest = (hmac.new(attacker_key, content, "sha256") if attacker_key else hashlib.sha256(content)).hexdigest()
        connection.execute("UPDATE audit_entry SET prev_hash = ?, entry_hash = ? WHERE id = ?", (prev, digest, row[0]))
        prev = digest
    connection.execute("UPDATE audit_head SET entry_hash = ?", (prev,))
    connection.commit()
    connection.close()
    result = verify(demo_app.instance_path)
    assert result.returncode == 1
    assert f"broken at entry #{edited}: entry changed" in result.stderr


def test_the_key_file_is_created_for_its_owner_only(make_app, migrated_db, monkeypatch):
    monkeypatch.delenv("KIOSK_AUDIT_KEY")
    app = make_app(migrated_db)
    key_file = Path(app.instance_path) / "audit-keys"
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_a_rotated_key_signs_new_entries_and_the_old_ones_still_verify(make_app, migrated_db, monkeypatch):
    from kiosk.org.models import UnitKind
    from kiosk.org.operations import create_unit
    from tests.conftest import build_app
    monkeypatch.delenv("KIOSK_AUDIT_KEY")
    app = make_app(migrated_db)
    instance = app.instance_path
    with app.app_context():
        create_unit(UnitKind.county, "县", "county")
        record_change("test.before_rotation", db.session.get(Unit, 1), after={})
        db.session.commit()
    rotated = subprocess.run(KIOSK + ["audit", "rotate-key"], env=kiosk_env(instance), capture_output=True,
                             text=True, timeout=60)
    assert rotated.returncode == 0, rotated.stderr
    assert len((Path(instance) / "audit-keys").read_text().split()) == 2
    after_rotation = build_app(Path(instance))  # a restarted server
    with after_rotation.app_context():
        record_change("test.after_rotation", db.session.get(Unit, 1), after={})
        db.session.commit()
        keys = {row[0] for row in db.session.execute(text("SELECT DISTINCT key_id FROM audit_entry"))}
    assert len(keys) == 2
    assert verify(instance).returncode == 0
    (Path(instance) / "audit-keys").write_text((Path(instance) / "audit-keys").read_text().split()[1] + "\n")
    lost_old_key = verify(instance)  # the old key is needed to verify what it signed
    assert lost_old_key.returncode == 1 and "does not hold" in lost_old_key.stderr


def test_the_head_is_shown_downloaded_signed_and_noted_daily(demo_app, staff):
    from kiosk.scheduling import registered_jobs
    clock.set_now(PINNED_NOW)   # the statement is stamped with the second it is made: not one later on a busy machine
    admin = staff("admin")
    page = admin.get("/staff/audit/").get_data(as_text=True)
    assert 'id="audit-head"' in page and "链头" in page
    download = admin.get("/staff/audit/head.txt")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    statement = download.get_data(as_text=True)
    assert "time: 2026-11-23T09:00:00+08:00" in statement and "signature: " in statement
    kept = Path(demo_app.instance_path).parent / "kept-elsewhere.txt"
    kept.write_text(statement)
    with demo_app.app_context():
        registered_jobs()["audit.anchor"].func()
    assert statement.split("signature")[0] in (Path(demo_app.instance_path) / "audit-anchors.txt").read_text()
    held = subprocess.run(KIOSK + ["audit", "verify", "--head", str(kept)], env=kiosk_env(demo_app.instance_path),
                          capture_output=True, text=True, timeout=60)
    assert held.returncode == 0, held.stderr
    kept.write_text(statement.replace("entry: ", "entry: 1"))  # a statement changed after download
    forged = subprocess.run(KIOSK + ["audit", "verify", "--head", str(kept)], env=kiosk_env(demo_app.instance_path),
                            capture_output=True, text=True, timeout=60)
    assert forged.returncode == 1 and "signature does not hold" in forged.stderr


@pytest.mark.parametrize("shown", [False, True])
def test_the_township_may_show_the_head_on_the_public_guide(make_app, demo_db, shown):
    app = make_app(demo_db, KIOSK_AUDIT_HEAD_PUBLIC=shown)
    page = app.test_client().get("/guide").get_data(as_text=True)
    assert ('id="audit-head-public"' in page) is shown
    if shown:
        with app.app_context():
            newest = db.session.scalar(text("SELECT entry_hash FROM audit_entry ORDER BY id DESC LIMIT 1"))
        assert newest in page and "链头" in page


def test_the_chain_may_use_sm3(make_app, migrated_db):
    """KIOSK_AUDIT_HASH=sm3 (GB/T 32905, through OpenSSL): new entries are signed with HMAC-SM3 and the
    chain verifies; the entries signed with SHA-256 before the switch still verify."""
    from kiosk.org.models import UnitKind
    from kiosk.org.operations import create_unit
    from tests.conftest import build_app
    app = make_app(migrated_db)
    with app.app_context():
        create_unit(UnitKind.county, "县", "county")
        record_change("test.sha256", db.session.get(Unit, 1), after={})
        db.session.commit()
    sm3_app = build_app(Path(app.instance_path), KIOSK_AUDIT_HASH="sm3")   # the same database, restarted
    with sm3_app.app_context():
        entry = record_change("test.sm3", db.session.get(Unit, 1), after={})
        db.session.commit()
        entry_id = entry.id
        signed = db.session.execute(text("SELECT key_id, entry_hash FROM audit_entry ORDER BY id")).all()
    assert signed[0].key_id.startswith("hmac-sha256:") and signed[-1].key_id.startswith("hmac-sm3:")
    result = subprocess.run(KIOSK + ["audit", "verify"], env=kiosk_env(app.instance_path, KIOSK_AUDIT_HASH="sm3"),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    tamper_sqlite(app, f"UPDATE audit_entry SET reason = 'x' WHERE id = {entry_id}")
    assert "entry changed" in verify(app.instance_path).stderr
