"""Notice slides in Chromium, portrait and landscape: category band, QR, days left, paging of a long
notice, Chinese line breaking, and a notice ending while the screen is offline. The notices come
through the screens' provider interface (kiosk.screens.providers.showing_notices), here given two
notices as the disclosures feed shapes them, so their text, length and end are the test's."""
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kiosk.core import clock
from tests.screens.conftest import ready_for_an_outage

pytestmark = pytest.mark.browser

SEED = Path("/work/shared/seeds/004_abeaeca2ffc9ad0b.txt")
PARAGRAPHS = [
    "按照县委、政府的要求和部署，镇政务公开工作坚持以公平、公正、公开为指导，本着“实事求是、政务公开”的原则，认真贯彻落实，"
    "把政务公开与政府各项工作联系起来，自觉接受广大群众监督，增强干部队伍素质，提高为民服务的水平。",
    "一是成立工作小组。按照要求，成立了政务公开工作领导小组和政务公开工作督查领导小组。领导小组由镇党委书记为组长，"
    "政府镇长和分管领导为副组长，成员由党政办、人大办、林业站、劳务站、民政办、计生办等负责人组成。",
    "二是完善制度。先后制定了政务公开审核制度、责任追究制度、考核评议制度，做到公开内容真实、公开程序规范、公开时间及时。",
] * 4


def feed_notice(notice_id, title, paragraphs, category, colour, days):
    now = clock.now()
    return {"id": notice_id, "slug": f"n{notice_id}", "index_number": f"jinjia-2026-{notice_id:05d}",
            "title": title, "summary": "", "body_html": "".join(f"<p>{p}</p>" for p in paragraphs),
            "category": {"code": "village_finances", "name": category, "colour": colour, "icon": "ledger",
                         "group": "village_affairs"},
            "unit": {"id": 1, "code": "lizhuang", "name": "李庄村村民委员会"},
            "show_from": (now - timedelta(days=1)).isoformat(), "show_until": (now + timedelta(days=days)).isoformat(),
            # a period ends at local midnight after its last day: `days` days left today
            "publicity_end": clock.local_midnight_utc(clock.local_today() + timedelta(days=days)).isoformat(),
            "period_unit": "calendar_days", "days_left": days,
            "corrected_at": None, "url": f"http://kiosk.test/n/n{notice_id}", "qr": f"/qr/n/n{notice_id}.png",
            "images": [], "documents": []}


@pytest.fixture
def notices(monkeypatch):
    items = [feed_notice(7, "李庄村2026年10月财务收支公开", PARAGRAPHS, "村级财务收支", "#e65100", 7),
             feed_notice(8, "关于2026年度低保对象名单的公示", PARAGRAPHS[:2], "社会救助", "#2e7d32", 3)]
    monkeypatch.setattr("kiosk.screens.providers.showing_notices", lambda unit: items)
    return items


def notice_player(demo_app, live_server, browser, new_screen, manager, width, height, seconds=4):
    """A board of 李庄村 at width × height playing only the published notices, `seconds` each."""
    server = live_server(demo_app)
    assert manager.api("POST", "/api/v1/rotations", json={
        "name": "只放公开事项", "unit": "lizhuang", "group": "board", "priority": 100,
        "slides": [{"kind": "notice", "duration": seconds, "categories": []}]}).status_code == 201
    _screen, path = new_screen(groups=(("lizhuang", "board"),))
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(server.url + path)
    return context, page


LINE_STARTS = """() => {
  // The first character of every rendered line of the notice body.
  const starts = [];
  const walker = document.createTreeWalker(document.querySelector('.layer.shown .columns'), NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let lastTop = null;
  while (walker.nextNode()) {
    const text = walker.currentNode;
    for (let i = 0; i < text.length; i++) {
      range.setStart(text, i); range.setEnd(text, i + 1);
      const box = range.getClientRects()[0];
      if (!box) continue;
      if (lastTop === null || Math.abs(box.top - lastTop) > 4 && box.left < lastLeft) starts.push(text.data[i]);
      lastTop = box.top; var lastLeft = box.left;
    }
  }
  return starts;
}"""


@pytest.mark.parametrize("width, height, name", [(1080, 1920, "portrait"), (1920, 1080, "landscape")])
def test_notice_slides_read_well(demo_app, live_server, browser, new_screen, manager, notices, width, height, name):
    context, page = notice_player(demo_app, live_server, browser, new_screen, manager, width, height)
    try:
        notice = page.wait_for_selector(".layer.shown .notice:has-text('财务收支公开')", timeout=15000)
        page.wait_for_timeout(800)  # let the fade finish before the picture
        page.screenshot(path=f"/tmp/screens-notice-{name}.png")
        assert page.inner_text(".layer.shown .band") == "村级财务收支"
        assert page.eval_on_selector(".layer.shown .band", "b => getComputedStyle(b).backgroundColor") == "rgb(230, 81, 0)"
        assert page.inner_text(".layer.shown .days-left") == "公示期剩余 7 天"
        assert page.eval_on_selector(".layer.shown .qr img", "img => img.naturalWidth") > 0
        assert "第1页" in page.inner_text(".layer.shown .pager")  # the long notice pages by itself
        starts = page.evaluate(LINE_STARTS)
        assert len(starts) > 10 and not set(starts) & set("。，、；：？！”）》")
        page.wait_for_selector(".layer.shown .pager:has-text('第2页')", timeout=8000)
        assert notice.is_visible()
    finally:
        context.close()


def test_a_notice_whose_end_passes_offline_leaves_the_screen(demo_app, live_server, browser, new_screen, manager,
                                                             notices):
    notices.reverse()  # the short 低保 notice first, ending in 18 seconds
    notices[0]["show_until"] = (clock.now() + timedelta(seconds=18)).isoformat()
    context, page = notice_player(demo_app, live_server, browser, new_screen, manager, 1080, 1920)
    shown = "() => document.querySelector('.layer.shown .title')?.textContent || ''"
    try:
        page.wait_for_selector(".layer.shown .notice", timeout=15000)
        ready_for_an_outage(page)
        context.set_offline(True)
        page.reload()  # cuts the socket for good; the player runs from its saved state
        page.wait_for_selector(".layer.shown .title:has-text('低保对象名单')", timeout=10000)
        page.wait_for_selector("#offline:not([hidden])", timeout=10000)
        end = datetime.fromisoformat(notices[0]["show_until"]).timestamp() * 1000
        page.wait_for_function(f"() => Date.now() > {end}", timeout=30000)
        seen = set()
        for _ in range(10):
            seen.add(page.evaluate(shown))
            page.wait_for_timeout(1000)
        assert seen == {"李庄村2026年10月财务收支公开"}
    finally:
        context.close()
