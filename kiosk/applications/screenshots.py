"""Screenshots of the application register and of an application's page, and the demo's reply letter
as DOCX and PDF, from the demo township, for the README.

    .venv/bin/python -m kiosk.applications.screenshots [OUT_DIR [LETTER_DIR]]
    # defaults: assets/screenshots/ and assets/samples/

Builds the demo on a fresh SQLite database in a temporary folder, serves it, logs in as the
reviewer in Debian's Chromium (KIOSK_TEST_BROWSER, default /usr/bin/chromium) and takes the pages.
"""
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main(out: Path, letters: Path) -> None:
    from playwright.sync_api import sync_playwright
    from sqlalchemy import select

    from kiosk.applications.models import Application, Channel, Status
    from kiosk.demo.background import demo_app, serve_in_background
    from kiosk.demo.township import DEMO_PASSWORD
    from kiosk.extensions import db

    with tempfile.TemporaryDirectory() as instance:
        app = demo_app(Path(instance))
        with app.app_context():
            oral = db.session.scalar(select(Application.id).where(Application.channel == Channel.oral))
            answered = db.session.scalar(select(Application.id).where(Application.status == Status.closed))
        server, base = serve_in_background(app)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=os.environ.get("KIOSK_TEST_BROWSER",
                                                                                "/usr/bin/chromium"))
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page.goto(f"{base}/staff/login")
            page.fill("input[name=username]", "reviewer")
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.goto(f"{base}/staff/applications/")
            page.screenshot(path=str(out / "applications-register.png"), full_page=True)
            page.goto(f"{base}/staff/applications/{oral}")
            page.screenshot(path=str(out / "applications-detail.png"), full_page=True)
            for kind in ("docx", "pdf"):
                letter = page.request.get(f"{base}/staff/applications/{answered}/letter.{kind}")
                (letters / f"reply-letter.{kind}").write_bytes(letter.body())
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "assets" / "screenshots",
         Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "assets" / "samples")
