"""A draft for comment on a village board in Chromium: its slide says how many days are left to
comment, from the state's countdown (the player counts nothing itself), and the last day as such."""
from datetime import timedelta

import pytest

from kiosk.core import clock
from tests.screens.conftest import manager, new_screen  # noqa: F401 (fixtures)
from tests.screens.test_notice_slides_browser import PARAGRAPHS, feed_notice, notice_player

pytestmark = pytest.mark.browser


@pytest.fixture
def drafts(monkeypatch):
    """Two drafts for comment from the feed: one closing in 5 days, one closing at 17:00 today."""
    now = clock.now()
    closing_later, closing_today = (feed_notice(21, "村道硬化方案（征求意见稿）", PARAGRAPHS[:1], "村务决策", "#1d4f91", 9),
                                    feed_notice(22, "垃圾分类方案（征求意见稿）", PARAGRAPHS[:1], "村务决策", "#1d4f91", 9))
    for item, until in ((closing_later, clock.local_midnight_utc(clock.local_today() + timedelta(days=5))),
                        (closing_today, clock.local_midnight_utc(clock.local_today()) + timedelta(hours=17))):
        item.update({"pre_disclosure": True, "comment_from": (now - timedelta(days=1)).isoformat(),
                     "comment_until": until.isoformat(), "publicity_end": None, "period_unit": None})
    items = [closing_later, closing_today]
    monkeypatch.setattr("kiosk.screens.providers.showing_notices", lambda unit: items)
    return items


def test_a_drafts_slide_counts_the_days_left_to_comment(demo_app, live_server, browser, new_screen, manager,  # noqa: F811
                                                        drafts):
    context, page = notice_player(demo_app, live_server, browser, new_screen, manager, 1080, 1920, seconds=3)
    try:
        page.wait_for_selector(".layer.shown .notice:has-text('村道硬化方案')", timeout=15000)
        assert page.inner_text(".layer.shown .comment-days-left") == "征求意见稿：征求意见还剩 5 天"
        assert not page.is_visible(".layer.shown .days-left")                 # no publicity period
        page.wait_for_selector(".layer.shown .notice:has-text('垃圾分类方案')", timeout=15000)
        assert page.inner_text(".layer.shown .comment-days-left") == "征求意见稿：今天截止征求意见"
    finally:
        context.close()
