"""Every kiosk screen as a visitor sees it, in a real Chromium with touch at both panel sizes: the
rating keypad corrects mistakes, document pages are seen whole, the language button keeps the
visitor where they were, searching finds guides and says when nothing is found, and every screen
in every mode (normal, large text, high contrast, English) keeps text at 4.5:1 contrast with
nothing overlapping the header, nothing wider than the panel, no word broken a character a line."""
import pytest

from tests.conftest import registered_screen
from tests.queue.conftest import monday_morning  # noqa: F401 (fixture)
from tests.touch.conftest import LANDSCAPE, PORTRAIT

pytestmark = pytest.mark.browser

# Every visible text's contrast against its effective background (ancestors' colours composed,
# opacity included), and what overlaps: a text of the screen over the header, anything wider than
# the panel, a text of two or more characters broken one character a line.
LAYOUT_PROBLEMS = """() => {
  const rgba = (value) => { const [r, g, b, a = 1] = value.match(/[\\d.]+/g).map(Number); return [r, g, b, a]; };
  const over = (top, bottom) => top.slice(0, 3).map((c, i) => c * top[3] + bottom[i] * (1 - top[3]));
  const luminance = (rgb) => { const [r, g, b] = rgb.map((c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const background = (node) => {
    const layers = [];
    for (let n = node; n; n = n.parentElement) layers.push(rgba(getComputedStyle(n).backgroundColor));
    let colour = [255, 255, 255];
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const opacity = (node) => { let o = 1; for (let n = node; n; n = n.parentElement) o *= Number(getComputedStyle(n).opacity); return o; };
  const kiosk = document.getElementById("kiosk");
  const header = document.querySelector(".top").getBoundingClientRect();
  const main = document.querySelector("main").getBoundingClientRect();
  const texts = new Map();
  const walker = document.createTreeWalker(kiosk, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) if (walker.currentNode.textContent.trim()) texts.set(walker.currentNode.parentElement, walker.currentNode);
  const problems = [];
  const name = (node) => `${node.tagName.toLowerCase()}.${[...node.classList].join(".")} "${node.textContent.trim().slice(0, 16)}"`;
  for (const [node, text] of texts) {
    if (!node.checkVisibility({ visibilityProperty: true })) continue;
    if (node.closest("button:disabled, .calm, .attract-slide")) continue;   // inactive; the player's own slides
    const box = node.getBoundingClientRect();
    const inMain = main.top <= box.top && box.top < main.bottom || main.top < box.bottom && box.bottom <= main.bottom;
    if (!box.width || !box.height || (node.closest("main") && !inMain)) continue;   // scrolled or paged away
    if (node.closest(".columns") && (box.left >= innerWidth || box.right <= 0)) continue;   // another page of the reader
    const style = getComputedStyle(node);
    const behind = background(node);
    const colour = rgba(style.color);
    const shown = over([...colour.slice(0, 3), colour[3] * opacity(node)], behind);
    const contrast = ratio(shown, behind);
    if (contrast < 4.5) problems.push(`contrast ${contrast.toFixed(2)}: ${name(node)} ${style.color} on rgb(${behind.map(Math.round)})`);
    if (node.closest("main") && box.top < header.bottom - 1) problems.push(`under the header: ${name(node)}`);
    const range = document.createRange();
    range.selectNodeContents(text);
    const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
    const characters = [...text.textContent.replace(/\\s/g, "")].length;
    if (characters >= 2 && lines >= 2 && lines >= characters) problems.push(`a character a line: ${name(node)}`);
  }
  for (const node of kiosk.querySelectorAll("*")) {
    if (!node.checkVisibility() || node.closest(".columns, .attract-slide")) continue;
    const box = node.getBoundingClientRect();
    if (box.width > innerWidth + 1 || box.right > innerWidth + 1 || box.left < -1) problems.push(`wider than the panel: ${name(node)}`);
  }
  return problems;
}"""
SWITCHES = ((), ("large",), ("contrast",), ("large", "contrast"))


