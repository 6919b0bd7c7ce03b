"""The public side on PostgreSQL: its migration down and up, ILIKE search with literal wildcards,
pinyin search, and a comment answered through the API."""
import pytest
from sqlalchemy import inspect

from kiosk.core.migrate import downgrade, upgrade
from kiosk.demo import load_demo
from kiosk.extensions import db
from tests.conftest import StaffClient, build_app
from tests.disclosures.conftest import notice_body


@pytest.mark.postgres
def test_catalogue_search_and_comments_on_postgres(tmp_path, postgres_url):
    app = build_app(tmp_path / "pg", postgres_url)
    with app.app_context():
        upgrade()
        downgrade("0002_disclosures")
        assert "notice_comment" not in inspect(db.engine).get_table_names()
        upgrade()
        load_demo()
        db.session.remove()
    editor, reviewer = StaffClient(app.test_client(), "editor"), StaffClient(app.test_client(), "reviewer")
    notice = editor.api("post", "/api/v1/notices", json=notice_body(
        category="dibao", title="测试低保名单", body="完成率 100%", audience="township", villages=None)).get_json()
    editor.api("post", f"/api/v1/notices/{notice['id']}/submit", json={})
    assert reviewer.api("post", f"/api/v1/notices/{notice['id']}/approve", json={}).status_code == 200
    visitor = app.test_client()
    for query in ("100%25", "测试低保", "CSDB", "ceshi"):
        assert "测试低保名单" in visitor.get(f"/?q={query}").get_data(as_text=True), query
    assert "测试低保名单" not in visitor.get("/?q=_00").get_data(as_text=True)
    created = visitor.post(f"/api/v1/public/notices/{notice['slug']}/comments",
                           json={"message": "请核实", "phone": "13912345678"})
    assert created.status_code == 201
    answered = reviewer.api("post", f"/api/v1/comments/{created.get_json()['id']}/answer",
                            json={"answer": "已核实", "public": True})
    assert answered.status_code == 200
    page = visitor.get(f"/n/{notice['slug']}").get_data(as_text=True)
    assert "已核实" in page and "13912345678" not in page
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
