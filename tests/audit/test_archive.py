"""#19: audit entries are kept at least 180 days (网络安全法 Art. 21), then archived to signed files,
never lost: the chain holds across the files, and a changed, missing or forged archive shows."""
import json
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from kiosk.audit.archive import archive_old_entries
from kiosk.audit.chain import verify as verify_chain
from kiosk.audit.operations import record_change
from kiosk.core import clock
from kiosk.extensions import db
from kiosk.org.models import Unit
from tests.audit.test_chain import tamper_sqlite, verify
from tests.conftest import demo_on_postgres
from tests.kiosk_command import KIOSK, kiosk_env

HALF_A_YEAR_ON = timedelta(days=181)


def entry_ids(app) -> list[int]:
    with app.app_context():
        return [row[0] for row in db.session.execute(text("SELECT id FROM audit_entry ORDER BY id"))]


def a_change_now(app) -> None:
    with app.app_context():
        record_change("unit.rename", db.session.scalar(db.select(Unit).limit(1)), reason="半年后的一次修改")
        db.session.commit()


def archive(app, **settings) -> subprocess.CompletedProcess:
    return subprocess.run(KIOSK + ["audit", "archive"], env=kiosk_env(app.instance_path, **settings),
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def archived(demo_app):
    """The demo's entries, half a year and a day later, archived; one entry made since stays."""
    demo_entries = entry_ids(demo_app)
    clock.set_now(clock.now() + HALF_A_YEAR_ON)
    a_change_now(demo_app)
    done = archive(demo_app)
    assert done.returncode == 0, done.stderr
    return demo_entries, done.stdout


def archive_files(app) -> list[Path]:
    return sorted((Path(app.instance_path) / "audit-archive").glob("*.jsonl"))


def test_entries_past_the_retention_move_to_a_signed_file_and_the_chain_still_holds(demo_app, archived, staff):
    demo_entries, said = archived
    [file] = archive_files(demo_app)
    assert f"#{demo_entries[0]}–#{demo_entries[-1]}" in said and file.name in said
    lines = file.read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines[:-1]] == demo_entries   # every entry, as it was chained
    closing = json.loads(lines[-1])
    assert closing["archive"]["entries"] == len(demo_entries) and closing["key_id"].startswith("hmac-")
    assert entry_ids(demo_app) == [demo_entries[-1] + 1]                     # the newer one stays
    result = verify(demo_app.instance_path)
    assert result.returncode == 0, result.stderr
    assert 'data-holds="1"' in staff("admin").get("/staff/audit/").get_data(as_text=True)
    # New entries chain on after the archive; a second run has nothing new to move.
    a_change_now(demo_app)
    again = archive(demo_app)
    assert again.returncode == 0 and "nothing older than the retention" in again.stdout
    assert verify(demo_app.instance_path).returncode == 0


def test_entries_younger_than_the_retention_stay_and_stay_undeletable(demo_app):
    clock.set_now(clock.now() + timedelta(days=179))
    before = entry_ids(demo_app)
    done = archive(demo_app)
    assert done.returncode == 0 and "nothing older" in done.stdout
    assert entry_ids(demo_app) == before and archive_files(demo_app) == []
    with demo_app.app_context():
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": before[0]})
        db.session.rollback()


def test_a_retention_under_half_a_year_is_refused(demo_app):
    refused = archive(demo_app, KIOSK_AUDIT_RETENTION_DAYS="30")
    assert refused.returncode == 2 and "at least 180" in refused.stderr


def test_a_changed_or_missing_archive_file_breaks_the_chain(demo_app, archived):
    [file] = archive_files(demo_app)
    original = file.read_text()
    file.write_text(original.replace('"action": "', '"action": "x', 1))
    result = verify(demo_app.instance_path)
    assert result.returncode == 1 and f"{file.name}" in result.stderr and "the file was changed" in result.stderr
    file.unlink()
    result = verify(demo_app.instance_path)
    assert result.returncode == 1 and "the file is missing" in result.stderr


def test_an_archive_row_forged_to_delete_entries_is_found(demo_app):
    """Someone with the database inserts an archive row to let entries go: it is not signed with the key."""
    ids = entry_ids(demo_app)
    with demo_app.app_context():
        db.session.execute(text(
            "INSERT INTO audit_archive (made_at, first_id, through_id, entries, first_prev_hash, last_hash, "
            "file_name, file_sha256, key_id, signature) VALUES ('2026-11-23 01:00:00', :first, :last, 5, :genesis, "
            "(SELECT entry_hash FROM audit_entry WHERE id = :last), 'audit-x.jsonl', '', 'hmac-sha256:x', 'x')"),
            {"first": ids[0], "last": ids[4], "genesis": "0" * 64})
        db.session.execute(text("DELETE FROM audit_entry WHERE id <= :last"), {"last": ids[4]})
        db.session.commit()
    result = verify(demo_app.instance_path)
    assert result.returncode == 1 and "not signed with the audit key" in result.stderr


def test_a_broken_chain_is_not_archived(demo_app):
    tamper_sqlite(demo_app, f"UPDATE audit_entry SET reason = 'x' WHERE id = {entry_ids(demo_app)[3]}")
    clock.set_now(clock.now() + HALF_A_YEAR_ON)
    refused = archive(demo_app)
    assert refused.returncode == 1 and "chain is broken" in refused.stderr
    assert archive_files(demo_app) == []


@pytest.mark.postgres
def test_postgres_lets_only_archived_entries_go(make_app, postgres_url, demo_db):
    app = demo_on_postgres(make_app, postgres_url, demo_db)
    clock.set_now(clock.now() + HALF_A_YEAR_ON)
    a_change_now(app)
    kept = entry_ids(app)[-1]
    with app.app_context():
        assert "archived" in archive_old_entries()
        assert verify_chain().holds
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": kept})
        db.session.rollback()
        db.engine.dispose()
    assert entry_ids(app) == [kept] and len(archive_files(app)) == 1
