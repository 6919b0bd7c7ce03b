"""The README's picture of a real screenshot ("Running screens in villages"): 李庄村's board run by its
launcher (kiosk-screen.sh → agent.py → Chromium, headless here: tests/launcher/headless.py) against
the demo township served as in display/touch/screenshots.py; the screens page's Screenshot button
pressed, and the page showing the picture the launcher took of what the browser displays.

    .venv/bin/python docs/launcher_screenshot.py [OUTPUT_DIR]     # default: docs/screenshots
"""
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from display.touch.screenshots import demo_server  # noqa: E402
from tests.launcher.headless import attach, start_launcher  # noqa: E402

PASSWORD = "jinjia-demo"
CHROMIUM = os.environ.get("KIOSK_TEST_BROWSER", "/usr/bin/chromium")


def village_board_token(app) -> tuple[int, str]:
    """李庄村's demo noticeboard, and a fresh device token to pair its launcher with."""
    from sqlalchemy import select

    from kiosk.accounts.models import User
    from kiosk.extensions import db
    from kiosk.org.models import Unit
    from kiosk.screens.models import Screen, ScreenKind
    from kiosk.screens.operations import reissue_token
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        board = db.session.scalar(select(Screen).join(Unit).where(
            Unit.code == "lizhuang", Screen.kind == ScreenKind.noticeboard_portrait).order_by(Screen.id))
        token = reissue_token(admin, board)
        db.session.commit()
        return board.id, token


def main(output: Path) -> None:
    from playwright.sync_api import sync_playwright

    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as instance, tempfile.TemporaryDirectory() as screen_machine:
        server, base, _kiosk_token, morning = demo_server(Path(instance))
        board_id, token = village_board_token(server.app)
        launched = start_launcher(Path(screen_machine), base, f"{base}/display/activate/{token}")
        try:
            with sync_playwright() as playwright:
                remote, board = attach(playwright.chromium, launched, morning)
                board.wait_for_selector(".layer.shown .slide.notice", timeout=60000)
                board.wait_for_timeout(1500)   # the QR code and the cross-fade
                staff = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
                page = staff.new_context(locale="zh-CN", timezone_id="Asia/Shanghai",
                                         viewport={"width": 1280, "height": 900}).new_page()
                page.goto(f"{base}/staff/login")
                page.fill("input[name=username]", "screens")
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_url(f"{base}/staff/")
                page.goto(f"{base}/staff/screens/{board_id}")
                page.click("#commands button[value=screenshot]")
                deadline = time.monotonic() + 30
                while not page.query_selector("#command-list figure.shot img") and time.monotonic() < deadline:
                    time.sleep(1)
                    page.goto(f"{base}/staff/screens/{board_id}")
                page.wait_for_function("document.querySelector('#command-list figure.shot img').complete")
                page.locator("#commands").screenshot(path=str(output / "launcher-screenshot.png"))
                print(output / "launcher-screenshot.png")
                staff.close()
                remote.close()
        finally:
            launched.close()
            server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
