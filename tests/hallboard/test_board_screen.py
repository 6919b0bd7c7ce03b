"""A hall-board screen in a real Chromium: its player link opens the hall's call board, which plays
the screen's own notices between calls; a call takes the board at once and is spoken; a staff
change to a notice reaches the board without a reload. The anonymous board stays calls only."""
import os
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.screens.models import DisplayReport

from tests.queue.conftest import HALL, SHANGHAI, call_next, issue, monday_morning  # noqa: F401 (fixture)
from tests.queue.test_browser import RECORD_SPEECH
from tests.screens.conftest import group_id

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("KIOSK_SCREENSHOTS")
NOTICE_TITLE = "#notices .slide.notice .title"


def shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), animations="disabled")


@pytest.fixture
def hall_board(browser, demo_app, live_server, monday_morning, staff):  # noqa: F811
    """A new hall-board screen of the hall's screen group, its player link opened at 1920×1080 with
    the speech API recorded; the browser's clock is the server's (Monday 09:00, the hall open)."""
    base = live_server(demo_app).url
    response = staff("screens").api("POST", "/api/v1/screens", json={
        "unit": HALL, "kind": "hall_board", "name": "大厅叫号屏二", "groups": [group_id(demo_app, "hall")]})
    assert response.status_code == 201, response.get_json()
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai",
                                  viewport={"width": 1920, "height": 1080})
    context.add_init_script(RECORD_SPEECH)
    page = context.new_page()
    page.clock.set_system_time(datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI))
    page.goto(base + urlsplit(response.get_json()["player_url"]).path)
    yield page, response.get_json()
    context.close()


def shown_notices(app, screen_id) -> set[int]:
    """The notices this screen has reported showing (proof of display)."""
    with app.app_context():
        return set(db.session.scalars(select(DisplayReport.notice_id).where(
            DisplayReport.screen_id == screen_id, DisplayReport.notice_id.is_not(None))))


def test_the_hall_board_screen_plays_its_notices_between_calls(hall_board, staff, demo_app):
    board, screen = hall_board
    assert urlsplit(board.url).path == f"/hall/{HALL}/board"  # and the token is not left in the address
    board.wait_for_selector(".board.with-notices #notices .slide", timeout=10000)
    assert board.is_visible("#now") and board.is_visible("#services")
    # The rotation plays on in the area (its queue slide left out: the board is the queue).
    first = board.inner_text("#notices .slide")
    # readable from three metres on a 1080p panel: notice text at least 40 px
    body_px = board.eval_on_selector("#notices .slide.notice .body", "b => parseFloat(getComputedStyle(b).fontSize)")
    assert body_px >= 40
    shot(board, "hallboard-notices")
    board.wait_for_function("(first) => document.querySelector('#notices .slide').innerText !== first",
                            arg=first, timeout=30000)
    assert board.query_selector("#notices .slide.queue") is None
    shot(board, "hallboard-next")

    # A call takes the whole board at once and is spoken.
    clerk = staff("window1")
    issue(clerk, "A")
    called = call_next(clerk, 1)
    board.wait_for_function(f"document.getElementById('now-code').textContent === '{called['code']}'")
    assert board.is_hidden("#notices")
    board.wait_for_function("window.__spoken.length === 1")
    assert board.evaluate("window.__spoken[0].text") == f"请{called['code']}号到1号窗口办理"
    shot(board, "hallboard-call")
    # The board fits the panel while the number is called: 等候 N 人 is not cut below it.
    assert board.evaluate("document.documentElement.scrollHeight") <= 1080
    assert board.evaluate("Math.max(...[...document.querySelectorAll('#services li')]"
                          ".map(li => li.getBoundingClientRect().bottom))") <= 1080
    # When the hall has been quiet for a while the notices come back beside the calls.
    board.clock.fast_forward(31000)
    board.wait_for_selector(".board.with-notices #notices .slide", timeout=10000)
    assert board.text_content("#now-code") == called["code"]
    shot(board, "hallboard-after-call")
    # What it showed is reported like the player's slides, once a slide has played all its pages (the
    # demo has notices of several pages), with the next heartbeat.
    for _ in range(15):
        board.clock.fast_forward(20000)
        for _ in range(10):
            if shown_notices(demo_app, screen["id"]):
                break
            board.wait_for_timeout(200)
        if shown_notices(demo_app, screen["id"]):
            break
    assert shown_notices(demo_app, screen["id"])


def test_a_withdrawn_notice_leaves_the_board_without_reload(hall_board, staff):
    board, _screen = hall_board
    board.wait_for_selector(NOTICE_TITLE, timeout=40000)
    board.evaluate("window.__same_page = true")
    title = board.inner_text(NOTICE_TITLE)
    editor = staff("editor")
    notices = editor.api("GET", "/api/v1/notices").get_json()["notices"]
    notice = next(n for n in notices if n["title"] == title)
    response = editor.api("POST", f"/api/v1/notices/{notice['id']}/withdraw", json={"reason": "数据需要复核"})
    assert response.status_code == 200, response.get_json()
    board.wait_for_function("(title) => { const t = document.querySelector('#notices .slide.notice .title');"
                            " return !t || t.textContent !== title; }", arg=title, timeout=10000)
    assert board.evaluate("window.__same_page") is True
    assert title not in board.evaluate("JSON.stringify([...document.querySelectorAll('#notices')].map(n => n.textContent))")


def test_the_anonymous_board_shows_calls_only(browser, demo_app, live_server, monday_morning):  # noqa: F811
    base = live_server(demo_app).url
    context = browser.new_context(locale="zh-CN", viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.goto(f"{base}/hall/{HALL}/board")
    page.wait_for_function("document.querySelectorAll('#services li').length === 6")
    assert page.query_selector("#notices") is None
    assert page.evaluate("[...document.styleSheets].some(s => (s.href || '').includes('slides.css'))") is False
    context.close()
