"""The hall in a real Chromium: take a number on the kiosk page, call it at the clerk page,
the board shows and speaks it, the phone page follows, all without reloading."""
import os

import pytest

from tests.conftest import DEMO_PASSWORD
from tests.queue.conftest import HALL, call_next, issue

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("KIOSK_SCREENSHOTS")

# Records what the board hands to the speech API instead of speaking it.
RECORD_SPEECH = """
window.__spoken = [];
window.speechSynthesis.speak = (utterance) => {
  window.__spoken.push({ text: utterance.text, lang: utterance.lang });
  setTimeout(() => utterance.onend && utterance.onend(), 50);
};
"""


def shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), animations="disabled")


def context(browser, width, height, **extra):
    return browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": width, "height": height},
                               **extra)


def open_board(browser, base, init_script=RECORD_SPEECH):
    """The hall board at 1920×1080 with the speech API replaced by `init_script`, fully drawn."""
    board_context = context(browser, 1920, 1080)
    board_context.add_init_script(init_script)
    board = board_context.new_page()
    board.goto(f"{base}/hall/{HALL}/board")
    board.wait_for_function("document.querySelectorAll('#services li').length === 6")
    board.wait_for_selector("[data-loaded]", state="attached")  # the first state is in: new calls get spoken
    return board_context, board


def log_in(page, base, username):
    page.goto(f"{base}/staff/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/staff/")


def test_a_number_from_the_kiosk_to_the_window(browser, demo_app, live_server, monday_morning, screen_token):
    base = live_server(demo_app).url
    board_context, board = open_board(browser, base)

    kiosk_context = context(browser, 1080, 1920)
    # The hall's registered touch kiosk: its device cookie, no staff login.
    kiosk_context.add_cookies([{"name": "kiosk_screen", "value": screen_token(), "url": base}])
    kiosk = kiosk_context.new_page()
    kiosk.goto(f"{base}/hall/{HALL}/ticket")  # the kiosk takes numbers in its own app (display/touch)
    kiosk.wait_for_selector("[data-screen=take]:not([hidden])")
    shot(kiosk, "ticket-page")
    kiosk.click(".take.green[data-prefix=A]")  # the service's priority lane: one touch from here
    kiosk.wait_for_selector("[data-screen=issued]:not([hidden])")
    assert kiosk.inner_text("#issued .ticket-code") == "A001"
    assert "前面还有 0 人" in kiosk.inner_text("#issued .ticket-ahead")
    assert "居民身份证原件" in kiosk.inner_text("#issued .materials")
    kiosk.wait_for_function("document.querySelector('#issued .qr img').naturalWidth > 0")
    rating_code = kiosk.inner_text("#issued .qr figcaption").split()[-1]
    shot(kiosk, "ticket-issued")

    token = kiosk.get_attribute("#issued .qr img", "src").split("/qr/t/")[1].removesuffix(".svg")
    phone_context = context(browser, 390, 844, is_mobile=True, has_touch=True)
    phone = phone_context.new_page()
    phone.goto(f"{base}/t/{token}")
    assert phone.inner_text("#code") == "A001"
    phone.wait_for_function("document.getElementById('ahead').textContent.includes('0')")
    shot(phone, "status-waiting")
    board.wait_for_function("document.querySelector('#services li .count').textContent.includes('1')")

    clerk_context = context(browser, 1280, 800)
    clerk = clerk_context.new_page()
    log_in(clerk, base, "window2")
    clerk.goto(f"{base}/queue/windows/2")
    clerk.wait_for_selector("#connection.good")
    clerk.click("button[data-action=call-next]")
    clerk.wait_for_function("document.getElementById('current-code').textContent === 'A001'")
    shot(clerk, "clerk-called")

    board.wait_for_function("document.getElementById('now-code').textContent === 'A001'")
    assert board.text_content("#now-window") == "2号窗口"
    board.wait_for_function("window.__spoken.length === 1")
    assert board.evaluate("window.__spoken") == [{"text": "请A001号到2号窗口办理", "lang": "zh-CN"}]
    shot(board, "board-called")
    phone.wait_for_function("!document.getElementById('call').hidden")
    assert phone.inner_text("#call") == "请到2号窗口办理"
    shot(phone, "status-called")

    # Two quick calls: the recall is queued behind nothing and spoken as a recall.
    clerk.click("button[data-action=recall]")
    board.wait_for_function("window.__spoken.length === 2")
    assert board.evaluate("window.__spoken[1]") == {"text": "请A001号再次到2号窗口办理", "lang": "zh-CN"}
    assert "A001" not in board.inner_text("#recent")   # a recalled number is not listed again below itself

    clerk.click("button[data-action=start]")
    clerk.wait_for_function("!document.querySelector('button[data-action=finish]').disabled")
    clerk.click("button[data-action=finish]")
    phone.wait_for_selector("#rate:not([hidden])")
    shot(phone, "status-rate")
    phone.click("#rate button[data-level='5']")
    phone.wait_for_function("document.getElementById('rated').textContent.includes('非常满意')")
    assert phone.is_hidden("#rate")
    # Rating again at the kiosk, with the ticket's number and rating code, is refused with the server's reason.
    kiosk.click(".home-button")
    kiosk.click("[data-choice=rate]")
    for key in ("a", "1"):
        kiosk.click(f"#rate .keyboard [data-key='{key}']")
    kiosk.click("#rate .field-label >> nth=1")
    for digit in rating_code:
        kiosk.click(f"#rate .keyboard [data-key='{digit}']")
    shot(kiosk, "kiosk-rate")
    kiosk.click("#rate .level-4")
    kiosk.wait_for_selector("#rate .error")
    assert "已经评价" in kiosk.inner_text("#rate .error")

    ticket_id = clerk.evaluate("fetch('/api/v1/queue/windows/2').then(r => r.json()).then(s => s.awaiting_rating)")
    assert ticket_id is None  # rated on the phone: the window's tablet no longer asks
    if SCREENSHOTS:
        for paper in ("58", "80"):
            kiosk.goto(f"{base}/hall/{HALL}/tickets/1/print?paper={paper}")
            shot(kiosk, f"print-{paper}")
        clerk.goto(f"{base}/queue/halls/{HALL}/stats")
        shot(clerk, "stats")
        clerk.goto(f"{base}/queue/windows/2/tablet")
        shot(clerk, "tablet")
    for ctx in (board_context, kiosk_context, phone_context, clerk_context):
        ctx.close()


