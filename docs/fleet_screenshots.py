"""Screenshots of the screens in the field for the README ("Alerts and uptime"): the dashboard with an
open incident, the screens page with this month's uptime, the uptime table. Demo township, clock
pinned, a month of connections made up for 王家村's board (an afternoon dark), real Chromium.

    .venv/bin/python docs/fleet_screenshots.py [OUTPUT_DIR]     # default: assets/screenshots
"""
import os
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHANGHAI = ZoneInfo("Asia/Shanghai")
PINNED = datetime(2026, 11, 24, 14, 30, tzinfo=SHANGHAI)     # a Tuesday afternoon
PASSWORD = "jinjia-demo"
CHROMIUM = os.environ.get("KIOSK_TEST_BROWSER", "/usr/bin/chromium")


def a_month_of_village_screens(app) -> None:
    """Villages on 07:00–21:00; every village board connected every day of the month so far, 王家村's
    dark on the 17th from 14:10 to 16:05 and since 14:10 today (an open incident, told at 14:20)."""
    from sqlalchemy import select

    from kiosk.core import clock
    from kiosk.extensions import db
    from kiosk.incidents.operations import run
    from kiosk.screens.models import Screen, ScreenConnection, ScreenKind

    # The demo's village boards are on 07:00-21:00 every day (kiosk/screens/demo_hours.py).
    with app.app_context():
        boards = list(db.session.scalars(select(Screen).where(Screen.kind == ScreenKind.noticeboard_portrait)))
        first = PINNED.replace(day=1, hour=0, minute=0)
        for board in boards:
            board.created_at = first
            dark = board.name.startswith("王家村")
            day = first
            while day.date() <= PINNED.date():
                spans = [(day.replace(hour=6, minute=50), day.replace(hour=21, minute=5))]
                if dark and day.day in (17, PINNED.day):
                    spans = [(spans[0][0], day.replace(hour=14, minute=10))] + (
                        [(day.replace(hour=16, minute=5), spans[0][1])] if day.day == 17 else [])
                for start, end in spans:
                    end = min(end, PINNED)
                    db.session.add(ScreenConnection(screen_id=board.id, sid=f"demo-{board.id}-{start:%d%H%M}",
                                                    connected_at=start, last_heartbeat=end,
                                                    disconnected_at=end if end < PINNED else None))
                day += timedelta(days=1)
            board.last_seen = PINNED.replace(hour=14, minute=10) if dark else PINNED
            board.online = not dark
        db.session.commit()
        clock.set_now(PINNED.replace(hour=14, minute=20))
        run()
    clock.set_now(PINNED)


def main(output: Path) -> None:
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as instance:
        from kiosk.core import clock
        from kiosk.demo.background import demo_app, serve_in_background
        clock.set_now(PINNED - timedelta(days=1))
        app = demo_app(Path(instance))
        a_month_of_village_screens(app)
        server, base = serve_in_background(app)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai",
                                          viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(f"{base}/staff/login")
            page.fill("input[name=username]", "screens")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/staff/")
            for path, name, selector in (("/staff/", "fleet-dashboard-incident.png", "#dashboard-incidents"),
                                         ("/staff/screens/", "fleet-screens-uptime.png", "#uptime-card"),
                                         ("/staff/screens/uptime", "fleet-uptime-table.png", None)):
                page.goto(base + path)
                if selector:
                    page.locator(selector).scroll_into_view_if_needed()
                page.screenshot(path=str(output / name), full_page=True)
                print(output / name)
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "assets" / "screenshots")
