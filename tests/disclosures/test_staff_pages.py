"""Staff pages: forms with in-place errors, the review queue, timeliness, categories, holidays,
and the live preview in a real browser."""
import os

import pytest


SCREENSHOTS = os.environ.get("KIOSK_SCREENSHOTS")  # a folder to keep screenshots in, when set


def test_new_notice_form_shows_errors_in_place_and_saves(clients):
    editor = clients("editor")
    page = editor.get("/staff/notices/new")
    assert page.status_code == 200
    bad = editor.post_form("/staff/notices/new", {"category": "dibao", "title": "低保公示", "formed_on": "2026-11-02",
                                                  "audience": "villages", "villages": ["lizhuang"],
                                                  "period_length": "3", "period_unit": "calendar_days"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400 and 'data-error-for="period_length"' in html and 'value="低保公示"' in html
    good = editor.post_form("/staff/notices/new", {"category": "dibao", "title": "低保公示", "formed_on": "2026-11-02",
                                                   "audience": "villages", "villages": ["lizhuang", "wangjia"]})
    assert good.status_code == 302 and "/staff/notices/" in good.headers["Location"]


def test_form_without_csrf_is_refused(demo_app, clients):
    editor = clients("editor")
    response = editor.http.post("/staff/notices/new", data={"title": "x"})
    assert response.status_code == 400


def test_review_queue_and_actions_through_pages(clients, draft):
    notice = draft()
    lizhuang, reviewer = clients("lizhuang"), clients("reviewer")
    assert lizhuang.post_form(f"/staff/notices/{notice['id']}/submit").status_code == 302
    queue = reviewer.get("/staff/notices/?review=1").get_data(as_text=True)
    assert notice["title"] in queue
    empty_reason = reviewer.post_form(f"/staff/notices/{notice['id']}/return", {"reason": ""})
    assert empty_reason.status_code == 400 and 'data-error-for="action_return"' in empty_reason.get_data(as_text=True)
    assert reviewer.post_form(f"/staff/notices/{notice['id']}/approve").status_code == 302
    assert "showing" in reviewer.api("get", f"/api/v1/notices/{notice['id']}").get_json()["state"]
    assert lizhuang.post_form(f"/staff/notices/{notice['id']}/approve").status_code == 403


def test_timeliness_page_lists_slow_notices_and_leaves_villages_to_the_list(clients, approved):
    slow = approved(formed_on="2026-01-05")
    quick = approved(formed_on=None)
    page = clients("editor").get("/staff/notices/timeliness").get_data(as_text=True)
    assert f'data-late="{slow["id"]}"' in page and f'data-late="{quick["id"]}"' not in page
    assert "/staff/villages/" in page   # what each village owes is the village disclosure list's


def test_categories_are_data_administrators_extend(clients):
    admin = clients("admin")
    created = admin.post_form("/staff/notices/categories", {
        "code": "village_elections", "name": "村委会选举", "group": "village_affairs", "colour": "#123456",
        "icon": "ballot", "min_period_length": "5", "min_period_unit": "calendar_days", "active": "on"})
    assert created.status_code == 302
    assert "village_elections" in {c["code"] for c in admin.api("get", "/api/v1/categories").get_json()["categories"]}
    bad = admin.post_form("/staff/notices/categories", {"code": "Bad Code", "name": "x", "group": "art20"})
    assert bad.status_code == 400
    assert clients("editor").api("post", "/api/v1/categories", json={
        "code": "x_y", "name": "x", "group": "art20"}).status_code == 403


def test_holiday_page(clients):
    admin = clients("admin")
    page = admin.get("/staff/holidays/?year=2026").get_data(as_text=True)
    assert "国庆节" in page and "国庆节调休" in page
    assert admin.post_form("/staff/holidays/", {"day": "2027-02-06", "kind": "holiday", "name": "春节"}).status_code == 302
    assert admin.post_form("/staff/holidays/", {"day": "not a day", "kind": "holiday"}).status_code == 400
    assert clients("editor").post_form("/staff/holidays/", {"day": "2027-02-06", "kind": "holiday"}).status_code == 403


def test_dashboard_flags_stale_notices(clients):
    page = clients("editor").get("/staff/").get_data(as_text=True)
    assert "冬季森林防火预警" in page   # the demo's emergency notice has shown for 40 days, limit 30


@pytest.mark.browser
def test_edit_preview_shows_sanitised_content(demo_app, live_server, page, draft):
    notice = draft(body="**加粗**\n\n<img src=x onerror=\"window.__xss=1\">\n\n[链接](javascript:window.__xss=1)",
                   title="预览<script>window.__xss=1</script>")
    server = live_server(demo_app)
    page.goto(f"{server.url}/staff/login")
    page.fill("input[name=username]", "lizhuang")
    page.fill("input[name=password]", "jinjia-demo")
    page.click("button[type=submit]")
    page.goto(f"{server.url}/staff/notices/{notice['id']}")
    page.wait_for_selector("#preview-body strong")
    page.fill("textarea[name=body]", "- 第一项\n- 第二项\n\n<svg onload=\"window.__xss=1\"></svg><b onmouseover=x>粗</b>")
    page.wait_for_selector("#preview-body li")
    assert page.locator("#preview-body li").all_inner_texts() == ["第一项", "第二项"]
    assert page.locator("#preview-body svg, #preview-body img, #preview-body script, #preview-body [onmouseover]").count() == 0
    assert page.inner_text("#preview-title") == "预览<script>window.__xss=1</script>"
    assert page.evaluate("window.__xss") is None
    if SCREENSHOTS:
        page.set_viewport_size({"width": 1280, "height": 1400})
        page.screenshot(path=os.path.join(SCREENSHOTS, "edit.png"), full_page=True)


