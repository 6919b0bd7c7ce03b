"""Drafts for comment (预公开): the comment period on the phone page and the screens' state from one
countdown, comments refused at the pinned instant the period closes, and the decision published
with how each kind of comment was handled, on both pages."""
import re

import pytest
from sqlalchemy import select

from kiosk.disclosures.models import Notice
from kiosk.extensions import db
from kiosk.render.slides import comment_left
from kiosk.screens.models import Screen
from kiosk.screens.state import ms, player_state
from tests.disclosures.conftest import approved, clients, draft, frozen, local  # noqa: F401

CLOSES = "2026-11-30T17:00:00"


def text_of(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def visitor(demo_app):
    return demo_app.test_client()


@pytest.fixture
def consultation(approved, frozen):
    """A township plan shown for comment from Monday 23 November 09:00 until 30 November 17:00."""
    frozen("2026-11-23 09:00")
    return approved("editor", category="plans", title="金家镇垃圾分类实施方案（征求意见稿）", pre_disclosure=True,
                    audience="township", villages=None, comment_until=CLOSES, body="拟在各村设置分类投放点。")


def comment(visitor, slug, message="建议投放点离学校远一些", kind="comment"):
    return visitor.post(f"/api/v1/public/notices/{slug}/comments", json={"kind": kind, "message": message})


def test_a_draft_for_comment_needs_the_end_of_its_comment_period(clients):
    response = clients("editor").api("post", "/api/v1/notices", json={
        "category": "plans", "title": "方案（征求意见稿）", "formed_on": "2026-11-20", "audience": "township",
        "pre_disclosure": True})
    assert response.status_code == 400 and response.get_json()["field"] == "comment_until"
    early = clients("editor").api("post", "/api/v1/notices", json={
        "category": "plans", "title": "方案（征求意见稿）", "formed_on": "2026-11-20", "audience": "township",
        "pre_disclosure": True, "comment_until": CLOSES, "show_until": "2026-11-28T17:00:00"})
    assert early.status_code == 400 and early.get_json()["field"] == "show_until"


def test_comments_close_at_the_pinned_instant_the_period_ends(demo_app, visitor, consultation, frozen):
    slug = consultation["slug"]
    page = text_of(visitor.get(f"/n/{slug}"))
    assert "征求意见期" in page and 'data-days-left="8"' in page and 'id="comment-form"' in page
    assert comment(visitor, slug).status_code == 201

    frozen("2026-11-30 16:59")
    page = text_of(visitor.get(f"/n/{slug}"))
    assert 'data-days-left="1"' in page and "今天截止" in page
    assert comment(visitor, slug, "最后一分钟的意见").status_code == 201

    frozen("2026-11-30 17:00")
    refused = comment(visitor, slug, "晚到的意见")
    assert refused.status_code == 409
    assert "2026-11-30 17:00" in refused.get_json()["message"] and "不再" in refused.get_json()["message"]
    page = text_of(visitor.get(f"/n/{slug}"))
    assert 'id="comment-closed"' in page and 'id="comment-form"' not in page
    form_refused = visitor.post(f"/n/{slug}/comments", data={"message": "晚到的意见", "kind": "comment"})
    assert form_refused.status_code in (400, 409)
    with demo_app.app_context():
        assert db.session.get(Notice, consultation["id"]).state.value == "showing"   # still readable


def _slide(state: dict, notice_id: int) -> dict:
    for rotation in state["rotations"]:
        for slide in rotation["slides"]:
            if slide.get("notice_id") == notice_id:
                return slide
    raise AssertionError("the draft is not in the screen's state")


def _screen_comment_days(slide: dict, at_ms: int) -> int | None:
    """What the player shows on a draft's slide: the latest comment countdown step begun (slides.js countdownAt)."""
    begun = [step for step in slide["comment_countdown"] if step[0] <= at_ms]
    return begun[-1][1] if begun else None


@pytest.mark.parametrize("instant, expected", [
    ("2026-11-23 09:00", 8), ("2026-11-29 23:59:59", 2), ("2026-11-30 00:00", 1), ("2026-11-30 16:59", 1),
    ("2026-11-30 17:00", 0)])
def test_the_screen_and_the_phone_count_the_same_days_to_comment(demo_app, visitor, approved, frozen,
                                                                 instant, expected):
    """A village screen's state fetched when the draft appeared (then played offline), the picture an
    image-only board gets and the phone page agree at each instant, the closing one included."""
    frozen("2026-11-23 09:00")
    draft = approved("editor", category="plans", title="村道硬化方案（征求意见稿）", pre_disclosure=True,
                     audience="villages", villages=["lizhuang"], comment_until=CLOSES)
    with demo_app.test_request_context():
        screen = db.session.scalar(select(Screen).where(Screen.name == "李庄村村务公开栏"))
        early = player_state(screen)
    frozen(instant)
    with demo_app.test_request_context():
        slide = _slide(early, draft["id"])
        assert _screen_comment_days(slide, ms(local(instant))) == expected
        drawn = comment_left(slide, local(instant))
        assert (drawn[0] if drawn else 0) == expected and (drawn[1] if drawn else False) == (expected == 1)
    phone = text_of(visitor.get(f"/n/{draft['slug']}"))
    if expected:
        assert re.search(r'id="comment-days-left" data-days-left="(\d+)"', phone).group(1) == str(expected)
    else:
        assert 'id="comment-closed"' in phone and 'id="comment-days-left"' not in phone


def test_the_decision_says_how_each_kind_of_comment_was_handled_on_both_pages(demo_app, visitor, clients,
                                                                              consultation, frozen):
    slug, editor, reviewer = consultation["slug"], clients("editor"), clients("reviewer")
    assert comment(visitor, slug).status_code == 201
    assert comment(visitor, slug, "反对在村口设点", kind="objection").status_code == 201
    started = editor.api("post", f"/api/v1/notices/{consultation['id']}/decision")
    assert started.status_code == 201
    decision = started.json
    assert editor.api("post", f"/api/v1/notices/{consultation['id']}/decision").status_code == 409   # one at a time
    rows = [{"topic": "投放点位置", "count": 1, "outcome": "partly", "reason": "学校附近的投放点移到村委会旁"},
            {"topic": "反对设点", "count": 1, "outcome": "not_adopted", "reason": "分类投放是县里统一要求"}]
    early = editor.api("put", f"/api/v1/notices/{decision['notice_id']}/comment-handling", json={"rows": rows})
    assert early.status_code == 409 and early.json["error"] == "still_open"

    frozen("2026-12-01 09:00")
    no_reason = editor.api("put", f"/api/v1/notices/{decision['notice_id']}/comment-handling",
                           json={"rows": [{**rows[1], "reason": ""}]})
    assert no_reason.status_code == 400
    personal = editor.api("put", f"/api/v1/notices/{decision['notice_id']}/comment-handling",
                          json={"rows": [{**rows[0], "reason": "请联系13812345678"}]})
    assert personal.status_code == 409                                   # the privacy gate: shown in public
    saved = editor.api("put", f"/api/v1/notices/{decision['notice_id']}/comment-handling", json={"rows": rows})
    assert saved.status_code == 200, saved.json
    assert saved.json["received"] == {"total": 2, "objections": 1, "comments": 1}
    assert editor.api("post", f"/api/v1/notices/{decision['notice_id']}/submit", json={}).status_code == 200
    assert editor.api("put", f"/api/v1/notices/{decision['notice_id']}/comment-handling",
                      json={"rows": rows[:1]}).status_code == 409          # fixed once submitted
    approved_decision = reviewer.api("post", f"/api/v1/notices/{decision['notice_id']}/approve", json={})
    assert approved_decision.status_code == 200

    for page_slug in (slug, decision["slug"]):
        page = text_of(visitor.get(f"/n/{page_slug}"))
        assert 'id="comment-handling"' in page
        assert "共收到意见2条（异议1条，意见建议1条）" in page
        assert "部分采纳" in page and "未采纳" in page and "分类投放是县里统一要求" in page
    staff_page = text_of(editor.get(f"/staff/consultation/{consultation['id']}"))
    assert "投放点位置" in staff_page and 'id="decision-link"' in staff_page


def test_the_staff_page_starts_the_decision_and_keeps_what_was_typed(demo_app, clients, consultation, frozen):
    editor = clients("editor")
    page = editor.get(f"/staff/consultation/{consultation['id']}")
    assert page.status_code == 200 and 'id="start-decision"' in text_of(page)
    edit_page = text_of(editor.get(f"/staff/notices/{consultation['id']}"))
    assert f'href="/staff/consultation/{consultation["id"]}"' in edit_page and 'name="comment_until"' in edit_page
    started = editor.post_form(f"/staff/consultation/{consultation['id']}/decision")
    assert started.status_code == 302 and "/staff/notices/" in started.headers["Location"]
    frozen("2026-12-01 09:00")
    refused = editor.post_form(f"/staff/consultation/{consultation['id']}/handling", data={
        "topic_1": "投放点位置", "count_1": "3", "outcome_1": "not_adopted", "reason_1": ""})
    assert refused.status_code == 400 and 'value="投放点位置"' in text_of(refused)
    assert editor.post_form(f"/staff/consultation/{consultation['id']}/handling", data={
        "topic_1": "投放点位置", "count_1": "3", "outcome_1": "adopted", "reason_1": ""}).status_code == 302
    assert clients("window1").get(f"/staff/consultation/{consultation['id']}").status_code == 403
