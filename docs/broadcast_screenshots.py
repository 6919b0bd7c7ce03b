"""Screenshots of a ticker line and an official warning on 李庄村's noticeboard, for the README.

    .venv/bin/python docs/broadcast_screenshots.py [OUT_DIR]     # default: docs/screenshots/

Builds the demo on a fresh SQLite database in a temporary folder, serves it, opens 李庄村's
noticeboard player in Debian's Chromium (KIOSK_TEST_BROWSER, default /usr/bin/chromium) at
1080×1920, and photographs the demo's ticker line crawling; then POSTs a CAP alert for 金家镇 as
the county's platform would (a warning source's token) and photographs it covering the screen.
"""
import os
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from urllib.request import Request, urlopen
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PINNED = datetime(2026, 11, 23, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
ALERT = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>33010241600000_20261123093000</identifier><sender>county-emergency@example.gov.cn</sender>
  <sent>{sent}</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><language>zh-CN</language><category>Met</category><event>暴雨红色预警</event>
    <urgency>Immediate</urgency><severity>Extreme</severity><certainty>Likely</certainty>
    <expires>{expires}</expires><senderName>县气象台</senderName><headline>县气象台发布暴雨红色预警信号</headline>
    <description>预计未来3小时内金家镇将出现100毫米以上降雨，山洪、地质灾害风险极高。</description>
    <instruction>请沿河、低洼地带和山脚下的村民立即转移到村委会等安全地点，不要涉水通行。</instruction>
    <area><areaDesc>金家镇</areaDesc><geocode><valueName>行政区划代码</valueName><value>330102001000</value></geocode></area>
  </info>
</alert>"""


def demo(instance: Path):
    from sqlalchemy import select

    from kiosk.accounts.models import User
    from kiosk.broadcast.warnings import create_source
    from kiosk.core import clock
    from kiosk.demo.background import demo_app, serve_in_background
    from kiosk.extensions import db
    from kiosk.org.models import Unit
    from kiosk.screens.models import Screen
    from kiosk.screens.operations import reissue_token

    clock.start_at(PINNED)
    app = demo_app(instance)
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        village = db.session.scalar(select(Unit).where(Unit.code == "lizhuang"))
        screen = db.session.scalar(select(Screen).where(Screen.unit_id == village.id))
        token = reissue_token(admin, screen)
        _source, source_token = create_source(admin, village.parent.parent, "县预警发布平台", None)
        db.session.commit()
    server, base = serve_in_background(app)
    return server, base, token, source_token


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    from kiosk.core import clock

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as instance:
        server, base, token, source_token = demo(Path(instance))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=os.environ.get("KIOSK_TEST_BROWSER", "/usr/bin/chromium"),
                                                 args=["--headless", "--no-sandbox", "--disable-gpu"])
            context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai",
                                          viewport={"width": 1080, "height": 1920})
            page = context.new_page()
            page.clock.install(time=clock.now())
            page.goto(f"{base}/display/activate/{token}")
            page.wait_for_selector(".layer.shown .slide.notice .title", timeout=30000)
            page.wait_for_selector("#ticker:not([hidden]) .ticker-text")
            # the moment the line's start reaches the left edge (the whole screen width of it shows)
            page.wait_for_function("""() => { const m = new DOMMatrix(getComputedStyle(
                document.querySelector('.ticker-text')).transform).m41; return m > 0 && m < 40; }""",
                                   timeout=60000, polling=50)
            page.screenshot(path=str(out / "ticker.png"))
            print(out / "ticker.png")
            now = clock.now()
            alert = ALERT.format(sent=now.isoformat(timespec="seconds"),
                                 expires=(now + timedelta(hours=3)).isoformat(timespec="seconds"))
            request = Request(f"{base}/api/v1/warnings/cap", data=alert.encode(), method="POST", headers={
                "Authorization": f"Bearer {source_token}", "Content-Type": "application/cap+xml"})
            with urlopen(request) as answer:
                assert answer.status == 201
            page.wait_for_selector("#urgent:not([hidden]) .urgent-title")
            page.wait_for_timeout(800)
            page.screenshot(path=str(out / "warning.png"))
            print(out / "warning.png")
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
