"""Each lifecycle transition, and each forbidden one, through the API."""
import re

from sqlalchemy import select

from kiosk.accounts.models import Role
from kiosk.accounts.operations import create_user
from kiosk.audit.models import AuditEntry
from kiosk.extensions import db
from kiosk.org.models import Unit


def public_version(app, notice_id, unit="lizhuang"):
    """The notice as lizhuang's screens get it."""
    notices = app.test_client().get(f"/api/v1/public/notices?unit={unit}").get_json()["notices"]
    return next(n for n in notices if n["id"] == notice_id)


def test_draft_submit_approve_shows_at_once(clients, draft):
    notice = draft()
    assert notice["state"] == "draft" and notice["index_number"] is None
    assert notice["unit"] == "lizhuang" and notice["villages"] == ["lizhuang"]
    lizhuang = clients("lizhuang")
    submitted = lizhuang.api("post", f"/api/v1/notices/{notice['id']}/submit", json={}).get_json()
    assert submitted["state"] == "submitted"
    approved = clients("reviewer").api("post", f"/api/v1/notices/{notice['id']}/approve", json={}).get_json()
    assert approved["state"] == "showing"
    assert re.fullmatch(r"lizhuang-20\d\d-\d{5}", approved["index_number"])
    assert approved["versions"][0]["approved_by"] == "分管副镇长 陈建国"


def test_index_numbers_count_per_unit(approved):
    first, second = approved(), approved()
    township = approved("editor", audience="township", villages=None, category="budgets", title="2026年预算")
    assert first["index_number"][:-5] == second["index_number"][:-5]
    assert int(second["index_number"][-5:]) == int(first["index_number"][-5:]) + 1
    assert re.fullmatch(r"jinjia-20\d\d-\d{5}", township["index_number"])


def test_future_start_is_scheduled(approved):
    notice = approved(show_from="2099-01-01T08:00:00")
    assert notice["state"] == "scheduled"


def test_return_with_reason_then_resubmit(clients, draft):
    notice = draft()
    lizhuang, reviewer = clients("lizhuang"), clients("reviewer")
    lizhuang.api("post", f"/api/v1/notices/{notice['id']}/submit", json={})
    no_reason = reviewer.api("post", f"/api/v1/notices/{notice['id']}/return", json={"reason": ""})
    assert no_reason.status_code == 400
    returned = reviewer.api("post", f"/api/v1/notices/{notice['id']}/return", json={"reason": "金额合计有误"}).get_json()
    assert returned["state"] == "returned" and returned["return_reason"] == "金额合计有误"
    again = lizhuang.api("post", f"/api/v1/notices/{notice['id']}/submit", json={}).get_json()
    assert again["state"] == "submitted" and len(again["versions"]) == 2


def test_approving_a_draft_that_was_not_submitted_conflicts(clients, draft):
    notice = draft()
    response = clients("reviewer").api("post", f"/api/v1/notices/{notice['id']}/approve", json={})
    assert response.status_code == 409


def test_withdraw_needs_a_reason_and_is_audited(demo_app, clients, approved):
    notice = approved()
    lizhuang = clients("lizhuang")
    assert lizhuang.api("post", f"/api/v1/notices/{notice['id']}/withdraw", json={"reason": ""}).status_code == 400
    withdrawn = lizhuang.api("post", f"/api/v1/notices/{notice['id']}/withdraw", json={"reason": "内容有误，重新公布"})
    assert withdrawn.get_json()["state"] == "withdrawn"
    assert lizhuang.api("patch", f"/api/v1/notices/{notice['id']}", json={"title": "x"}).status_code == 409
    archived = lizhuang.api("post", f"/api/v1/notices/{notice['id']}/archive").get_json()
    assert archived["state"] == "archived"
    with demo_app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "notice.withdraw",
                                                            AuditEntry.object_id == str(notice["id"])))
        assert entry.reason == "内容有误，重新公布" and entry.actor_name == "lizhuang"


