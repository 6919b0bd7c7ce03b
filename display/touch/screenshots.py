"""Screenshots of the touch kiosk's main screens, from the demo township 金家镇, for the README.

    .venv/bin/python display/touch/screenshots.py [OUT_DIR]     # default: assets/screenshots/

Builds the demo on a fresh SQLite database in a temporary folder, serves it, and drives Debian's
Chromium (KIOSK_TEST_BROWSER, default /usr/bin/chromium) at 1080×1920 with touch, like the kiosk
in the hall. The server's clock is set to a working-day morning so the hall is open whatever the
hour the script runs; the browser is given a Chinese voice so the staff warning stays away.
"""
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

A_CHINESE_VOICE = """
Object.defineProperty(window.speechSynthesis, "getVoices", {value: () => [{lang: "zh-CN", name: "demo"}]});
"""
PORTRAIT, LANDSCAPE = {"width": 1080, "height": 1920}, {"width": 1920, "height": 1080}


def demo_server(instance: Path):
    from sqlalchemy import select

    from kiosk.accounts.models import User
    from kiosk.core import clock
    from kiosk.demo.background import demo_app, serve_in_background
    from kiosk.extensions import db
    from kiosk.org.models import Unit
    from kiosk.screens.models import Screen, ScreenKind
    from kiosk.screens.operations import reissue_token

    app = demo_app(instance)
    with app.app_context():
        # The last working day's 09:30 (local): the hall is open and the demo's morning is behind it.
        day = clock.local_today()
        while day.isoweekday() > 5:
            day -= timedelta(days=1)
        morning = datetime(day.year, day.month, day.day, 9, 30, tzinfo=clock.local_zone())
        clock.set_now(morning)
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        hall = db.session.scalar(select(Unit).where(Unit.code == "jinjia-hall"))
        kiosk = db.session.scalar(select(Screen).where(Screen.unit_id == hall.id, Screen.kind == ScreenKind.touch_kiosk))
        token = reissue_token(admin, kiosk)
        db.session.commit()
    server, base = serve_in_background(app)
    return server, base, token, morning


def main(out: Path) -> None:
    import os

    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as instance:
        server, base, token, morning = demo_server(Path(instance))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=os.environ.get("KIOSK_TEST_BROWSER", "/usr/bin/chromium"),
                                                 args=["--headless", "--no-sandbox", "--disable-gpu"])

            def open_kiosk(viewport):
                context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", has_touch=True,
                                              viewport=viewport)
                context.add_init_script(A_CHINESE_VOICE)
                page = context.new_page()
                page.clock.set_system_time(morning)   # the browser's clock shows the server's morning
                page.goto(f"{base}/display/activate/{token}")
                page.wait_for_selector("#kiosk[data-ready]")
                return page

            def first_document_page(page):
                """Turns the reader to its first document page, seen whole."""
                turns = page.evaluate("""() => {
                  const body = document.querySelector('#reader .body'), columns = body.firstElementChild;
                  const step = body.clientWidth + parseFloat(getComputedStyle(columns).columnGap);
                  const x = document.querySelector('#reader .document-page').getBoundingClientRect().x;
                  return Math.round((x - columns.getBoundingClientRect().x) / step);
                }""")
                for _ in range(turns):
                    page.tap(".page.next")
                page.wait_for_timeout(800)   # the slide to the page

            def shot(page, name, screen):
                page.wait_for_selector(f"[data-screen='{screen}']:not([hidden])")
                page.wait_for_timeout(600)   # pictures and QR codes in
                page.screenshot(path=str(out / f"touch-{name}.png"), animations="disabled")
                print(out / f"touch-{name}.png")

            page = open_kiosk(PORTRAIT)
            page.wait_for_selector("#attract-slide .slide")
            shot(page, "attract", "attract")
            page.tap("#attract")
            shot(page, "home", "home")
            page.tap("[data-choice=take]")
            shot(page, "take", "take")
            page.tap(".take.green[data-prefix=A]")
            shot(page, "issued", "issued")
            page.tap(".home-button")
            page.tap("[data-choice=villages]")
            page.tap("#villages [data-code=lizhuang]")
            page.wait_for_selector("#list .notice-item")
            shot(page, "village", "list")
            page.tap("#list .notice-item")
            page.wait_for_selector("#reader .document-page img")
            shot(page, "notice", "notice")
            first_document_page(page)
            shot(page, "document-page", "notice")
            page.tap(".tools [data-go=search]")
            for letter in "dbgs":
                page.tap(f".keyboard [data-key={letter}]")
            page.wait_for_selector("#search .results .notice-item")
            shot(page, "search", "search")
            page.tap(".home-button")
            page.tap("[data-choice=guides]")
            page.tap("#guides .guide-item >> nth=1")
            shot(page, "guide", "guide")
            page.tap(".home-button")
            page.tap("[data-choice=complain]")
            shot(page, "complain", "complain")
            page.tap("#complain .wide")
            page.tap("#message .topics [data-code=waiting]")
            for letters, word in (("wo", "我"), ("xiang", "想"), ("fanying", None)):
                for letter in letters:
                    page.tap(f"#message .keyboard [data-key={letter}]")
                page.wait_for_selector("#message .candidate >> nth=1")
                if word:
                    page.tap(f"#message .candidate:text-is('{word}')")
            page.wait_for_selector("#message .candidate:text-is('反映')")
            shot(page, "message", "message")
            page.tap("#message .candidate:text-is('反映')")
            for letters, word in (("shijian", "时间"), ("chang", None)):
                for letter in letters:
                    page.tap(f"#message .keyboard [data-key={letter}]")
                page.wait_for_selector("#message .candidate >> nth=1")
                if word:
                    page.tap(f"#message .candidate:text-is('{word}')")
            page.wait_for_selector("#message .candidate:text-is('长')")
            shot(page, "pinyin-chang", "message")
            page.tap(".home-button")
            page.tap("[data-choice=rate]")
            for key in ["a", "1", "2", "delete", "3", "5", "4", "8", "2", "1"]:   # a mistyped 2 deleted
                page.tap(f"#rate .keyboard [data-key='{key}']")
            shot(page, "rate", "rate")
            page.tap(".home-button")
            page.tap("[data-tool=large]")
            page.tap("[data-tool=contrast]")
            shot(page, "contrast", "home")
            page.context.close()

            page = open_kiosk(LANDSCAPE)
            page.tap("#attract")
            shot(page, "home-landscape", "home")
            page.tap("[data-choice=villages]")
            page.tap("#villages [data-code=lizhuang]")
            page.tap("#list .notice-item >> nth=0")
            page.wait_for_selector("#reader .document-page img")
            first_document_page(page)
            shot(page, "document-page-landscape", "notice")
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "assets" / "screenshots")
