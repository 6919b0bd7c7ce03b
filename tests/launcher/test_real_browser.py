"""The launcher on a real Chromium, end to end: kiosk-screen.sh runs agent.py, which starts
/usr/bin/chromium (headless: no display here; tests/launcher/headless.py) with its own command
line, DevTools on 127.0.0.1 and the player's address; the player of a demo screen plays from a live
server; a screenshot command from the screens API reaches the player, the agent takes
Page.captureScreenshot from that browser, and the picture reaches the screens page labelled as what
the browser shows. The display's power goes to a stub xset (tests/launcher/test_agent.py)."""
import io

import pytest
from PIL import Image

from kiosk.core import clock
from tests.launcher.headless import attach, start_launcher
from tests.launcher.test_agent import recorded, stubs  # noqa: F401  (a fixture)
from tests.screens.conftest import manager, new_screen  # noqa: F401  (fixtures)
from tests.screens.test_fleet import command
from tests.screens.test_fleet_browser import answered

pytestmark = pytest.mark.browser
SIZE = (1080, 1920)                       # a portrait village board
IDENTIFY_BLUE = (0x0b, 0x3d, 0x91)        # fleet.js showIdentify: drawn by the live player only
SHOWN = ".layer.shown .slide"


@pytest.fixture
def launched_screen(tmp_path, stubs, browser):  # noqa: F811
    """launched_screen(server URL, player URL) → (the player's page, the stubs' log, the launcher's log)."""
    started = []

    def start(server: str, player_url: str):
        power, calls = stubs("xset")
        launched = start_launcher(tmp_path, server, player_url, SIZE, power=power, env={"DISPLAY": ":0"})
        started.append(launched)
        remote, page = attach(browser.browser_type, launched, clock.now())
        started.append(remote)
        return page, calls, launched.log
    yield start
    for thing in reversed(started):
        thing.close()          # Playwright's connection first, then the launcher and its browser


def test_a_screenshot_taken_by_the_launcher_from_the_real_browser_reaches_the_screens_page(
        demo_app, manager, live_server, new_screen, launched_screen):  # noqa: F811
    server = live_server(demo_app)
    screen, path = new_screen(name="李庄村公开栏")
    page, calls, log = launched_screen(server.url, server.url + path)
    page.wait_for_selector(SHOWN, timeout=15000)
    assert page.evaluate("localStorage.getItem('kiosk.launcher')")    # the agent's address reached the player
    assert "display power: xset" in log.read_text() and "xset dpms force on | " in recorded(calls)
    window = page.evaluate("[innerWidth * devicePixelRatio, innerHeight * devicePixelRatio]")
    assert tuple(window) == SIZE

    # Something only the live browser shows: the identify overlay, over the slide for its 30 s.
    assert answered(manager, screen["id"], command(manager, screen["id"], "identify")["id"])["status"] == "answered"
    page.wait_for_selector("#identify:not([hidden])", timeout=5000)
    sent = command(manager, screen["id"], "screenshot")
    done = answered(manager, screen["id"], sent["id"], timeout=20)
    assert done["status"] == "answered" and done["screenshot_source"] == "browser", (done, log.read_text())

    picture = Image.open(io.BytesIO(manager.get(done["screenshot"]).data)).convert("RGB")
    assert picture.size == SIZE                                        # the browser's window, not the 960 px rendering
    pixels = picture.resize((108, 192)).get_flattened_data()
    assert sum(1 for p in pixels if p == IDENTIFY_BLUE) > len(pixels) / 2
    detail = manager.get(f"/staff/screens/{screen['id']}").get_data(as_text=True)
    row = detail[detail.index(f'data-command="{sent["id"]}"'):]
    assert 'shot-source browser">浏览器实际显示的画面' in row[:row.index("</tr>")]