def test_edit_of_approved_notice_goes_back_to_review_public_keeps_old(demo_app, clients, approved):
    notice = approved()
    lizhuang, reviewer = clients("lizhuang"), clients("reviewer")
    edited = lizhuang.api("patch", f"/api/v1/notices/{notice['id']}", json={"summary": "更正：道路维修12,500元"})
    assert edited.get_json()["state"] == "showing" and edited.get_json()["revision_state"] == "draft"
    assert public_version(demo_app, notice["id"])["summary"] == "10月收支明细"
    lizhuang.api("post", f"/api/v1/notices/{notice['id']}/submit", json={})
    assert public_version(demo_app, notice["id"])["summary"] == "10月收支明细"
    corrected = reviewer.api("post", f"/api/v1/notices/{notice['id']}/approve", json={}).get_json()
    assert corrected["revision_state"] is None and corrected["corrected_at"]
    assert [v["is_correction"] for v in corrected["versions"]] == [False, True]
    shown = public_version(demo_app, notice["id"])
    assert shown["summary"] == "更正：道路维修12,500元" and shown["corrected_at"]


def test_wrong_role_cannot_draft_or_approve(clients, draft):
    assert clients("window1").api("post", "/api/v1/notices", json={"title": "x"}).status_code == 403
    notice = draft()
    clients("lizhuang").api("post", f"/api/v1/notices/{notice['id']}/submit", json={})
    # An editor is no reviewer, even of the township above.
    assert clients("editor").api("post", f"/api/v1/notices/{notice['id']}/approve", json={}).status_code == 403


def test_wrong_unit_cannot_see_edit_or_review(demo_app, clients, draft):
    notice = draft()
    wangjia = clients("wangjia")
    assert wangjia.api("get", f"/api/v1/notices/{notice['id']}").status_code == 404
    assert wangjia.api("patch", f"/api/v1/notices/{notice['id']}", json={"title": "x"}).status_code == 404
    assert wangjia.api("post", "/api/v1/notices", json={
        "category": "village_finances", "title": "x", "formed_on": "2026-11-01", "audience": "villages",
        "villages": ["lizhuang"]}).status_code == 400
    with demo_app.app_context():
        village = db.session.scalar(select(Unit).where(Unit.code == "wangjia"))
        create_user("wangjia-reviewer", "jinjia-demo", {Role.reviewer}, village, "王家村 审核", demo=True)
        db.session.commit()
    clients("lizhuang").api("post", f"/api/v1/notices/{notice['id']}/submit", json={})
    assert clients("wangjia-reviewer").api("post", f"/api/v1/notices/{notice['id']}/approve",
                                           json={}).status_code == 404


def test_reviewer_never_approves_own_draft(demo_app, staff):
    with demo_app.app_context():
        township = db.session.scalar(select(Unit).where(Unit.code == "jinjia"))
        create_user("both", "jinjia-demo", {Role.editor, Role.reviewer}, township, "编辑兼审核", demo=True)
        db.session.commit()
    both = staff("both")
    notice = both.api("post", "/api/v1/notices", json={
        "category": "budgets", "title": "2026年预算", "formed_on": "2026-11-01", "audience": "township"}).get_json()
    both.api("post", f"/api/v1/notices/{notice['id']}/submit", json={})
    own = both.api("post", f"/api/v1/notices/{notice['id']}/approve", json={})
    assert own.status_code == 403
    assert both.api("post", f"/api/v1/notices/{notice['id']}/return", json={"reason": "自己退回"}).status_code == 403


def test_pre_disclosure_superseded_by_final_decision(clients, approved):
    draft_decision = approved("editor", audience="township", villages=None, category="village_decisions",
                              title="关于村道硬化的决定（征求意见稿）", pre_disclosure=True,
                              comment_until="2026-12-07T17:00:00")
    final = approved("editor", audience="township", villages=None, category="village_decisions",
                     title="关于村道硬化的决定", supersedes=draft_decision["slug"])
    assert final["supersedes"] == draft_decision["slug"]
    assert clients("editor").api("get", f"/api/v1/notices/{draft_decision['id']}").get_json()["state"] == "expired"


def test_every_operation_is_in_openapi(demo_app):
    spec = demo_app.test_client().get("/api/v1/openapi.json").get_json()
    ids = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {"createNotice", "updateNotice", "getNotice", "listNotices", "submitNotice", "approveNotice",
            "returnNotice", "withdrawNotice", "listPublicNotices", "uploadAttachment"} <= ids
