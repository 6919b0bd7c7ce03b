"""The migration and the lifecycle on PostgreSQL (index numbers claimed with UPDATE ... RETURNING)."""
import pytest
from sqlalchemy import func, inspect, select, text

from kiosk.core.migrate import downgrade, upgrade
from kiosk.demo import load_demo
from kiosk.disclosures.models import Category, Notice
from kiosk.extensions import db
from tests.conftest import StaffClient, build_app
from tests.disclosures.conftest import notice_body


@pytest.mark.postgres
def test_migration_up_down_up_and_a_notice_lifecycle(tmp_path, postgres_url):
    app = build_app(tmp_path / "pg", postgres_url)
    with app.app_context():
        upgrade()
        assert db.session.scalar(select(func.count()).select_from(Category)) == 32   # with the annual report's
        db.session.commit()
        downgrade("0001_foundation")
        assert "notice" not in inspect(db.engine).get_table_names()
        upgrade()
        load_demo()
        # The demo's own approved lizhuang notices (disclosures' and the touch kiosk's) came first.
        issued = db.session.scalar(select(func.count()).select_from(Notice)
                                   .where(Notice.index_number.like("lizhuang-%")))
        assert issued >= 1
    lizhuang = StaffClient(app.test_client(), "lizhuang")
    reviewer = StaffClient(app.test_client(), "reviewer")
    first = lizhuang.api("post", "/api/v1/notices", json=notice_body(title="李庄村11月财务收支公开")).get_json()
    lizhuang.api("post", f"/api/v1/notices/{first['id']}/submit", json={})
    approved = reviewer.api("post", f"/api/v1/notices/{first['id']}/approve", json={}).get_json()
    assert approved["state"] == "showing" and approved["index_number"].endswith(f"-{issued + 1:05d}")
    with app.app_context():
        notice = db.session.get(Notice, first["id"])
        assert notice.published_version.audience_unit_ids == notice.audience_unit_ids
        assert db.session.execute(text("select count(*) from notice_version")).scalar() >= 1
        db.session.remove()
        db.engine.dispose()
