"""Screenshots of the villagers' voice for the README: the kiosk's home with the open survey and its
first question, the survey and the draft for comment on a phone, and a sheet of household cards.

    .venv/bin/python docs/voice_screenshots.py [OUT_DIR]     # default: assets/screenshots/

The demo township on a fresh SQLite database, served and driven by Chromium as in
display/touch/screenshots.py (whose demo server it uses).
"""
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from display.touch.screenshots import A_CHINESE_VOICE, PORTRAIT, demo_server  # noqa: E402

PHONE = {"width": 390, "height": 844}


def demo_slugs(app) -> tuple[str, int, str]:
    """The demo's open survey (slug), and its draft for comment (id, slug)."""
    from sqlalchemy import select

    from kiosk.disclosures.models import Notice, NoticeState
    from kiosk.extensions import db
    from kiosk.surveys.models import Survey
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.published.is_(True)))
        draft = db.session.scalar(select(Notice).where(Notice.pre_disclosure.is_(True),
                                                       Notice.state == NoticeState.showing))
        return survey.slug, draft.id, draft.slug


def card_sheet_png(app, notice_id: int, path: Path) -> None:
    from kiosk.cards.drawing import card_sheet
    from kiosk.cards.operations import notice_card
    from kiosk.disclosures.models import Notice
    from kiosk.extensions import db
    with app.test_request_context():
        sheet = card_sheet(notice_card(db.session.get(Notice, notice_id)))
        sheet.convert("RGB").resize((sheet.width // 2, sheet.height // 2)).save(path)


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as instance:
        server, base, token, morning = demo_server(Path(instance))
        app = server.app
        survey_slug, draft_id, draft_slug = demo_slugs(app)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=os.environ.get("KIOSK_TEST_BROWSER", "/usr/bin/chromium"),
                                                 args=["--headless", "--no-sandbox", "--disable-gpu"])
            context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", has_touch=True, viewport=PORTRAIT)
            context.add_init_script(A_CHINESE_VOICE)
            page = context.new_page()
            page.clock.set_system_time(morning)
            page.goto(f"{base}/display/activate/{token}")
            page.wait_for_selector("#kiosk[data-ready]")
            page.tap("#attract")
            page.wait_for_selector("[data-choice=survey]")
            page.wait_for_timeout(400)
            page.screenshot(path=str(out / "voice-kiosk-home.png"), animations="disabled")
            page.tap("[data-choice=survey]")
            page.wait_for_selector("#survey .survey-question")
            page.tap("#survey .level-4")
            page.wait_for_timeout(600)
            page.screenshot(path=str(out / "voice-kiosk-question.png"), animations="disabled")
            phone = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE,
                                        device_scale_factor=2).new_page()
            phone.goto(f"{base}/s/{survey_slug}")
            phone.screenshot(path=str(out / "voice-phone-survey.png"))
            phone.goto(f"{base}/n/{draft_slug}")
            phone.evaluate("document.getElementById('publicity').scrollIntoView()")   # the two periods
            phone.screenshot(path=str(out / "voice-phone-draft.png"))
            browser.close()
        card_sheet_png(app, draft_id, out / "voice-cards.png")
        server.shutdown()
    for name in ("kiosk-home", "kiosk-question", "phone-survey", "phone-draft", "cards"):
        print(out / f"voice-{name}.png")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "assets" / "screenshots")
