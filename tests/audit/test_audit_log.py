import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from kiosk.extensions import db


def _entries(client, headers, **params):
    response = client.get("/api/v1/audit", headers=headers, query_string=params)
    assert response.status_code == 200
    return response.get_json()["entries"]


def test_a_change_is_recorded_with_who_before_and_after(demo_app, token_for):
    client = demo_app.test_client()
    admin = token_for("admin")
    editor_id = next(u["id"] for u in client.get("/api/v1/users", headers=admin).get_json()["users"]
                     if u["username"] == "editor")
    client.patch(f"/api/v1/users/{editor_id}", json={"display_name": "党政办 刘敏敏"}, headers=admin)
    entry = _entries(client, admin, action="user.update")[0]
    assert entry["actor"] == "admin"
    assert entry["before"]["display_name"] == "党政办 刘敏"
    assert entry["after"]["display_name"] == "党政办 刘敏敏"
    assert "password_hash" not in entry["after"]


def test_village_clerk_sees_only_their_village(demo_app, token_for):
    client = demo_app.test_client()
    village = _entries(client, token_for("lizhuang"), limit=1000)
    assert village and {e["unit"] for e in village} == {"lizhuang"}
    township = _entries(client, token_for("editor"), limit=1000)
    assert {"lizhuang", "wangjia", "jinjia"} <= {e["unit"] for e in township}


def test_audit_page_lists_entries(staff):
    page = staff("admin").get("/staff/audit/").get_data(as_text=True)
    assert "user.create" in page and "system" in page


def test_nobody_can_edit_or_delete_an_entry(demo_app):
    with demo_app.app_context():
        for statement in ("UPDATE audit_entry SET actor_name = 'someone'", "DELETE FROM audit_entry"):
            with pytest.raises(DatabaseError, match="append-only"):
                db.session.execute(text(statement))
            db.session.rollback()
        assert db.session.execute(text("SELECT count(*) FROM audit_entry WHERE actor_name = 'someone'")).scalar() == 0


def test_no_route_changes_the_audit_log(demo_app):
    rules = [r for r in demo_app.url_map.iter_rules() if "audit" in r.rule]
    assert rules and all(r.methods <= {"GET", "HEAD", "OPTIONS"} for r in rules)
