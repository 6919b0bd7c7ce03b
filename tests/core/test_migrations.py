"""The same migrations bring SQLite and PostgreSQL to a schema that matches the models."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError

from kiosk.core import migrate
from kiosk.extensions import db
from tests.conftest import demo_on_postgres


def _schema_diff(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def _upgrade_downgrade_upgrade(app):
    with app.app_context():
        migrate.upgrade()
        assert migrate.is_current()
        tables = set(inspect(db.engine).get_table_names())
        assert {"unit", "user_account", "audit_entry", "api_token"} <= tables
        migrate.downgrade("base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade()
        assert migrate.is_current()


def test_sqlite_migrations_match_the_models(make_app):
    app = make_app()
    _upgrade_downgrade_upgrade(app)
    assert _schema_diff(app) == []


@pytest.mark.postgres
def test_postgres_migrations_match_the_models(make_app, postgres_url):
    app = make_app(SQLALCHEMY_DATABASE_URI=postgres_url)
    _upgrade_downgrade_upgrade(app)
    assert _schema_diff(app) == []
    with app.app_context():
        db.engine.dispose()


@pytest.mark.postgres
def test_postgres_demo_and_append_only_audit(make_app, postgres_url, demo_db):
    app = demo_on_postgres(make_app, postgres_url, demo_db)
    with app.app_context():
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text("DELETE FROM audit_entry"))
        db.session.rollback()
        assert db.session.execute(text("SELECT count(*) FROM audit_entry")).scalar() > 0
    client = app.test_client()
    response = client.post("/api/v1/tokens", json={"username": "screens", "password": "jinjia-demo"})
    assert response.status_code == 201
    # The demo township works on PostgreSQL too: push and clear an urgent notice to all villages.
    headers = {"Authorization": f"Bearer {response.get_json()['token']}"}
    villages = next(g for g in client.get("/api/v1/screen-groups", headers=headers).get_json()["groups"]
                    if g["code"] == "villages")
    urgent = client.post("/api/v1/urgent-notices", headers=headers, json={
        "unit": "jinjia", "title": "暴雨红色预警", "body": "请勿外出", "groups": [villages["id"]]})
    assert urgent.status_code == 201, urgent.get_json()
    assert len(urgent.get_json()["arrivals"]) == len(villages["screens"]) == 11
    assert client.post(f"/api/v1/urgent-notices/{urgent.get_json()['id']}/clear", headers=headers).status_code == 200
    with app.app_context():
        db.engine.dispose()


def test_demo_refuses_an_unmigrated_database(make_app):
    from kiosk.core.errors import Conflict
    from kiosk.demo import load_demo
    app = make_app()
    with app.app_context(), pytest.raises(Conflict, match="db upgrade"):
        load_demo()