def test_announcements_queue_instead_of_cutting_off(browser, demo_app, live_server, monday_morning, staff):
    """Three calls within a moment: all three are spoken, in order, one after the other."""
    base = live_server(demo_app).url
    board_context, board = open_board(browser, base, """
      window.__spoken = []; window.__speaking = 0; window.__overlap = false;
      window.speechSynthesis.speak = (u) => {
        if (window.__speaking) window.__overlap = true;
        window.__speaking += 1; window.__spoken.push(u.text);
        setTimeout(() => { window.__speaking -= 1; u.onend && u.onend(); }, 300);
      };
      window.speechSynthesis.cancel = () => { window.__overlap = true; };
    """)
    clerk = staff("window1")
    for prefix in ("A", "B", "D"):
        issue(clerk, prefix)
    for window in (1, 3, 4):
        call_next(clerk, window)
    board.wait_for_function("window.__spoken.length === 3", timeout=20000)
    assert board.evaluate("window.__spoken") == ["请A001号到1号窗口办理", "请B001号到3号窗口办理", "请D001号到4号窗口办理"]
    assert board.evaluate("window.__overlap") is False
    assert board.text_content("#now-code") == "D001"
    assert board.eval_on_selector_all("#recent .code", "nodes => nodes.map(n => n.textContent)") == ["B001", "A001"]
    board_context.close()


def test_the_board_catches_up_after_a_reconnect(browser, demo_app, live_server, monday_morning, staff):
    base = live_server(demo_app).url
    board_context, board = open_board(browser, base)
    board_context.set_offline(True)
    board.wait_for_selector("#offline:not([hidden])", timeout=30000)
    clerk = staff("window1")
    issue(clerk, "A")
    call_next(clerk, 1)
    board_context.set_offline(False)
    board.wait_for_function("document.getElementById('now-code').textContent === 'A001'", timeout=30000)
    board.wait_for_function("window.__spoken.length === 1")
    assert board.evaluate("window.__spoken[0].text") == "请A001号到1号窗口办理"
    board_context.close()