def open_kiosk(browser, touch_app, base, size):
    """A browser at a panel's size that is the demo hall's touch kiosk (its device token, no pairing)."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", has_touch=True,
                                  viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto(f"{base}/display/activate/{registered_screen(touch_app)}")
    page.wait_for_selector("#kiosk[data-ready]")
    return page


@pytest.fixture
def kiosk_page(browser, touch_app, live_server, monday_morning):  # noqa: F811
    base = live_server(touch_app).url
    pages = []

    def open_at(size=PORTRAIT):
        pages.append(open_kiosk(browser, touch_app, base, size))
        return pages[-1]
    yield open_at
    for page in pages:
        page.context.close()


def on(page, screen):
    page.wait_for_selector(f"[data-screen='{screen}']:not([hidden])")


def start(page, choice):
    """From wherever the visitor is, home and one of its choices."""
    if page.is_visible("#attract"):
        page.tap("#attract")
    elif page.is_visible(".home-button"):
        page.tap(".home-button")
    on(page, "home")
    page.tap(f"[data-choice={choice}]")
    on(page, choice)


def type_keys(page, scope, keys):
    for key in keys:
        page.tap(f"{scope} .keyboard [data-key='{key}']")


def test_the_rating_keypad_deletes_and_clears(kiosk_page):
    page = kiosk_page()
    start(page, "rate")
    fields = "#rate .typed.field"
    type_keys(page, "#rate", "a12")
    type_keys(page, "#rate", ["delete"])
    assert page.inner_text(f"{fields} >> nth=0") == "A1"
    type_keys(page, "#rate", ["clear"])
    assert page.inner_text(f"{fields} >> nth=0").strip() == ""
    page.tap("#rate .field-label >> nth=1")
    type_keys(page, "#rate", "4821")
    type_keys(page, "#rate", ["delete"])
    assert page.inner_text(f"{fields} >> nth=1") == "482"
    type_keys(page, "#rate", ["clear"])
    assert page.inner_text(f"{fields} >> nth=1").strip() == ""


def open_project_notice(page):
    """李庄村's project notice, whose scanned budget has three A4 pages."""
    start(page, "villages")
    page.tap("#villages [data-code=lizhuang]")
    page.tap("#list .notice-item >> nth=0")
    on(page, "notice")
    page.wait_for_function("[...document.querySelectorAll('#reader .document-page img')].length === 3 && "
                           "[...document.querySelectorAll('#reader .document-page img')].every(i => i.complete)")


def document_page_seen_whole(page) -> dict:
    """Turns the reader to the first document page; its picture's box, the body's and the QR's."""
    turns = page.evaluate("""() => {
      const body = document.querySelector('#reader .body'), columns = body.firstElementChild;
      const step = body.clientWidth + parseFloat(getComputedStyle(columns).columnGap);
      const x = document.querySelector('#reader .document-page').getBoundingClientRect().x;
      return Math.round((x - columns.getBoundingClientRect().x) / step);
    }""")
    for _ in range(turns):
        page.tap(".page.next")
    page.wait_for_function("document.getAnimations().every((a) => a.playState === 'finished')")
    return page.evaluate("""() => {
      const box = (selector) => document.querySelector(selector).getBoundingClientRect().toJSON();
      return {picture: box('#reader .document-page img'), body: box('#reader .body'), qr: box('#reader .qr img'),
              viewport: [innerWidth, innerHeight]};
    }""")


@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_a_document_page_is_seen_whole(kiosk_page, size):
    page = kiosk_page(size)
    open_project_notice(page)
    for large in (False, True):
        if large:
            page.tap("[data-tool=large]")
            open_project_notice(page)
        seen = document_page_seen_whole(page)
        picture, body, qr = seen["picture"], seen["body"], seen["qr"]
        assert body["y"] - 1 <= picture["y"] and picture["y"] + picture["height"] <= body["y"] + body["height"] + 1, seen
        assert body["x"] - 1 <= picture["x"] and picture["x"] + picture["width"] <= body["x"] + body["width"] + 1, seen
        assert picture["height"] > 0.5 * body["height"], seen   # fitted, not shrunk to a stamp
        assert qr["y"] + qr["height"] <= seen["viewport"][1], f"the take-away QR is below the fold: {seen}"


def test_the_language_button_names_the_other_language_and_keeps_the_visitor_there(kiosk_page):
    page = kiosk_page()
    start(page, "guides")
    page.tap("#guides .guide-item >> nth=1")
    on(page, "guide")
    language = "[data-tool=language]"
    assert page.inner_text(language) == "English"
    page.tap(language)
    page.wait_for_selector(f"{language}:text-is('中文')")
    on(page, "guide")   # not the attract loop
    assert "Materials to bring" in page.inner_text("#guide") and page.inner_text(".back-button") == "Back"
    page.tap(language)
    page.wait_for_selector(f"{language}:text-is('English')")
    on(page, "guide")
    assert "所需材料" in page.inner_text("#guide")
    page.tap(".back-button")   # the way back survives the switch
    on(page, "guides")


