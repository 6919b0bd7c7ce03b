"""In real Chromium: known script-injection payloads put through every field a visitor or an
editor fills in never run on the catalogue, the notice page, the staff comment page or the
screens' JSON feed, and show as plain text; and a notice page at phone size."""
import os
import shutil

import pytest

from tests.disclosures.test_uploads import png_bytes, upload

PAYLOADS = [
    "<script>alert(1)</script>",
    "<script>window.__xss=1</script>",
    "<img src=x onerror=alert(1)>",
    '<img src=x onerror="window.__xss=1">',
    "<svg onload=alert(1)>",
    "<svg/onload=window.__xss=1>",
    '"><script>window.__xss=1</script>',
    "'><img src=x onerror=window.__xss=1>",
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    '<a href="jAvAsCrIpT:window.__xss=1">点我</a>',
    "[点我](javascript:window.__xss=1)",
    "[点我](JaVaScRiPt:alert(1))",
    "[编码](&#106;avascript:window.__xss=1)",
    "![图](x\" onerror=\"window.__xss=1)",
    "&lt;script&gt;window.__xss=1&lt;/script&gt;",
    "&#60;img src=x onerror=window.__xss=1&#62;",
    "</title><script>window.__xss=1</script>",
    "</textarea><script>window.__xss=1</script>",
    "<details open ontoggle=window.__xss=1>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    "{{7*7}}",
    "{% raw %}{{ config }}",
]
FILE_NAMES = ['<img src=x onerror=window.__xss=1>.png', "'><svg onload=alert(1)>{{7*7}}.png"]
# Anything that could run script: event handlers, script URLs, frames, embedded SVG/MathML, <base>.
DANGEROUS_ELEMENTS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (['iframe', 'frame', 'object', 'embed', 'svg', 'math', 'details', 'base', 'meta'].includes(tag)
        && !(tag === 'meta' && !el.hasAttribute('http-equiv'))) found.push(tag);
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) found.push(tag + '[' + attr.name + ']');
      if (['href', 'src', 'action', 'formaction', 'srcdoc', 'data', 'xlink:href'].includes(attr.name)
          && /^\\s*(javascript|vbscript|data):/i.test(attr.value)) found.push(tag + '[' + attr.name + ']');
    }
  }
  return found;
}"""
SCRIPTS = "() => [...document.scripts].map(s => s.type === 'application/json' ? 'json' : (s.getAttribute('src') || 'inline'))"


@pytest.fixture
def poisoned(demo_app, clients, approved, draft, low_income_list, run_checks):
    """A notice per payload (title, summary and body) and one under publicity carrying every
    payload, attachments named with payloads and comments answered in public with them."""
    demo_app.config["KIOSK_COMMENT_LIMIT"] = "50 per hour"
    singles = [approved(title=payload, summary=payload, body=payload) for payload in PAYLOADS]
    listed = draft("editor", category="dibao", title="低保名单" + PAYLOADS[3], summary=PAYLOADS[6],
                   body="\n\n".join(PAYLOADS), audience="villages", villages=["lizhuang"])
    editor = clients("editor")
    for name in FILE_NAMES:
        assert upload(editor, listed["id"], png_bytes(), name).status_code == 201
    run_checks()     # the pictures' privacy check (OCR), which the scheduler runs in the background
    editor.api("post", f"/api/v1/notices/{listed['id']}/submit", json={})
    assert clients("reviewer").api("post", f"/api/v1/notices/{listed['id']}/approve", json={}).status_code == 200
    script = demo_app.test_client()
    for payload in PAYLOADS[:6]:
        created = script.post(f"/api/v1/public/notices/{listed['slug']}/comments",
                              json={"message": payload, "name": payload[:40]})
        assert created.status_code == 201, created.get_json()
        assert editor.api("post", f"/api/v1/comments/{created.get_json()['id']}/answer",
                          json={"answer": PAYLOADS[-1 - PAYLOADS.index(payload)], "public": True}).status_code == 200
    return {"singles": singles, "listed": listed}


def watch(page) -> list:
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return dialogs


def log_in(page, server, username):
    page.goto(f"{server.url}/staff/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "jinjia-demo")
    page.click("form button[type=submit]")
    page.wait_for_url("**/staff/**")


def assert_inert(page, dialogs, scripts=()):
    page.wait_for_load_state("load")
    page.wait_for_timeout(150)          # let any onerror/onload/ontoggle fire
    assert dialogs == []
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    assert page.evaluate(DANGEROUS_ELEMENTS) == []
    assert page.evaluate(SCRIPTS) == list(scripts)


def test_payloads_never_run_on_public_pages(demo_app, live_server, page, poisoned):
    server = live_server(demo_app)
    dialogs = watch(page)
    page.goto(f"{server.url}/")
    assert_inert(page, dialogs)
    titles = page.locator("#notices h3 a").all_inner_texts()
    page.goto(f"{server.url}/?page=2")
    assert_inert(page, dialogs)
    titles += page.locator("#notices h3 a").all_inner_texts()
    assert set(PAYLOADS) <= set(titles)                      # every title shown as the very text typed
    for notice in poisoned["singles"]:
        page.goto(f"{server.url}/n/{notice['slug']}")
        assert_inert(page, dialogs)
        assert page.inner_text("#title") == notice["title"]
        assert page.title().startswith(notice["title"])
    listed = poisoned["listed"]
    page.goto(f"{server.url}/n/{listed['slug']}")
    assert_inert(page, dialogs)
    body = page.inner_text("#body")
    for payload in PAYLOADS:
        if "[" not in payload and "&" not in payload:        # Markdown links and entities are rendered, inertly
            assert payload in body
    assert page.locator("#attachments li > a:first-child").all_inner_texts() == FILE_NAMES
    comments = page.inner_text("#comments")
    assert PAYLOADS[0] in comments and PAYLOADS[-1] in comments
    page.goto(f"{server.url}/?q={PAYLOADS[0]}")
    assert_inert(page, dialogs)
    assert page.input_value("input[name=q]") == PAYLOADS[0]


def test_payload_typed_into_the_comment_form_never_runs_for_staff(demo_app, live_server, page, poisoned):
    server = live_server(demo_app)
    dialogs = watch(page)
    listed = poisoned["listed"]
    page.goto(f"{server.url}/n/{listed['slug']}")
    page.fill("#message", PAYLOADS[7] + PAYLOADS[8])
    page.fill("#name", PAYLOADS[2])
    page.fill("#phone", "13912345678")
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector("#sent")
    assert_inert(page, dialogs)
    log_in(page, server, "editor")
    page.goto(f"{server.url}/staff/public/comments?show=all")
    assert_inert(page, dialogs, scripts=["json", "/hall/assets/socket.io.min.js", "/staff/public/static/comments.js"])
    messages = page.locator("blockquote.message").all_inner_texts()
    assert PAYLOADS[7] + PAYLOADS[8] in messages and PAYLOADS[0] in messages
    assert "13912345678" in page.inner_text("main")          # staff see the phone; the public never does


def test_staff_comment_page_hears_a_new_comment(demo_app, live_server, page, low_income_list):
    notice = low_income_list(title="<img src=x onerror=window.__xss=1>低保名单")
    server = live_server(demo_app)
    dialogs = watch(page)
    log_in(page, server, "reviewer")
    page.goto(f"{server.url}/staff/public/comments")
    page.wait_for_selector("#live-note[data-listening]", state="attached")
    assert page.is_hidden("#live-note")
    sent = demo_app.test_client().post(f"/api/v1/public/notices/{notice['slug']}/comments", json={"message": "意见"})
    assert sent.status_code == 201
    page.wait_for_selector("#live-note", state="visible")
    assert notice["title"] in page.inner_text("#live-note")          # as text, not markup
    assert_inert(page, dialogs, scripts=["json", "/hall/assets/socket.io.min.js", "/staff/public/static/comments.js"])


def test_payloads_in_the_screens_feed_stay_data(demo_app, live_server, page, poisoned):
    server = live_server(demo_app)
    dialogs = watch(page)
    page.goto(f"{server.url}/api/v1/public/notices?unit=lizhuang")
    assert_inert(page, dialogs)
    text = page.inner_text("body")
    assert "<script>alert(1)</script>" in text and "{{7*7}}" in text


def test_notice_page_at_phone_size(demo_app, live_server, browser, clients, low_income_list, tmp_path):
    notice = low_income_list(body="经村民代表会议评议、村委会审核、镇民政办复核，拟新增以下低保对象，现予公示。\n\n"
                                   "| 户主 | 家庭人口 | 保障类别 |\n|---|---|---|\n| 张** | 3 | A类 |\n| 李** | 1 | B类 |\n\n"
                                   "公示期间如有异议，请在本页留言，或拨打镇监督电话。")
    comment = demo_app.test_client().post(f"/api/v1/public/notices/{notice['slug']}/comments",
                                          json={"message": "张某家去年已经外出务工，收入较高，是否符合条件？", "name": "赵大爷",
                                                "kind": "objection"}).get_json()
    clients("reviewer").api("post", f"/api/v1/comments/{comment['id']}/answer",
                            json={"answer": "经入户核查，张某因病返乡，家庭人均收入低于本地低保标准，符合条件。", "public": True})
    server = live_server(demo_app)
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1, locale="zh-CN",
                                  timezone_id="Asia/Shanghai", is_mobile=True, has_touch=True)
    phone = context.new_page()
    try:
        phone.goto(f"{server.url}/n/{notice['slug']}")
        assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390      # one column, no sideways scroll
        assert float(phone.evaluate("() => getComputedStyle(document.body).fontSize")[:-2]) >= 18
        assert phone.locator("#days-left").inner_text() == "公示期剩余 7 天"
        assert phone.locator("#comment-form button").bounding_box()["height"] >= 44    # a finger can hit it
        shot = tmp_path / "notice-phone.png"
        phone.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        phone.goto(f"{server.url}/")
        assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
        phone.screenshot(path=str(tmp_path / "catalogue-phone.png"), full_page=True)
        if os.environ.get("KIOSK_SCREENSHOT_DIR"):            # to look at them: KIOSK_SCREENSHOT_DIR=/tmp/shots
            for name in ("notice-phone.png", "catalogue-phone.png"):
                shutil.copy(tmp_path / name, os.environ["KIOSK_SCREENSHOT_DIR"])
    finally:
        context.close()
