"""The disclosure guide and the complaint and supervision page: demo content, edited by an
administrator of the township only, channels on every notice page, QR codes."""
from sqlalchemy import select

from kiosk.audit.models import AuditEntry
from kiosk.extensions import db


def channel_form(**changes) -> dict:
    data = {"guide": "# 指南\n\n依申请公开请到党政办。", "supervision": "镇长接待日：每月第一个星期三。",
            "hotline.label": "12345政务服务便民热线", "hotline.value": "12345", "hotline.note": "",
            "discipline.label": "12388纪检监察举报电话", "discipline.value": "12388", "discipline.note": "",
            "supervision.label": "金家镇监督电话", "supervision.value": "0551-6600 9999", "supervision.note": "工作日",
            "opinion_box.label": "意见箱", "opinion_box.value": "镇政府大门口", "opinion_box.note": ""}
    data.update(changes)
    return data


def test_demo_guide_and_supervision_pages(visitor):
    guide = visitor.get("/guide")
    text = guide.get_data(as_text=True)
    assert guide.status_code == 200 and "金家镇 · 政府信息公开指南" in text
    assert "<h2>一、主动公开</h2>" in text and "20个工作日" in text and 'href="tel:12345"' in text
    assert 'src="/qr/guide.png"' in text and visitor.get("/qr/guide.png").mimetype == "image/png"
    supervision = visitor.get("/supervision/jinjia").get_data(as_text=True)
    assert "投诉监督" in supervision and 'href="tel:055166881234"' in supervision and "镇长接待日" in supervision
    assert 'src="/qr/supervision/jinjia.png"' in supervision
    assert visitor.get("/guide/lizhuang").status_code == 404          # a village has no guide of its own


def test_administrator_edits_pages_and_channels(demo_app, visitor, staff, approved):
    admin = staff("admin")
    assert admin.get("/staff/public/pages").headers["Location"].endswith("/staff/public/pages/jinjia")
    saved = admin.post_form("/staff/public/pages/jinjia", channel_form(**{"opinion_box.value": ""}))
    assert saved.status_code == 302
    supervision = visitor.get("/supervision").get_data(as_text=True)
    assert 'href="tel:0551660099"' not in supervision and 'href="tel:055166009999"' in supervision
    assert "镇政府大门口" not in supervision and "镇长接待日：每月第一个星期三" in supervision   # empty place: hidden
    notice_page = visitor.get(f"/n/{approved()['slug']}").get_data(as_text=True)
    assert "金家镇监督电话" in notice_page and "055166009999" in notice_page
    with demo_app.app_context():
        updates = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "contact_channel.update")).all()
        assert {entry.actor_name for entry in updates} == {"admin"} and len(updates) == 4   # every channel changed
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "public_page.update")).actor_name == "admin"


def test_bad_channel_input_is_shown_in_place_and_nothing_changes(visitor, staff):
    admin = staff("admin")
    response = admin.post_form("/staff/public/pages/jinjia", channel_form(**{"supervision.value": "打我电话"}))
    assert response.status_code == 400 and "电话号码只能包含数字" in response.get_data(as_text=True)
    assert "打我电话" in response.get_data(as_text=True)                   # what was typed is kept
    assert "# 指南" not in visitor.get("/guide").get_data(as_text=True)      # the guide was not saved either


def test_only_administrators_edit(staff):
    for username in ("editor", "reviewer", "lizhuang"):
        client = staff(username)
        assert client.get("/staff/public/pages/jinjia").status_code == 403
        assert client.post_form("/staff/public/pages/jinjia", channel_form()).status_code == 403


def test_markup_in_a_guide_is_sanitised(visitor, staff):
    staff("admin").post_form("/staff/public/pages/jinjia", channel_form(
        guide='<script>window.__xss=1</script>\n\n[链接](javascript:alert(1))\n\n<img src=x onerror=alert(1)>'))
    page = visitor.get("/guide").get_data(as_text=True)
    assert "<script>window" not in page and "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page
    assert 'href="javascript' not in page and "<img src=x" not in page
