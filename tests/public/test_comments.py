"""Comments and objections during a publicity period: held for moderation, answered and published
by the staff of the notice's units, rate-limited, refused when closed; the phone never public."""
import pytest
from sqlalchemy import select

from kiosk.audit.models import AuditEntry
from kiosk.extensions import db, socketio
from kiosk.public.models import Comment
from tests.conftest import csrf_from

PHONE = "13912345678"


def send_form(visitor, slug, **fields):
    """Fill in the form as a phone does: load the page (session + CSRF token), then post."""
    page = visitor.get(f"/n/{slug}").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "kind": "objection", "message": "名单中有一户不符合条件，请核实。",
            "name": "王建军", "phone": PHONE}
    data.update(fields)
    return visitor.post(f"/n/{slug}/comments", data=data)


def comments_in(app, notice) -> list[Comment]:
    with app.app_context():
        return list(db.session.scalars(select(Comment).where(Comment.notice_id == notice["id"]).order_by(Comment.id)))


def test_comment_is_held_answered_then_public_without_the_phone(demo_app, visitor, clients, low_income_list):
    notice = low_income_list()
    sent = send_form(visitor, notice["slug"])
    assert sent.status_code == 303 and sent.headers["Location"].endswith(f"/n/{notice['slug']}?sent=1#comments")
    page = visitor.get(f"/n/{notice['slug']}?sent=1").get_data(as_text=True)
    assert "您的留言已收到" in page and "不符合条件" not in page           # held for moderation
    editor = clients("editor")
    staff_page = editor.get("/staff/public/comments").get_data(as_text=True)
    assert "不符合条件" in staff_page and PHONE in staff_page and "王建军" in staff_page
    [comment] = editor.api("get", f"/api/v1/comments?pending=true&notice_id={notice['id']}").get_json()["comments"]
    assert comment["phone"] == PHONE and comment["kind"] == "objection" and comment["public"] is False
    answered = editor.post_form(f"/staff/public/comments/{comment['id']}",
                                {"answer": "经核查，该户符合条件。如有疑问请拨打13800138000。", "public": "on"})
    assert answered.status_code == 302
    page = visitor.get(f"/n/{notice['slug']}").get_data(as_text=True)
    assert "不符合条件" in page and "经核查，该户符合条件" in page and "异议" in page
    assert "王**" in page and "王建军" not in page
    assert PHONE not in page and "13800138000" not in page and "138****8000" in page   # numbers in text masked
    assert editor.api("get", f"/api/v1/comments?pending=true&notice_id={notice['id']}").get_json()["comments"] == []
    with demo_app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "comment.answer")
                                  .order_by(AuditEntry.id.desc()).limit(1))
        assert entry.actor_name == "editor" and entry.after["public"] is True


def test_staff_may_unpublish_and_must_answer_before_publishing(visitor, clients, low_income_list):
    notice = low_income_list()
    created = visitor.post(f"/api/v1/public/notices/{notice['slug']}/comments", json={"message": "请公开评议记录"})
    assert created.status_code == 201 and created.get_json()["status"] == "held"
    comment_id = created.get_json()["id"]
    reviewer = clients("reviewer")
    refused = reviewer.api("post", f"/api/v1/comments/{comment_id}/answer", json={"answer": "", "public": True})
    assert refused.status_code == 400 and refused.get_json()["field"] == "answer"
    form = reviewer.post_form(f"/staff/public/comments/{comment_id}", {"answer": "", "public": "on"})
    assert form.status_code == 400 and "请先填写答复" in form.get_data(as_text=True)
    published = reviewer.api("post", f"/api/v1/comments/{comment_id}/answer",
                             json={"answer": "评议记录已张贴在村公开栏", "public": True}).get_json()
    assert published["public"] and published["answered_by"] == "分管副镇长 陈建国"
    assert "评议记录已张贴" in visitor.get(f"/n/{notice['slug']}").get_data(as_text=True)
    reviewer.api("post", f"/api/v1/comments/{comment_id}/answer", json={"answer": "评议记录已张贴在村公开栏",
                                                                         "public": False})
    assert "评议记录已张贴" not in visitor.get(f"/n/{notice['slug']}").get_data(as_text=True)


