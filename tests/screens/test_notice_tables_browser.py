"""Notices on boards, every demo notice at every board size: every table cell inside the notice's
text box on the page it is on (smaller type, then wrapping, then the columns split into parts that
follow one another), never cut at the right edge; list numbers and bullets inside the slide; the
offline badge covering nothing of the slide (扫码查看全文)."""
import os

import pytest
from sqlalchemy import select

from kiosk.disclosures.feed import notice_data
from kiosk.disclosures.models import Notice
from kiosk.extensions import db
from tests.screens.conftest import ready_for_an_outage
from tests.screens.test_notice_slides_browser import notice_player

pytestmark = pytest.mark.browser

SCREENSHOTS = os.environ.get("KIOSK_SCREENSHOTS")   # e.g. docs/screenshots: the README's pictures
# The finance notice alone over the player, as the board shows it.
SHOW_LEDGER = """async () => {
  const slides = await import("/display/files/slides.js");
  const state = JSON.parse(localStorage.getItem("kiosk.state"));
  const entry = state.rotations.flatMap((r) => r.slides).find((s) => s.title === "李庄村10月财务收支公开");
  const layer = document.createElement("div");
  layer.className = "layer shown";
  layer.style.cssText = "z-index: 5; background: var(--paper); transition: none";
  document.getElementById("stage").append(layer);
  const node = slides.renderSlide(entry, Date.now(), state);
  layer.replaceChildren(node);
  await slides.picturesReady(node);
  slides.showPage(node, 0, slides.measurePages(node), state.strings);
}"""
SIZES = [(1080, 1920), (1920, 1080), (390, 844)]

# Renders each notice of the player's state into a layer over the player's own (the player keeps
# cycling underneath), page by page, and lists the cells that reach past the text box.
CELLS_OUTSIDE = """async () => {
  const slides = await import("/display/files/slides.js");
  const state = JSON.parse(localStorage.getItem("kiosk.state"));
  const entries = new Map();
  for (const rotation of state.rotations)
    for (const slide of rotation.slides) if (slide.kind === "notice") entries.set(slide.key, slide);
  const layer = document.createElement("div");
  layer.className = "layer shown";
  layer.style.zIndex = 5;
  document.getElementById("stage").append(layer);
  const outside = [], titles = [];
  for (const entry of entries.values()) {
    const node = slides.renderSlide(entry, Date.now(), state);
    layer.replaceChildren(node);
    await slides.picturesReady(node);
    const pages = slides.measurePages(node);
    const body = node.querySelector(".body");
    body.firstElementChild.style.transition = "none";
    titles.push(entry.title);
    for (let page = 0; page < pages; page++) {
      slides.showPage(node, page, pages, state.strings);
      const box = body.getBoundingClientRect();
      for (const cell of node.querySelectorAll("td, th")) {
        const r = cell.getBoundingClientRect();
        if (r.left >= box.left - 1 && r.left < box.right && r.right > box.right + 1)
          outside.push(`${entry.title} p${page + 1}: “${cell.textContent}” ends at ${Math.round(r.right)} > ${Math.round(box.right)}`);
      }
      // An outside marker sits left of its item, and the body clips what is left of its box.
      for (const list of node.querySelectorAll(".columns ol, .columns ul")) {
        const items = [...list.children];
        items.forEach((item, index) => {
          const left = item.getBoundingClientRect().left;
          if (left < box.left - 1 || left >= box.right) return;   // on another page
          const probe = document.createElement("span");
          probe.textContent = list.tagName === "OL" ? `${list.start + items.length - 1}. ` : "• ";
          probe.style.cssText = "position: absolute; visibility: hidden; white-space: pre";
          item.append(probe);
          const marker = left - probe.getBoundingClientRect().width;
          probe.remove();
          if (marker < box.left - 0.5) outside.push(`${entry.title}: marker of item ${index + 1} cut at ${Math.round(marker)} < ${Math.round(box.left)}`);
        });
      }
    }
  }
  layer.remove();
  return {titles, outside};
}"""


@pytest.fixture
def every_demo_notice(demo_app, monkeypatch):
    """The board shows every published demo notice (the tender one is not yet showing at the pinned hour)."""
    def all_published(unit):
        return [notice_data(n) for n in db.session.scalars(select(Notice).where(Notice.published_version_id.is_not(None))
                                                              .order_by(Notice.id))]
    monkeypatch.setattr("kiosk.screens.providers.showing_notices", all_published)


@pytest.mark.parametrize("width, height", SIZES)
def test_no_table_is_cut_at_any_board_size(demo_app, live_server, browser, new_screen, manager, every_demo_notice,
                                           width, height):
    context, page = notice_player(demo_app, live_server, browser, new_screen, manager, width, height, seconds=30)
    try:
        page.wait_for_selector(".layer.shown .notice", timeout=15000)
        result = page.evaluate(CELLS_OUTSIDE)
        assert "李庄村10月财务收支公开" in result["titles"] and "镇村道路养护工程中标候选人公示" in result["titles"]
        assert result["outside"] == []
        if SCREENSHOTS:
            page.evaluate(SHOW_LEDGER)
            page.screenshot(path=os.path.join(SCREENSHOTS, f"board-finance-table-{width}x{height}.png"),
                            animations="disabled")
            page.evaluate("document.querySelectorAll('#stage .layer')[2].remove()")
        # Offline, the badge says so without covering the slide (it covered 扫码查看全文).
        ready_for_an_outage(page)
        context.set_offline(True)
        page.reload()
        page.wait_for_selector("#offline:not([hidden])", timeout=10000)
        page.wait_for_selector(".layer.shown .notice .qr figcaption", timeout=40000)
        overlap = page.evaluate("""() => {
          const a = document.getElementById("offline").getBoundingClientRect();
          const b = document.querySelector(".layer.shown .slide").getBoundingClientRect();
          return Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) *
                 Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
        }""")
        assert overlap == 0
    finally:
        context.close()