def test_search_says_what_it_did_not_find_and_finds_guides(kiosk_page):
    page = kiosk_page()
    start(page, "guides")
    # Headless Chromium has no Chinese voice: the silent read-aloud button is left out, and the
    # note for staff stays off the visitors' screen.
    page.wait_for_selector("[data-tool=read]", state="hidden", timeout=6000)
    assert "README" not in page.inner_text("#kiosk") and "工作人员" not in page.inner_text("#kiosk")
    page.tap(".tools [data-go=search]")
    on(page, "search")
    type_keys(page, "#search", "ylbx")
    page.wait_for_selector("#search .results .guide-item")
    assert page.inner_text("#search .results .guide-item .title") == "城乡居民养老保险参保登记"
    page.tap("#search .results .guide-item")
    on(page, "guide")
    page.tap(".back-button")
    on(page, "search")
    type_keys(page, "#search", ["clear"] + list("qqqq"))
    page.wait_for_selector("#search .results .empty")
    said = page.inner_text("#search .results .empty")
    assert "qqqq" in said and "没有找到" in said and "暂时没有公开内容" not in said


def every_screen(page):
    """Walks a visitor through every screen of the kiosk, yielding each screen's name once it shows."""
    page.tap(".home-button") if page.is_visible(".home-button") else None
    yield "home"
    for choice in ("take", "categories", "villages", "guides", "complain", "rate"):
        start(page, choice)
        yield choice
        if choice == "take":
            page.tap(".take.normal[data-prefix=A]")
            on(page, "issued")
            yield "issued"
        elif choice == "categories":
            page.tap("#categories [data-code=dibao]")
            page.wait_for_selector("#list .notice-item")
            yield "list"
        elif choice == "villages":
            page.tap("#villages [data-code=lizhuang]")
            page.tap("#list .notice-item >> nth=0")
            page.wait_for_selector("#reader .document-page img")
            yield "notice"
        elif choice == "guides":
            page.tap("#guides .guide-item >> nth=1")
            on(page, "guide")
            yield "guide"
            page.tap(".back-button")
            on(page, "guides")
            page.tap("#guides .apply-link")
            on(page, "apply")
            page.wait_for_selector("#apply .qr img")
            yield "apply"
        elif choice == "complain":
            page.tap("#complain .wide")
            on(page, "message")
            page.tap("#message .topics [data-code=waiting]")
            type_keys(page, "#message", "chang")
            page.wait_for_selector("#message .candidate:text-is('长')")
            yield "message"
            page.tap("#message .send")
            on(page, "done")
            yield "done"
        elif choice == "rate":
            type_keys(page, "#rate", "a1")
    page.tap(".tools [data-go=search]")
    type_keys(page, "#search", ["clear"] + list("dbgs"))
    page.wait_for_selector("#search .results .notice-item")
    yield "search"
    type_keys(page, "#search", ["clear"] + list("qqqq"))
    page.wait_for_selector("#search .results .empty")
    yield "search"


def test_every_screen_in_every_mode_is_readable_and_nothing_overlaps(kiosk_page, touch_app):
    # A message is sent and a number taken in each pass: one visit far busier than a visitor's.
    touch_app.config.update({name: "100 per minute" for name in (
        "KIOSK_TOUCH_MESSAGE_LIMIT", "KIOSK_TOUCH_MESSAGE_VISIT_LIMIT", "KIOSK_TOUCH_TICKET_LIMIT",
        "KIOSK_TOUCH_TICKET_VISIT_LIMIT")})
    page = kiosk_page()
    found = []

    def check(where):
        # At every quarter of any running animation (the invitation breathes): a screen must be
        # readable at each moment, not at the one the check happens to catch.
        for quarter in range(4):
            page.evaluate("(q) => document.getAnimations().forEach((a) => { a.pause(); "
                          "a.currentTime = q * a.effect.getComputedTiming().duration / 4; })", quarter)
            found.extend(f"{where}: {problem}" for problem in page.evaluate(LAYOUT_PROBLEMS))
        page.evaluate("document.getAnimations().forEach((a) => a.play())")
    for size in (PORTRAIT, LANDSCAPE):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        page.tap(".home-button") if page.is_visible(".home-button") else None
        if page.is_visible("#attract"):
            check(f"{size} attract")
            page.tap("#attract")
        for language in ("zh", "en"):
            for screen in every_screen(page):
                for switches in SWITCHES:   # each switch turned on and off again
                    for tool in ("large", "contrast"):
                        if (tool in switches) != (page.get_attribute(f"[data-tool={tool}]", "aria-pressed") == "true"):
                            page.tap(f"[data-tool={tool}]")
                    check(f"{size[0]}×{size[1]} {language} {'+'.join(switches) or 'normal'} {screen}")
                for tool in ("large", "contrast"):
                    if page.get_attribute(f"[data-tool={tool}]", "aria-pressed") == "true":
                        page.tap(f"[data-tool={tool}]")
            page.tap("[data-tool=language]")
            page.wait_for_function(f"document.documentElement.lang === '{'en' if language == 'zh' else 'zh-CN'}'")
    assert found == [], "\n".join(dict.fromkeys(found))