def test_only_staff_of_the_notices_units_see_and_answer(visitor, clients, approved):
    notice = approved(category="dibao", title="李庄村低保公示")            # published by 李庄村 itself
    comment_id = visitor.post(f"/api/v1/public/notices/{notice['slug']}/comments",
                              json={"message": "意见", "phone": PHONE}).get_json()["id"]
    mine = f"/api/v1/comments?notice_id={notice['id']}"
    assert len(clients("lizhuang").api("get", mine).get_json()["comments"]) == 1
    assert len(clients("editor").api("get", mine).get_json()["comments"]) == 1               # the township
    wangjia = clients("wangjia")
    assert wangjia.api("get", mine).get_json()["comments"] == []
    assert PHONE not in wangjia.get("/staff/public/comments").get_data(as_text=True)
    assert wangjia.api("post", f"/api/v1/comments/{comment_id}/answer", json={"answer": "x"}).status_code == 404
    assert clients("window1").api("get", "/api/v1/comments").status_code == 403
    assert clients("window1").get("/staff/public/comments").status_code == 403
    assert visitor.get("/api/v1/comments").status_code == 401


def test_form_errors_are_shown_in_place_and_nothing_is_kept(demo_app, visitor, low_income_list):
    notice = low_income_list()
    empty = send_form(visitor, notice["slug"], message="  ")
    assert empty.status_code == 400 and "请填写留言内容" in empty.get_data(as_text=True)
    bad_phone = send_form(visitor, notice["slug"], phone="call me <b>")
    assert bad_phone.status_code == 400 and "电话号码请只填数字" in bad_phone.get_data(as_text=True)
    assert "名单中有一户不符合条件" in bad_phone.get_data(as_text=True)        # what was typed is kept
    too_long = visitor.post(f"/api/v1/public/notices/{notice['slug']}/comments", json={"message": "长" * 1001})
    assert too_long.status_code == 400
    no_token = visitor.post(f"/n/{notice['slug']}/comments", data={"message": "没有令牌"})
    assert no_token.status_code == 400
    assert comments_in(demo_app, notice) == []


def test_closed_notices_take_no_comments(demo_app, visitor, approved, frozen, low_income_list):
    finances = approved()              # no publicity period at all: a village notice takes questions (质询) only
    page = visitor.get(f"/n/{finances['slug']}").get_data(as_text=True)
    assert 'value="objection"' not in page and 'value="comment"' not in page and 'value="question"' in page
    refused = visitor.post(f"/api/v1/public/notices/{finances['slug']}/comments", json={"message": "意见"})
    assert refused.status_code == 409 and refused.get_json()["error"] == "closed"
    assert "不在公示期内" in refused.get_json()["message"]
    frozen("2026-11-03 09:00")
    listed = low_income_list()
    frozen("2026-11-10 08:00")                                              # day 8
    assert visitor.post(f"/api/v1/public/notices/{listed['slug']}/comments",
                        json={"message": "意见"}).status_code == 409
    form = visitor.post(f"/n/{listed['slug']}/comments", data={"message": "意见"})
    assert form.status_code in (400, 409) and comments_in(demo_app, listed) == []
    fresh = demo_app.test_client()         # (the visitor now has a session cookie, so the API wants its token)
    assert fresh.post("/api/v1/public/notices/nosuchxx/comments", json={"message": "意见"}).status_code == 404


