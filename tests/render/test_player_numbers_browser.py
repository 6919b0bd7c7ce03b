"""The player in Chromium keeps "50,000.00" and "10月8日" whole in the cells of a portrait table, by
the same rule as the renderer (display/player/slides.js keepNumbersWhole, kiosk/render/breaking.py)."""
import pytest

from tests.screens.conftest import new_screen  # noqa: F401  (fixture)
from tests.screens.test_notice_slides_browser import feed_notice, notice_player

pytestmark = pytest.mark.browser

TABLE = ("<table><thead><tr><th>项目</th><th>金额（元）</th><th>日期</th><th>备注</th></tr></thead><tbody>"
         + "".join(f"<tr><td>上级转移支付补助资金用于第{n}组村道路面修补</td><td>50,000.00</td><td>10月8日</td>"
                   f"<td>经村民代表会议讨论通过，按“四议两公开”程序办理，资金已于2026年10月8日拨付到位</td></tr>"
                   for n in range(1, 4)) + "</tbody></table>")

ONE_LINE = """(text) => [...document.querySelectorAll('.layer.shown td')].filter((cell) => cell.textContent === text)
  .map((cell) => { const range = document.createRange(); range.selectNodeContents(cell);
                   return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size; })"""


@pytest.fixture
def table_notice(monkeypatch):
    item = feed_notice(9, "李庄村10月财务收支明细", [], "村级财务收支", "#e65100", 7)
    item["body_html"] = TABLE
    monkeypatch.setattr("kiosk.screens.providers.showing_notices", lambda unit: [item])
    return item


def test_numbers_in_portrait_table_cells_stay_whole(demo_app, live_server, browser, new_screen,  # noqa: F811
                                                    manager, table_notice):
    context, page = notice_player(demo_app, live_server, browser, new_screen, manager, 540, 960)
    try:
        page.wait_for_selector(".layer.shown .notice:has-text('财务收支明细')", timeout=15000)
        for text in ("50,000.00", "10月8日"):
            lines = page.evaluate(ONE_LINE, text)
            assert lines and set(lines) == {1}, (text, lines)
        assert page.eval_on_selector_all(".layer.shown .keep", "spans => spans.map((s) => s.textContent)").count(
            "2026年10月8日") == 3
    finally:
        context.close()
