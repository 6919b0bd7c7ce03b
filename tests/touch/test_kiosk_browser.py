"""A visitor's morning at the touch kiosk, in a real Chromium with touch events, portrait and
landscape: the kiosk is paired from the screens page and lands on its attract loop; a touch goes
home; a number in two touches (with the estimated wait, and the QR since the hall has no printer);
a village's long notice read page by page; a pinyin-initial search; a message written in
Chinese with the pinyin input; a guide's take-a-number button;
a rating refused for a ticket that is not the visitor's and accepted for their own; large text and
high contrast; and a minute without a touch forgets it all. Every screen on the way is measured:
nothing a finger can touch is under 2 cm on a 21.5-inch panel."""
import pytest
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.touch.models import KioskMessage
from tests.conftest import StaffClient
from tests.queue.conftest import call_next, issue, serve
from tests.touch.conftest import too_small

pytestmark = pytest.mark.browser


def on(page, screen):
    page.wait_for_selector(f"[data-screen='{screen}']:not([hidden])")
    assert too_small(page) == [], f"touch targets under 2 cm on the {screen} screen"


def home(page):
    page.tap(".home-button")
    on(page, "home")


def test_a_visit_at_the_kiosk(kiosk, touch_app):
    page, _base = kiosk
    # Attract loop: the hall group's rotation, as the player plays it, under the invitation.
    on(page, "attract")
    assert page.inner_text("#touch-to-start") == "点击屏幕开始"
    page.wait_for_selector("#attract-slide .slide")
    page.tap("#attract")
    on(page, "home")
    assert page.eval_on_selector_all(".choice .label", "nodes => nodes.map(n => n.textContent)") == [
        "政务公开评议", "取号", "政务公开", "村务公开", "办事指南", "投诉监督", "服务评价"]   # the demo's survey is open
    assert page.is_visible("[data-tool=read]")   # a Chinese voice is installed

    # A number in two touches: 取号, then the service's priority lane.
    page.tap("[data-choice=take]")
    on(page, "take")
    page.tap(".take.green[data-prefix=A]")
    on(page, "issued")
    mine = page.inner_text(".ticket-code")
    assert mine.startswith("A") and "绿色通道" in page.inner_text("#issued")
    assert "预计等候" in page.inner_text(".ticket-estimate")
    assert "请在下方取走排队小票" not in page.inner_text("#issued")   # no printer here: the QR is the ticket
    assert "扫描二维码" in page.inner_text(".ticket-print")
    page.wait_for_function("document.querySelector('#issued .qr img').naturalWidth > 0")
    my_code = page.inner_text("#issued .qr figcaption").split()[-1]

    # Township disclosures by category.
    home(page)
    page.tap("[data-choice=categories]")
    on(page, "categories")
    page.tap("#categories [data-code=dibao]")
    on(page, "list")
    page.wait_for_selector("#list .notice-item")
    assert page.inner_text("#list-title") == "低保公示"

    # A village's notices, newest first, and a long one read page by page with its document pages.
    home(page)
    page.tap("[data-choice=villages]")
    on(page, "villages")
    page.tap("#villages [data-code=lizhuang]")
    on(page, "list")
    page.wait_for_selector("#list .notice-item")
    titles = page.eval_on_selector_all("#list .notice-item .title", "nodes => nodes.map(n => n.textContent)")
    assert titles[0] == "李庄村2026年村级公益事业建设项目公示" and "李庄村10月财务收支公开" in titles
    assert "公示期剩余" in page.inner_text("#list .notice-item")
    page.tap("#list .notice-item")
    on(page, "notice")
    page.wait_for_function("document.querySelectorAll('#reader .document-page img').length === 3 && "
                           "[...document.querySelectorAll('#reader .document-page img')].every(i => i.complete)")
    pager = page.inner_text("#reader .pager")
    assert pager.startswith("第1页")
    page.tap(".page.next")
    page.wait_for_function("document.querySelector('#reader .pager').textContent.startsWith('第2页')")
    assert page.is_disabled(".page.next") is False
    page.tap(".page.previous")
    page.wait_for_function("document.querySelector('#reader .pager').textContent.startsWith('第1页')")
    assert page.get_attribute("#reader .qr img", "src").startswith("/qr/n/")

    # Search by pinyin initials on the on-screen keyboard, results as you type.
    page.tap(".tools [data-go=search]")
    on(page, "search")
    for letter in "dbgs":
        page.tap(f".keyboard [data-key={letter}]")
    page.wait_for_selector("#search .results .notice-item")
    assert "2026年第四季度农村低保对象公示" in page.inner_text("#search .results")

    # A service guide, and a number for its service from it.
    home(page)
    page.tap("[data-choice=guides]")
    on(page, "guides")
    page.tap("#guides .guide-item >> nth=1")
    on(page, "guide")
    assert "承诺时限" in page.inner_text("#guide") and "30个工作日" in page.inner_text("#guide")
    page.tap(".take-for")
    on(page, "take")
    assert page.eval_on_selector_all("#services .service", "nodes => nodes.length") == 1
    page.tap(".take.normal[data-prefix=B]")
    on(page, "issued")
    assert page.inner_text(".ticket-code").startswith("B")

    # The link drops: what is loaded keeps working, a calm 请稍候 shows, and it recovers by itself.
    page.context.set_offline(True)
    home(page)
    page.tap("[data-choice=guides]")
    page.tap("#guides .guide-item >> nth=0")
    on(page, "guide")
    home(page)
    page.tap("[data-choice=villages]")
    page.tap("#villages [data-code=wangjia]")
    page.wait_for_selector("#calm:not([hidden])")
    assert "请稍候" in page.inner_text("#calm") and "请稍候" in page.inner_text("#list")
    page.context.set_offline(False)
    page.tap(".back-button")
    page.tap("#villages [data-code=lizhuang]")
    page.wait_for_selector("#list .notice-item")
    page.wait_for_selector("#calm", state="hidden")

    # Complaints: the channels with their QR codes, and the message form.
    home(page)
    page.tap("[data-choice=complain]")
    on(page, "complain")
    assert "12345" in page.inner_text("#complain") and "12388" in page.inner_text("#complain")
    page.tap("#complain .wide")
    on(page, "message")
    # Chinese words without a keyboard habit: pinyin on the letters, then a touch on the word.
    page.tap("#message .topics [data-code=waiting]")

    def write(letters, word):
        for key in letters:
            page.tap(f"#message .keyboard [data-key='{key}']")
        page.wait_for_selector(f"#message .candidate:text-is('{word}')")
        assert too_small(page) == [], "touch targets under 2 cm among the pinyin candidates"
        page.tap(f"#message .candidate:text-is('{word}')")
    write("wo", "我")
    write("xiang", "想")
    write("fanying", "反映")
    write("paidui", "排队")
    page.tap("#message .candidate:text-is('。')")
    assert page.inner_text("#message .typed.field >> nth=0") == "我想反映排队。"
    page.tap("#message .send")
    on(page, "done")
    with touch_app.app_context():
        assert db.session.scalars(select(KioskMessage.message)).all()[-1] == "我想反映排队。"

    # Rating only your own ticket: another visit's number with my code is refused.
    clerk = StaffClient(touch_app.test_client(), "window1")
    other = issue(clerk, "A")
    for ticket in (call_next(clerk, 1), call_next(clerk, 2)):
        serve(clerk, 1 if ticket["code"] == mine else 2, ticket["id"])
    home(page)
    page.tap("[data-choice=rate]")
    on(page, "rate")

    def type_ticket(number, code):
        page.tap("#rate .field-label >> nth=0")
        page.tap("#rate .keyboard [data-key=clear]")
        for key in number.lower():
            page.tap(f"#rate .keyboard [data-key='{key}']")
        page.tap("#rate .field-label >> nth=1")
        page.tap("#rate .keyboard [data-key=clear]")
        for key in code:
            page.tap(f"#rate .keyboard [data-key='{key}']")
    type_ticket(other["code"], my_code)
    page.tap("#rate .level-5")
    page.wait_for_selector("#rate .error")
    assert "不符" in page.inner_text("#rate .error")
    type_ticket(mine, my_code)
    page.tap("#rate .level-5")
    on(page, "done")
    assert "感谢" in page.inner_text("#done-text")

    # Large text and high contrast, on every screen; read-aloud speaks the screen in Mandarin.
    home(page)
    page.tap("[data-tool=large]")
    page.tap("[data-tool=contrast]")
    assert page.evaluate("getComputedStyle(document.getElementById('kiosk')).fontSize") == "40px"
    assert page.evaluate("getComputedStyle(document.querySelector('.choice')).backgroundColor") == "rgb(0, 0, 0)"
    assert too_small(page) == []
    page.tap("[data-tool=read]")
    page.wait_for_function("window.__spoken.length > 0")
    assert page.evaluate("window.__spoken.at(-1).lang") == "zh-CN"
    assert "取号" in page.evaluate("window.__spoken.at(-1).text")
    page.tap(".tools [data-go=search]")
    page.tap(".keyboard [data-key=w]")

    # A minute without a touch: back to the attract loop, and nothing of this visit remains.
    page.clock.fast_forward(61000)
    on(page, "attract")
    assert page.evaluate("document.getElementById('kiosk').className") == "kiosk attracting"  # switches off
    page.tap("#attract")
    on(page, "home")
    page.tap(".tools [data-go=search]")
    assert page.inner_text("#search .typed").strip() == ""
    assert page.get_attribute("[data-tool=read]", "aria-pressed") == "false"
    assert page.evaluate("Object.keys(localStorage).filter(k => !k.startsWith('kiosk.token') && "
                         "!['kiosk.touch.state', 'kiosk.reports'].includes(k))") == []
