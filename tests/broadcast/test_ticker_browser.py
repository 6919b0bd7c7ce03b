"""Ticker lines in a real Chromium: the demo's line crawling at its speed, smoothly, and an urgent
line pushed to a connected player."""
import time

import pytest

from tests.broadcast.conftest import group_id

pytestmark = pytest.mark.browser

TEXT = ".ticker:not([hidden]) .ticker-text"
# Samples the crawl every 50 ms for a second: (animation time in ms, translateX in px) pairs.
SAMPLE = """async () => {
  const text = document.querySelector('.ticker-text');
  const animation = text.getAnimations()[0];
  const samples = [];
  for (let i = 0; i < 20; i++) {
    samples.push([animation.currentTime, new DOMMatrix(getComputedStyle(text).transform).m41]);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {samples, width: text.offsetWidth, characters: [...text.textContent].length,
          stated: Number(text.dataset.pxPerSecond), fontSize: parseFloat(getComputedStyle(text).fontSize),
          top: text.getBoundingClientRect().top, viewport: innerHeight};
}"""


def test_the_demo_ticker_crawls_at_its_speed_without_jerks(open_player):
    page, _screen = open_player()
    page.wait_for_selector(f"{TEXT}:has-text('村民代表会议')", timeout=5000)
    crawl = page.evaluate(SAMPLE)
    samples = crawl["samples"]
    # 4 characters a second, a character being the line's own average width (one em for Chinese)
    expected = 4 * crawl["width"] / crawl["characters"]
    assert abs(crawl["stated"] - expected) < 0.01 * expected
    assert abs(expected - 4 * crawl["fontSize"]) < 0.1 * expected
    speeds = [(x1 - x0) / (t1 - t0) * 1000 for (t0, x0), (t1, x1) in zip(samples, samples[1:]) if t1 > t0]
    assert len(speeds) >= 15
    # leftwards at the stated speed, the same between every two samples: a constant px/s crawl
    assert all(abs(-speed - expected) < 0.03 * expected for speed in speeds), speeds
    moved = samples[0][1] - samples[-1][1]
    assert moved > 0.8 * expected * (samples[-1][0] - samples[0][0]) / 1000
    # at the bottom of the screen, under the slides (they end above it)
    assert crawl["top"] > 0.9 * crawl["viewport"]
    slides_bottom = page.eval_on_selector("#stage", "s => s.getBoundingClientRect().bottom")
    ticker_top = page.eval_on_selector("#ticker", "t => t.getBoundingClientRect().top")
    assert slides_bottom <= ticker_top + 1


def test_an_urgent_ticker_reaches_a_connected_player_at_once_and_ending_it_drops_it(open_player, manager, demo_app):
    page, _screen = open_player()
    page.wait_for_selector(TEXT, timeout=5000)
    started = time.monotonic()
    response = manager.api("POST", "/api/v1/tickers", json={
        "unit": "jinjia", "text": "河道水位上涨，请勿靠近河边", "groups": [group_id(demo_app, "villages")],
        "urgent": True, "speed": 5})
    assert response.status_code == 201, response.get_json()
    page.wait_for_selector("#ticker.urgent:not([hidden]) .ticker-text:has-text('请勿靠近河边')", timeout=3000)
    elapsed = time.monotonic() - started
    print(f"urgent ticker on the player {elapsed:.2f} s after the request was sent")
    assert elapsed < 2.0
    # it crawls alone while it runs, the whole screen still shows the rotation above it
    assert page.locator("#urgent").is_hidden()
    assert page.locator(".layer.shown .slide").count() == 1
    ticker = response.get_json()
    assert manager.api("POST", f"/api/v1/tickers/{ticker['id']}/end").status_code == 200
    page.wait_for_selector("#ticker:not(.urgent) .ticker-text:has-text('村民代表会议')", timeout=3000)


def test_the_hall_board_crawls_its_ticker_along_the_bottom(open_player, manager, demo_app):
    response = manager.api("POST", "/api/v1/tickers", json={
        "unit": "jinjia", "text": "今日办理社会保险业务请携带身份证原件", "groups": [group_id(demo_app, "hall")]})
    assert response.status_code == 201, response.get_json()
    page, _screen = open_player(width=1920, height=1080, unit="jinjia-hall", kind="hall_board", name="测试叫号屏",
                                groups=("hall",), ready=".board")
    page.wait_for_selector(f"{TEXT}:has-text('请携带身份证原件')", timeout=5000)
    assert page.eval_on_selector(".board", "b => b.getBoundingClientRect().bottom") <= \
        page.eval_on_selector("#ticker", "t => t.getBoundingClientRect().top") + 1
