"""Each staff role walks its main page flow in Chromium with one mistake (an empty field, a bad
value, a refused upload): the message names the field in Chinese and nothing typed is lost.
One browser, one page per role, kept short."""
import os
from pathlib import Path

import pytest


SCREENSHOTS = os.environ.get("KIOSK_SCREENSHOTS")


@pytest.fixture
def signed_in(demo_app, live_server, page):
    """signed_in(username) → the page, logged in on a live server (one server per test)."""
    server = live_server(demo_app)

    def login(username):
        page.goto(f"{server.url}/staff/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "jinjia-demo")
        page.click("button[type=submit]")
        page.wait_for_url(f"{server.url}/staff/")
        page.base = server.url
        return page
    return login


def test_editor_drafts_a_notice_and_an_empty_title_keeps_the_text(signed_in):
    page = signed_in("editor")
    page.goto(f"{page.base}/staff/notices/new")
    page.fill("textarea[name=summary]", "第四季度低保对象名单")
    page.fill("textarea[name=body]", "| 户主 | 人口 |\n|---|---|\n| 张** | 3 |")
    page.click("#notice-form button.primary")
    assert page.inner_text('[data-error-for="title"]') == "必须填写。"
    assert page.input_value("textarea[name=summary]") == "第四季度低保对象名单"
    assert "张**" in page.input_value("textarea[name=body]")
    page.fill("input[name=title]", "2026年第四季度低保对象名单公示")
    page.click("#notice-form button.primary")
    page.wait_for_selector("text=草稿已保存")
    assert page.input_value("input[name=title]") == "2026年第四季度低保对象名单公示"


def test_village_clerk_changes_the_title_and_a_refused_upload_keeps_it(signed_in, draft, tmp_path):
    notice = draft("lizhuang")
    page = signed_in("lizhuang")
    page.goto(f"{page.base}/staff/notices/{notice['id']}")
    assert page.is_checked('input[name="villages"][value="lizhuang"]')
    page.fill("input[name=title]", "李庄村10月财务收支公开（附明细账）")
    bad = Path(tmp_path) / "明细账.pdf"
    bad.write_bytes(b"MZ this is not a PDF")
    page.set_input_files("input[name=file]", str(bad))
    page.click("#attachments button[formaction]")
    assert page.inner_text('[data-error-for="file"]')           # the refusal, beside the file field
    assert page.input_value("input[name=title]") == "李庄村10月财务收支公开（附明细账）"
    page.goto(f"{page.base}/staff/notices/{notice['id']}")      # and it was saved before the upload
    assert page.input_value("input[name=title]") == "李庄村10月财务收支公开（附明细账）"


def test_reviewer_reads_a_correction_side_by_side_and_a_short_reason_is_kept(signed_in, approved, clients):
    notice = approved("lizhuang", body="| 项目 | 金额 |\n|---|---|\n| 道路维修 | 12,000.00 |")
    clerk = clients("lizhuang")
    clerk.api("patch", f"/api/v1/notices/{notice['id']}",
              json={"body": "| 项目 | 金额 |\n|---|---|\n| 道路维修 | 21,000.00 |"})
    clerk.api("post", f"/api/v1/notices/{notice['id']}/submit", json={})
    page = signed_in("reviewer")
    page.goto(f"{page.base}/staff/notices/{notice['id']}")
    page.wait_for_selector("#changes")
    assert page.locator('#changes tr[data-field="body"] del').count() >= 1
    assert page.locator("#notice-form, input[type=file]").count() == 0      # read-only: nothing to lose
    if SCREENSHOTS:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=os.path.join(SCREENSHOTS, "review-correction.png"), full_page=True)
    page.fill("textarea[name=reason]", "否")
    page.click("#actions form:nth-of-type(2) button")
    assert page.inner_text('[data-error-for="action_return"]')
    assert page.input_value("textarea[name=reason]") == "否"
    page.click("#actions form:nth-of-type(1) button")
    page.wait_for_selector("text=已审核通过")


def test_screen_manager_saves_a_rotation_after_a_too_short_slide(signed_in):
    page = signed_in("screens")
    page.goto(f"{page.base}/staff/screens/rotations/new")
    page.fill("input[name=name]", "村务公开栏 周末轮播")
    page.fill("#slides li:first-child input[name=duration]", "1")
    page.check('#slides li:first-child input[name="categories"][value="dibao"]')
    page.click("#rotation button[type=submit]")
    page.wait_for_selector("#errors li")
    assert page.locator("#errors li").all_inner_texts() == ["页面 1 · 每页秒数：不能小于3。"]
    assert page.inner_text("#slides li:first-child .field-error") == "不能小于3。"
    assert page.input_value("input[name=name]") == "村务公开栏 周末轮播"
    assert page.is_checked('#slides li:first-child input[name="categories"][value="dibao"]')
    # notices are found by title, not typed as numbers
    page.fill("#slides li:first-child input[name=notice_search]", "财务收支")
    shown = page.locator("#slides li:first-child [data-field=notice_ids] label:visible").all_inner_texts()
    assert shown and all("财务收支" in text for text in shown)
    page.fill("#slides li:first-child input[name=duration]", "20")
    page.click("#rotation button[type=submit]")
    page.wait_for_url(f"{page.base}/staff/screens/rotations/")
    assert "村务公开栏 周末轮播" in page.inner_text("#rotations")


def test_window_clerk_calls_and_a_transfer_to_the_same_service_is_refused_by_name(signed_in, clients, monday_morning):
    from tests.queue.conftest import issue
    issue(clients("window1"), "A")
    page = signed_in("window1")
    page.goto(f"{page.base}/queue/windows/1")
    page.click("button[data-action=call-next]")
    page.wait_for_function("document.getElementById('current-code').textContent === 'A001'")
    page.select_option("#transfer-to", "A")
    page.click("button[data-action=transfer]")
    page.wait_for_selector("#message.bad")
    assert "社会保险" in page.inner_text("#message") or "已经" in page.inner_text("#message")
    assert page.inner_text("#current-code") == "A001"


def test_administrator_adds_a_category_and_a_bad_code_keeps_the_form(signed_in):
    page = signed_in("admin")
    page.goto(f"{page.base}/staff/notices/categories")
    page.fill("input[name=code]", "Bad Code")
    page.fill("input[name=name]", "农村危房改造")
    page.select_option("select[name=group]", "art21")
    page.fill("input[name=min_period_length]", "0")
    page.click("form.notice-form button.primary")
    assert page.inner_text('[data-error-for="code"]') == "格式不对。"
    assert page.inner_text('[data-error-for="min_period_length"]') == "不能小于1。"
    assert page.input_value("input[name=name]") == "农村危房改造"
    assert page.input_value("select[name=group]") == "art21"
    page.fill("input[name=code]", "housing_repair")
    page.fill("input[name=min_period_length]", "")
    page.click("form.notice-form button.primary")
    page.wait_for_selector("text=农村危房改造")
    assert page.locator('[data-error-for]').count() == 0
