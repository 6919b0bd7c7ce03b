"""Villagers' questions (质询) on a village notice by its QR page: held and answered as comments are,
masked by the privacy gate when public, answered within 10 calendar days (reminded 3 days before,
on the overdue list after), refused on notices that are not the villages'."""
from sqlalchemy import select

from kiosk.disclosures.models import Notice
from kiosk.extensions import db
from kiosk.incidents.conditions import CONDITIONS
from kiosk.org.operations import get_unit_by_code
from tests.conftest import csrf_from
from tests.villages.conftest import local

PHONE = "13912345678"
QUESTION = f"请问道路维修12,000元由谁施工？我的电话{PHONE}。"


def slug_of(app, title: str) -> str:
    with app.app_context():
        return db.session.scalar(select(Notice.slug).where(Notice.title == title))


def findings(kind: str, at: str, comment_id: int) -> list:
    return [f for f in CONDITIONS[kind].find(local(at)) if f.key == f"village-question:{comment_id}"]


def test_a_villager_questions_a_village_notice_and_gets_a_public_answer(demo_app, clients):
    slug = slug_of(demo_app, "李庄村10月财务收支公开")
    visitor = demo_app.test_client()
    page = visitor.get(f"/n/{slug}").get_data(as_text=True)
    assert 'id="ask"' in page and 'value="question"' in page and "10日内答复" in page
    sent = visitor.post(f"/n/{slug}/comments", data={"csrf_token": csrf_from(page), "kind": "question",
                                                     "message": QUESTION, "name": "李四", "phone": ""})
    assert sent.status_code == 303
    assert QUESTION not in visitor.get(f"/n/{slug}").get_data(as_text=True)   # held until answered
    clerk = clients("lizhuang")
    [question] = [c for c in clerk.api("get", "/api/v1/comments?pending=true").get_json()["comments"]
                  if c["kind"] == "question" and c["message"] == QUESTION]
    staff_page = clerk.get(f"/staff/public/comments?notice={question['notice_id']}").get_data(as_text=True)
    assert 'data-answer-by="2026-12-03"' in staff_page          # asked 23 November: 10 calendar days
    answered = clerk.api("post", f"/api/v1/comments/{question['id']}/answer",
                         json={"answer": "由村里组织村民施工，明细已公开。", "public": True})
    assert answered.status_code == 200
    public = visitor.get(f"/n/{slug}").get_data(as_text=True)
    assert "由村里组织村民施工" in public and "质询" in public
    assert PHONE not in public and "139****5678" in public     # the privacy gate masks it as for comments


def test_the_answer_clock_runs_ten_calendar_days(demo_app, clients):
    slug = slug_of(demo_app, "李庄村10月财务收支公开")
    created = demo_app.test_client().post(f"/api/v1/public/notices/{slug}/comments",
                                          json={"kind": "question", "message": "保洁员工资标准是多少？"})
    assert created.status_code == 201
    question = created.get_json()["id"]
    with demo_app.app_context():
        lizhuang, jinjia = get_unit_by_code("lizhuang"), get_unit_by_code("jinjia")
        assert not findings("villages.question_due", "2026-11-29 09:00", question)      # 4 days left
        [reminder] = findings("villages.question_due", "2026-11-30 09:00", question)   # 3 days left
        assert reminder.unit_id == lizhuang.id and "2026-12-03" in reminder.title
        assert not findings("villages.question_overdue", "2026-12-03 23:00", question)  # the last day
        [late] = findings("villages.question_overdue", "2026-12-04 00:30", question)
        assert late.unit_id == jinjia.id and late.user_ids   # the township, and 李庄村's supervision committee
        assert not findings("villages.question_due", "2026-12-04 00:30", question)
    from kiosk.core import clock
    clock.start_at(local("2026-12-04 09:00"))
    overview = clients("editor").get("/staff/villages/").get_data(as_text=True)
    assert f'data-question="{question}"' in overview and "已逾期" in overview
    clients("lizhuang").api("post", f"/api/v1/comments/{question}/answer", json={"answer": "每人每月1,800元。"})
    with demo_app.app_context():
        assert not findings("villages.question_overdue", "2026-12-04 09:30", question)


def test_questions_are_for_the_villages_notices_while_they_show(demo_app):
    report = slug_of(demo_app, "金家镇2025年政府信息公开工作年度报告")   # the township's own, filed under nothing
    visitor = demo_app.test_client()
    refused = visitor.post(f"/api/v1/public/notices/{report}/comments", json={"kind": "question", "message": "请问？"})
    assert refused.status_code == 409 and refused.get_json()["error"] == "closed"
    assert 'id="ask"' not in visitor.get(f"/n/{report}").get_data(as_text=True)
    ledger = slug_of(demo_app, "李庄村10月财务收支公开")
    empty = visitor.post(f"/api/v1/public/notices/{ledger}/comments", json={"kind": "question", "message": " "})
    assert empty.status_code == 400
    # The ledger has no publicity period: objections and comments are not open, questions are.
    objection = visitor.post(f"/api/v1/public/notices/{ledger}/comments", json={"kind": "objection", "message": "异议"})
    assert objection.status_code == 409
