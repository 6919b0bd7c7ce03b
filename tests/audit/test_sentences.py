"""#21 item 10: every audit entry reads as a sentence saying what changed, and personal data is
masked before it is kept (read through the audit page)."""
import html

from sqlalchemy import select, text

from kiosk.audit.operations import record_change
from kiosk.extensions import db
from kiosk.org.models import Unit

ID_NUMBER = "11010519491231002X"  # a valid GB 11643 number


def page_line(demo_app, staff, action: str, before, after, reason: str = "") -> str:
    with demo_app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.code == "jinjia"))
        entry = record_change(action, unit, before=before, after=after, reason=reason)
        db.session.commit()
        entry_id = entry.id
    page = staff("admin").get("/staff/audit/").get_data(as_text=True)
    row = page.split(f'id="entry-{entry_id}"')[1].split("</tr>")[0]
    return html.unescape(row.split('class="sentence">')[1].split("</td>")[0])


def test_a_list_of_records_says_which_items_changed(demo_app, staff):
    slides = [{"id": 1, "rotation_id": 1, "kind": "notice", "caption": "a"}, {"id": 2, "rotation_id": 1}]
    line = page_line(demo_app, staff, "rotation.update", {"name": "轮播", "slides": slides},
                     {"name": "轮播", "slides": [slides[0], {"id": 2, "rotation_id": 1, "caption": "b"}]})
    assert "{'id'" not in line and "[{" not in line
    assert "页面" in line and "改动了第 2 项" in line


def test_an_approval_does_not_show_editor_ids(demo_app, staff):
    line = page_line(demo_app, staff, "notice.approve", {"title": "通知", "editor_ids": [2]},
                     {"title": "通知", "editor_ids": []})
    assert "[2]" not in line and "其他项目" not in line


def test_a_long_text_is_shown_where_it_differs(demo_app, staff):
    common = "本村二〇二六年第三季度低保名单公示如下，请村民监督，" * 3
    line = page_line(demo_app, staff, "notice.update", {"title": "公示", "body": common + "张三 300 元"},
                     {"title": "公示", "body": common + "李四 300 元"})
    assert "张三" in line and "李四" in line


def test_no_doubled_full_stop(demo_app, staff):
    line = page_line(demo_app, staff, "notice.return", {"title": "公示", "state": "x"}, {"title": "公示", "state": "y"},
                     reason="请补充附件。")
    assert "。。" not in line and line.endswith("。")


def test_personal_data_is_masked_before_it_is_kept(demo_app, staff):
    line = page_line(demo_app, staff, "notice.approve", {"title": "公示", "body": "x"},
                     {"title": "公示", "body": f"申请人身份证 {ID_NUMBER}"}, reason=f"已核对 {ID_NUMBER}")
    assert ID_NUMBER not in line
    with demo_app.app_context():
        kept = db.session.execute(text("SELECT after, reason FROM audit_entry ORDER BY id DESC LIMIT 1")).one()
    assert ID_NUMBER not in str(kept.after) and ID_NUMBER not in kept.reason


def test_every_action_the_code_records_and_every_table_it_touches_has_words(app):
    """A new feature's audit entries read as sentences, not as "changed something": each action
    written in the code (record_change / audited with a literal name) and each table has its words."""
    import re
    from pathlib import Path

    import kiosk
    from kiosk.audit.sentences import ACTIONS, OBJECTS
    root = Path(kiosk.__file__).parent
    recorded = {match.group(1) for path in root.rglob("*.py")
                for match in re.finditer(r'(?:record_change|audited)\(\s*"([a-z_.]+)"', path.read_text())}
    assert len(recorded) > 50
    assert sorted(recorded - set(ACTIONS)) == []
    bookkeeping = {"alert_delivery", "audit_archive", "audit_entry", "audit_head", "display_report", "incident",
                   "info_application_counter", "info_application_event", "notice_index_counter", "notice_version", "page_visit",
                   "password_history", "queue_counter", "queue_rating", "queue_ticket", "queue_ticket_event",
                   "queue_window_service", "scheduler_lease", "screen_connection", "screen_group_member",
                   "screen_pairing", "setting", "slide", "survey_question", "survey_response", "ticker_target",
                   "urgent_delivery", "urgent_target", "user_role", "video_cache_report", "video_group_setting",
                   "village_public_day_item"}
    assert sorted(set(db.metadata.tables) - set(OBJECTS) - bookkeeping) == []
