"""Screenshots of the staff pages for docs/staff-pages.md: the review page with a correction's
"what changed" view, and the audit log as sentences. Demo township, clock pinned, real Chromium.

    .venv/bin/python docs/screenshots.py [OUTPUT_DIR]     # default: assets/screenshots
"""
import os
import re
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PINNED = datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PASSWORD = "jinjia-demo"
CHROMIUM = os.environ.get("KIOSK_TEST_BROWSER", "/usr/bin/chromium")
LEDGER = "| 项目 | 金额（元） |\n|---|---|\n| 道路维修 | 12,000.00 |\n| 办公用品 | 860.00 |"


def signed_in(app, username):
    """A test client logged in through the login form, and its CSRF token."""
    client = app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/staff/login").get_data(as_text=True))
    client.post("/staff/login", data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)})
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/staff/").get_data(as_text=True)).group(1)
    return lambda method, url, body=None: client.open(url, method=method, json=body, headers={"X-CSRFToken": csrf})


def a_correction_waiting_for_review(app) -> int:
    """李庄村's finance notice, approved, then corrected (a wrong amount) and submitted again."""
    clerk, reviewer = signed_in(app, "lizhuang"), signed_in(app, "reviewer")
    notice = clerk("POST", "/api/v1/notices", {
        "category": "village_finances", "title": "李庄村10月财务收支公开", "summary": "10月收支明细",
        "body": LEDGER, "formed_on": "2026-11-03", "audience": "villages", "villages": ["lizhuang"]}).get_json()
    clerk("POST", f"/api/v1/notices/{notice['id']}/submit", {})
    reviewer("POST", f"/api/v1/notices/{notice['id']}/approve", {})
    clerk("PATCH", f"/api/v1/notices/{notice['id']}", {"title": "李庄村10月财务收支公开（更正）",
                                                        "body": LEDGER.replace("12,000.00", "21,000.00")})
    clerk("POST", f"/api/v1/notices/{notice['id']}/submit", {})
    return notice["id"]


def main(output: Path) -> None:
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as instance:
        from kiosk.core import clock
        from kiosk.demo.background import demo_app, serve_in_background
        clock.set_now(PINNED)
        app = demo_app(Path(instance))
        notice_id = a_correction_waiting_for_review(app)
        server, base = serve_in_background(app)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            for username, path, name in (("reviewer", f"/staff/notices/{notice_id}/review", "review-correction.png"),
                                         ("admin", "/staff/audit/?unit=lizhuang&kind=notice", "audit-log.png")):
                context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai",
                                              viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(f"{base}/staff/login")
                page.fill("input[name=username]", username)
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_url(f"{base}/staff/")
                page.goto(base + path)
                page.screenshot(path=str(output / name), full_page=True)
                context.close()
                print(output / name)
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "assets" / "screenshots")
