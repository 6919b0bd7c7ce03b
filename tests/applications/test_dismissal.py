"""#24: a spam online submission, never confirmed, is dismissed by its handler or an overseer with a reason
from the list: it leaves the waiting list for its own filter, its personal data is erased at once, the
audit log says so, and table 三 never counts it. Everything through HTTP."""
import html

from sqlalchemy import select

from kiosk.applications.figures import table_three
from kiosk.applications.models import Application, Status
from kiosk.audit.models import AuditEntry
from kiosk.extensions import db
from tests.applications.conftest import APPLICANT, fields, township

FORM = "/apply/jinjia"
API = "/api/v1/public/townships/jinjia/applications"


def submitted_online(demo_app) -> int:
    """A submission from the phone form's API, its receipt not confirmed: its id."""
    body = {key: value for key, value in fields().items()}
    response = demo_app.test_client().post(API, json=body)
    assert response.status_code == 201, response.get_json()
    with demo_app.app_context():
        return db.session.scalar(select(Application.id).order_by(Application.id.desc()).limit(1))


def received_total(demo_app) -> int:
    with demo_app.app_context():
        return table_three([township().id], 2026)["received"]["total"]


def test_a_dismissed_submission_is_erased_filtered_audited_and_never_counted(demo_app, staff):
    spam, real = submitted_online(demo_app), submitted_online(demo_app)
    before = received_total(demo_app)
    reviewer = staff("reviewer")
    assert reviewer.post_form(f"/staff/applications/{real}/receive").status_code == 302
    answer = reviewer.post_form(f"/staff/applications/{spam}/dismiss", {"dismissal": "empty"})
    assert answer.status_code == 302

    with demo_app.app_context():
        application = db.session.get(Application, spam)
        assert application.status == Status.dismissed and application.dismissal == "empty"
        assert application.applicant_name == "" and application.phone == "" and application.erased_at is not None
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "applications.dismissed"))
        assert entry is not None and entry.reason == "无实际内容或测试"
    assert received_total(demo_app) == before + 1          # the confirmed one only

    dismissed = reviewer.get("/staff/applications/?status=dismissed").get_data(as_text=True)
    waiting = reviewer.get("/staff/applications/?status=open").get_data(as_text=True)
    assert f"/staff/applications/{spam}\"" in dismissed and f"/staff/applications/{real}\"" not in dismissed
    assert f"/staff/applications/{spam}\"" not in waiting and f"/staff/applications/{real}\"" in waiting
    detail = html.unescape(reviewer.get(f"/staff/applications/{spam}").get_data(as_text=True))
    assert "已作废：无实际内容或测试" in detail and APPLICANT not in detail
    audit = html.unescape(staff("admin").get("/staff/audit/").get_data(as_text=True))
    assert "作废并删除个人信息" in audit


def test_a_dismissal_needs_a_reason_and_an_unconfirmed_submission(demo_app, staff):
    spam = submitted_online(demo_app)
    reviewer = staff("reviewer")
    missing = reviewer.post_form(f"/staff/applications/{spam}/dismiss", {"dismissal": ""})
    assert missing.status_code == 400 and "请选择作废的理由。" in missing.get_data(as_text=True)

    assert reviewer.post_form(f"/staff/applications/{spam}/receive").status_code == 302
    accepted = reviewer.post_form(f"/staff/applications/{spam}/dismiss", {"dismissal": "duplicate"})
    page = html.unescape(accepted.get_data(as_text=True))
    assert accepted.status_code == 409
    assert "只有尚未确认收到的网上申请可以作废" in page
    with demo_app.app_context():
        assert db.session.get(Application, spam).status == Status.open


def test_the_api_dismisses_and_refuses_in_chinese(demo_app, token_for, staff):
    spam, other = submitted_online(demo_app), submitted_online(demo_app)
    headers = token_for("reviewer")
    client = demo_app.test_client()
    empty = client.post(f"/api/v1/applications/{spam}/dismissal", json={}, headers=headers)
    assert empty.status_code == 400 and empty.get_json()["errors"][0]["label"] == "理由"
    done = client.post(f"/api/v1/applications/{spam}/dismissal", json={"reason": "not_a_request"}, headers=headers)
    assert done.status_code == 200 and done.get_json()["status"] == "dismissed"
    again = client.post(f"/api/v1/applications/{spam}/dismissal", json={"reason": "duplicate"}, headers=headers)
    assert again.status_code == 409 and "只有尚未确认收到的网上申请可以作废" in again.get_json()["message"]
    clerk = client.post(f"/api/v1/applications/{other}/dismissal", json={"reason": "duplicate"},
                        headers=token_for("window1"))
    assert clerk.status_code == 403
    listed = client.get("/api/v1/applications?status=dismissed", headers=headers).get_json()["applications"]
    assert [item["id"] for item in listed] == [spam]