def test_rate_limit_per_address(demo_app, visitor, low_income_list):
    """The form and the API share one budget per address (a phone and a script on the same line)."""
    demo_app.config["KIOSK_COMMENT_LIMIT"] = "2 per hour"
    notice = low_income_list()
    url = f"/api/v1/public/notices/{notice['slug']}/comments"
    script = demo_app.test_client()                                         # no cookie: no CSRF token needed
    assert script.post(url, json={"message": ""}).status_code == 400        # a mistake does not count
    assert send_form(visitor, notice["slug"]).status_code == 303
    assert script.post(url, json={"message": "第二条"}).status_code == 201
    limited = script.post(url, json={"message": "第三条"})
    assert limited.status_code == 429 and limited.get_json()["error"] == "rate_limited"
    page = send_form(visitor, notice["slug"])
    assert page.status_code == 429 and "您一小时内已提交多条留言" in page.get_data(as_text=True)
    assert "12345" in page.get_data(as_text=True)                          # with the channels to use instead
    elsewhere = demo_app.test_client()
    assert elsewhere.post(url, json={"message": "别处"}, environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 201
    assert len(comments_in(demo_app, notice)) == 3


def test_staff_pages_hear_of_a_new_comment(demo_app, visitor, clients, low_income_list):
    notice = low_income_list()
    township_editor = socketio.test_client(demo_app, namespace="/staff", flask_test_client=clients("editor").http)
    assert township_editor.is_connected("/staff")
    visitor.post(f"/api/v1/public/notices/{notice['slug']}/comments", json={"message": "意见", "phone": PHONE})
    received = [m for m in township_editor.get_received("/staff") if m["name"] == "comment.created"]
    assert len(received) == 1
    event = received[0]["args"][0]
    assert event["notice_id"] == notice["id"] and event["title"] == notice["title"]
    assert PHONE not in str(event)


@pytest.mark.keeps_demo
def test_demo_objection_and_the_dashboard(demo_app, visitor, clients, low_income_list):
    with demo_app.app_context():
        demo = db.session.scalar(select(Comment))
        slug = demo.notice.slug
    page = visitor.get(f"/n/{slug}").get_data(as_text=True)
    assert "是否符合低保条件" in page and "王**" in page and PHONE not in page and "王建军" not in page
    notice = low_income_list()
    sent = demo_app.test_client().post(f"/api/v1/public/notices/{notice['slug']}/comments",
                                       json={"message": "请核实第二户"})
    assert sent.status_code == 201
    dashboard = clients("editor").get("/staff/").get_data(as_text=True)
    assert "1 条群众留言待答复" in dashboard and notice["title"] in dashboard
    assert "群众留言待答复" not in clients("screens").get("/staff/").get_data(as_text=True)


def test_operations_are_described(visitor):
    spec = visitor.get("/api/v1/openapi.json").get_json()
    create = spec["paths"]["/public/notices/{slug}/comments"]["post"]
    assert create["operationId"] == "createComment" and "security" not in create and "409" in create["responses"]
    listing = spec["paths"]["/comments"]["get"]
    answer = spec["paths"]["/comments/{comment_id}/answer"]["post"]
    assert (listing["operationId"], answer["operationId"]) == ("listComments", "answerComment")
    assert "security" in listing and "security" in answer


def test_an_unknown_kind_is_taken_as_a_comment(demo_app, visitor, low_income_list):
    notice = low_income_list()
    assert send_form(visitor, notice["slug"], kind="<script>").status_code == 303
    assert [comment.kind.value for comment in comments_in(demo_app, notice)] == ["comment"]


def test_staff_page_for_one_notice(demo_app, clients, low_income_list, approved):
    first, second = low_income_list(), low_income_list(title="第二份低保名单")
    script = demo_app.test_client()
    for notice, message in ((first, "对第一份的意见"), (second, "对第二份的意见")):
        assert script.post(f"/api/v1/public/notices/{notice['slug']}/comments",
                           json={"message": message}).status_code == 201
    page = clients("editor").get(f"/staff/public/comments?notice={second['id']}").get_data(as_text=True)
    assert "对第二份的意见" in page and "对第一份的意见" not in page
    assert f"notice={second['id']}" in page.split("显示全部", 1)[0].rsplit("<a", 1)[1]   # "show all" keeps the notice
