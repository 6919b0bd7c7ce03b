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
    assert "系统创建了账号" in page and "user.create" not in page and "system" not in page


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


def test_the_log_reads_as_chinese_sentences_filters_and_exports(staff, demo_app):
    """A 纪检 reader sees who did what to which notice and each change before → after, in Chinese,
    without JSON or codes; filters by person, unit, kind and date; exports CSV with a BOM."""
    import csv
    import io
    import re

    from tests.disclosures.conftest import notice_body
    clerk, admin = staff("lizhuang"), staff("admin")
    notice = clerk.api("post", "/api/v1/notices", json=notice_body()).get_json()
    clerk.api("patch", f"/api/v1/notices/{notice['id']}", json={"title": "李庄村10月财务收支公开（更正）"})
    page = admin.get("/staff/audit/?person=lizhuang&kind=notice").get_data(as_text=True)
    sentence = re.search(r'<td class="sentence">([^<]*修改了公告[^<]*)</td>', page).group(1)
    assert "标题由“李庄村10月财务收支公开”改为“李庄村10月财务收支公开（更正）”" in sentence.replace("&#34;", '"')
    assert "\\u" not in page and "notice.update" not in page and "{&#34;" not in page
    assert "起草了公告“李庄村10月财务收支公开”" in page
    assert "user.create" not in admin.get("/staff/audit/?kind=notice").get_data(as_text=True)
    assert "修改了公告" not in admin.get("/staff/audit/?person=wangjia").get_data(as_text=True)
    assert "修改了公告" in admin.get("/staff/audit/?unit=lizhuang").get_data(as_text=True)
    assert "修改了公告" not in admin.get("/staff/audit/?unit=wangjia").get_data(as_text=True)
    assert "修改了公告" not in admin.get("/staff/audit/?until=2000-01-01").get_data(as_text=True)
    assert admin.get("/staff/audit/?since=2026-13-01").status_code == 400
    export = admin.get("/staff/audit/export.csv?person=lizhuang&kind=notice")
    assert export.status_code == 200 and export.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(export.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["时间", "操作人", "单位", "操作"]
    edited = next(row for row in rows if row[3] == "修改了")
    assert edited[2] == "李庄村" and edited[4] == "公告" and "标题: “李庄村10月财务收支公开” → " in edited[6]
