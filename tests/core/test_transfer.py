"""`kiosk db backup`, `restore` and `import-sqlite`: round trips on SQLite and PostgreSQL, through the CLI."""
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, select, text

from kiosk.core.db import Base
from kiosk.core.transfer import counts

KIOSK = [sys.executable, "-m", "kiosk"]
# Every kind of record the issue names, compared row by row (all columns, ids included).
SAMPLED = ("unit", "user_account", "notice", "notice_version", "notice_attachment", "notice_comment", "screen",
           "screen_group_member", "rotation", "slide", "queue_ticket", "queue_rating", "audit_entry")


def kiosk(args, instance, database_url=None, stdin=""):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    environment["KIOSK_INSTANCE_PATH"] = str(instance)
    if database_url:
        environment["KIOSK_DATABASE_URL"] = database_url
    return subprocess.run(KIOSK + args, input=stdin, env=environment, capture_output=True, text=True, timeout=300)


def rows(url: str, table: str) -> list[dict]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            model = Base.metadata.tables[table]
            return [dict(r) for r in connection.execute(select(model).order_by(*model.primary_key.columns)).mappings()]
    finally:
        engine.dispose()


def assert_same(url_a: str, url_b: str) -> None:
    engine_a, engine_b = create_engine(url_a), create_engine(url_b)
    try:
        assert counts(engine_a) == counts(engine_b)
    finally:
        engine_a.dispose()
        engine_b.dispose()
    for table in SAMPLED:
        copied = rows(url_b, table)
        assert copied, f"the demo has no {table} rows to compare"
        assert rows(url_a, table) == copied, table


def sqlite_url(path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture
def township(tmp_path, demo_db):
    """A township box: an instance folder holding the demo database."""
    instance = tmp_path / "township"
    instance.mkdir()
    shutil.copy(demo_db, instance / "kiosk.sqlite3")
    return instance


def add_user(instance, database_url=None, name="newclerk"):
    added = kiosk(["user", "add", name, "--role", "editor", "--unit", "lizhuang", "--password-stdin"], instance,
                  database_url, stdin="a-long-enough-password-2026\n")
    assert added.returncode == 0, added.stderr


def assert_audit_chain_holds(instance, database_url=None):
    verified = kiosk(["audit", "verify"], instance, database_url)
    assert verified.returncode == 0, verified.stderr
    assert "audit chain holds" in verified.stdout and not verified.stdout.startswith("audit chain holds: 0 ")


def test_sqlite_backup_then_restore_brings_back_exactly_the_backup(township, tmp_path):
    backup = tmp_path / "backup.sqlite3"
    made = kiosk(["db", "backup", str(backup)], township)
    assert made.returncode == 0, made.stderr
    live = sqlite_url(township / "kiosk.sqlite3")
    assert_same(live, sqlite_url(backup))

    add_user(township)  # a change after the backup ...
    assert len(rows(live, "user_account")) == len(rows(sqlite_url(backup), "user_account")) + 1
    restored = kiosk(["db", "restore", str(backup)], township)
    assert restored.returncode == 0, restored.stderr
    assert_same(live, sqlite_url(backup))  # ... is gone again
    assert_audit_chain_holds(township)  # the entries came back with their hashes

    again = kiosk(["db", "backup", str(backup)], township)
    assert again.returncode == 2 and str(backup) in again.stderr


def test_a_backup_is_consistent_while_the_database_is_written(township, tmp_path):
    """SQLite's online backup copies one state of the file, even with a writer holding it open."""
    writer = sqlite3.connect(township / "kiosk.sqlite3")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE setting SET value = value")  # an open write transaction during the backup
    made = kiosk(["db", "backup", str(tmp_path / "during.sqlite3")], township)
    writer.rollback()
    writer.close()
    assert made.returncode == 0, made.stderr
    assert_same(sqlite_url(township / "kiosk.sqlite3"), sqlite_url(tmp_path / "during.sqlite3"))


@pytest.mark.postgres
def test_import_into_postgresql_then_backup_and_restore_there(township, tmp_path, postgres_url):
    county = tmp_path / "county"
    county.mkdir()
    uploads = township / "uploads" / "notices"
    uploads.mkdir(parents=True)
    (uploads / "ledger.pdf").write_bytes(b"%PDF-1.4 ledger")

    imported = kiosk(["db", "import-sqlite", str(township / "kiosk.sqlite3"), "--uploads",
                      str(township / "uploads")], county, postgres_url)
    assert imported.returncode == 0, imported.stderr
    assert "1 uploaded files copied" in imported.stdout
    assert (county / "uploads" / "notices" / "ledger.pdf").read_bytes() == b"%PDF-1.4 ledger"
    assert_same(sqlite_url(township / "kiosk.sqlite3"), postgres_url)
    assert_audit_chain_holds(county, postgres_url)

    refused = kiosk(["db", "import-sqlite", str(township / "kiosk.sqlite3")], county, postgres_url)
    assert refused.returncode == 2 and "kiosk db restore" in refused.stderr  # the way to replace everything

    add_user(county, postgres_url)  # new rows get fresh ids after the imported ones
    users = rows(postgres_url, "user_account")
    assert users[-1]["username"] == "newclerk" and users[-1]["id"] == max(u["id"] for u in users)

    backup = tmp_path / "county-backup.sqlite3"
    made = kiosk(["db", "backup", str(backup)], county, postgres_url)
    assert made.returncode == 0, made.stderr
    assert_same(postgres_url, sqlite_url(backup))

    add_user(county, postgres_url, "another")
    restored = kiosk(["db", "restore", str(backup)], county, postgres_url)
    assert restored.returncode == 0, restored.stderr
    assert_same(postgres_url, sqlite_url(backup))
    assert_audit_chain_holds(county, postgres_url)
    add_user(county, postgres_url, "after-restore")  # the log takes new entries, chained on ...
    assert_audit_chain_holds(county, postgres_url)
    engine = create_engine(postgres_url)
    try:  # ... and its protection is back
        with pytest.raises(Exception, match="append-only"), engine.begin() as connection:
            connection.execute(text("TRUNCATE audit_entry CASCADE"))
        with pytest.raises(Exception, match="append-only"), engine.begin() as connection:
            connection.execute(text("DELETE FROM audit_entry"))
    finally:
        engine.dispose()


def test_a_file_that_is_not_a_kiosk_database_is_refused(township, tmp_path):
    stray = tmp_path / "notes.sqlite3"
    stray.write_text("not a database")
    for command in (["db", "restore", str(stray)], ["db", "import-sqlite", str(stray)],
                    ["db", "restore", str(tmp_path / "missing.sqlite3")]):
        refused = kiosk(command, township)
        assert refused.returncode == 2, command
        assert refused.stderr.startswith("kiosk: error:") and len(refused.stderr.strip().splitlines()) == 1
