"""#20: with several processes (servers, the scheduler) and threads writing at once, every audit entry
is chained onto the one before it, on SQLite and on PostgreSQL: no fork, `verify` holds."""
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.audit.chain import verify
from kiosk.audit.models import AuditEntry
from kiosk.core import migrate
from kiosk.extensions import db
from kiosk.org.models import UnitKind
from kiosk.org.operations import create_unit
from tests.audit.chain_writer import write_entries
from tests.kiosk_command import kiosk_env

THREADS, ENTRIES = 4, 150  # per process; two processes: 1,200 entries


def hammer(app, database_url: str) -> None:
    with app.app_context():
        migrate.upgrade()
        create_unit(UnitKind.county, "县", "county")
        db.session.commit()
        db.engine.dispose()
    other = subprocess.Popen([sys.executable, "-m", "tests.audit.chain_writer", str(THREADS), str(ENTRIES)],
                             env=kiosk_env(app.instance_path, KIOSK_DATABASE_URL=database_url),
                             cwd=Path(__file__).parents[2], stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "ready"
        write_entries(app, THREADS, ENTRIES)
    finally:
        assert other.wait(timeout=120) == 0
    with app.app_context():
        written = db.session.scalar(select(func.count()).select_from(AuditEntry)
                                    .where(AuditEntry.action == "test.concurrent"))
        verdict = verify()
    assert written == 2 * THREADS * ENTRIES
    assert verdict.holds, verdict


def test_concurrent_writers_keep_one_chain_on_sqlite(make_app):
    app = make_app()
    hammer(app, app.config["SQLALCHEMY_DATABASE_URI"])


@pytest.mark.postgres
def test_concurrent_writers_keep_one_chain_on_postgres(make_app, postgres_url):
    hammer(make_app(SQLALCHEMY_DATABASE_URI=postgres_url), postgres_url)
