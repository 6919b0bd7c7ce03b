"""The touch kiosk in a real Chromium with touch events: paired from the screens page like a
screen manager would, at a panel's resolution, with the speech API recorded."""
import re
import shutil
from datetime import datetime

import pytest

from tests.conftest import registered_screen
from tests.queue.conftest import SHANGHAI, monday_morning  # noqa: F401 (fixture)
from tests.queue.test_browser import RECORD_SPEECH, log_in

KIOSK_NAME = "大厅自助查询机"
PORTRAIT, LANDSCAPE = (1080, 1920), (1920, 1080)
# The panel the touch-target bound is measured for: a 21.5-inch 1080×1920 (or 1920×1080) panel,
# 2203 pixels on a 54.6 cm diagonal.
PANEL_INCHES = 21.5
PX_PER_CM = (1080 ** 2 + 1920 ** 2) ** 0.5 / (PANEL_INCHES * 2.54)
MIN_TARGET_CM = 2.0


# Speech recorded, and a Chinese voice installed (headless Chromium has none; without one the kiosk
# leaves the read-aloud button out).
SPEECH_WITH_A_CHINESE_VOICE = RECORD_SPEECH + """
Object.defineProperty(window.speechSynthesis, "getVoices", {value: () => [{lang: "zh-CN", name: "test"}]});
Object.defineProperty(SpeechSynthesisUtterance.prototype, "voice", {set(voice) { this._voice = voice; }, get() { return this._voice; }});
"""


def pair_kiosk(browser, base, size):
    """A fresh browser at `size` opens the pairing page, the screen manager enters its code for
    the hall's kiosk on the screens page, and the browser becomes the kiosk by itself."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", has_touch=True,
                                  viewport={"width": size[0], "height": size[1]})
    context.add_init_script(SPEECH_WITH_A_CHINESE_VOICE)
    kiosk = context.new_page()
    kiosk.clock.install(time=datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI))
    kiosk.goto(f"{base}/display/")
    code = re.sub(r"\s", "", kiosk.inner_text("#code"))
    manager = browser.new_context(locale="zh-CN")
    staff_page = manager.new_page()
    log_in(staff_page, base, "screens")
    staff_page.goto(f"{base}/staff/screens/")
    staff_page.fill("input[name='pair-code']", code)
    staff_page.select_option("select[name='pair-screen']", label=f"{KIOSK_NAME} (金家镇便民服务中心)")
    with staff_page.expect_navigation():
        staff_page.click("form:has(input[name='pair-code']) button.primary")
    assert KIOSK_NAME in staff_page.inner_text("body")
    manager.close()
    kiosk.clock.fast_forward(2500)   # the pairing page asks every two seconds
    kiosk.wait_for_url(f"{base}/touch/", timeout=15000)
    kiosk.wait_for_selector("#kiosk[data-ready]")
    return context, kiosk


def too_small(page) -> list[str]:
    """Every visible thing a finger can touch that is under the 2 cm bound on the panel."""
    bound = MIN_TARGET_CM * PX_PER_CM
    return page.evaluate("""(bound) => [...document.querySelectorAll('button, a[href], [data-go], [role=button]')]
      .filter((node) => node.offsetParent !== null && getComputedStyle(node).pointerEvents !== 'none')
      .map((node) => ({node, box: node.getBoundingClientRect()}))
      .filter(({box}) => box.width < bound || box.height < bound)
      .map(({node, box}) => `${node.className || node.tagName} "${node.textContent.trim().slice(0, 20)}" `
                            + `${Math.round(box.width)}×${Math.round(box.height)}`)""", bound)


@pytest.fixture
def touch_app(make_app, demo_db):
    """The demo township with its uploaded documents (the kiosk draws their pages)."""
    app = make_app(demo_db)
    shutil.copytree(demo_db.parent / "uploads", app.config["KIOSK_UPLOAD_PATH"], dirs_exist_ok=True)
    return app


@pytest.fixture(params=[PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def kiosk(request, browser, touch_app, live_server, monday_morning):  # noqa: F811
    base = live_server(touch_app).url
    context, page = pair_kiosk(browser, base, request.param)
    yield page, base
    context.close()


@pytest.fixture
def register_screen(touch_app):
    """register_screen(kind, unit_code) → the device token of a new screen of the touch app's demo."""
    return lambda kind="touch_kiosk", unit_code="jinjia-hall": registered_screen(touch_app, kind, unit_code)


@pytest.fixture
def touch_staff(touch_app):
    """touch_staff("admin") → a client of the touch app logged in as that demo account."""
    from tests.conftest import StaffClient
    return lambda username: StaffClient(touch_app.test_client(), username)
