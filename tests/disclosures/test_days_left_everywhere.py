"""One rule for days left: the screen's state (even one fetched days earlier and played offline),
the public phone page, and the display certificate (page and API) give the same number as
`periods.days_left` for notices under publicity at pinned instants across local midnight, a
weekend and the National Day holiday. (The touch kiosk reads the same feed; its own test lives
with it.)"""
import re

import pytest
from sqlalchemy import select

from kiosk.disclosures.periods import days_left
from kiosk.disclosures.feed import publicity_end
from kiosk.disclosures.models import Notice
from kiosk.extensions import db
from kiosk.screens.models import Screen
from kiosk.screens.state import ms, player_state

from tests.disclosures.conftest import local

# (category, period, published at, instants to look at and the days left expected there)
CASES = [
    # 低保 list, 7 calendar days 2026-11-28 … 12-04: the finding was 6 on the screen and 7 on the phone.
    ("dibao", {}, "2026-11-28 06:00",
     [("2026-11-28 06:37", 7), ("2026-11-28 23:59:59", 7), ("2026-11-29 00:00", 6), ("2026-12-04 08:00", 1),
      ("2026-12-04 23:59", 1), ("2026-12-05 00:00", 0)]),
    # cadre pre-appointment, 5 working days from Friday 2026-11-06: Fri, Mon … Thu 11-12.
    ("cadre_preappointment", {}, "2026-11-06 10:00",
     [("2026-11-06 10:00", 5), ("2026-11-07 12:00", 4), ("2026-11-08 23:59", 4), ("2026-11-09 00:00:01", 4),
      ("2026-11-10 09:00", 3), ("2026-11-12 17:00", 1), ("2026-11-13 00:00", 0)]),
    # across National Day: from Wed 09-30, 1–7 Oct off, then 8, 9 and the 调休 Saturday 10 Oct, then 12 Oct.
    ("cadre_preappointment", {}, "2026-09-30 09:00",
     [("2026-09-30 09:00", 5), ("2026-10-01 09:00", 4), ("2026-10-07 23:00", 4), ("2026-10-08 00:00", 4),
      ("2026-10-10 12:00", 2), ("2026-10-11 12:00", 1), ("2026-10-12 12:00", 1), ("2026-10-13 00:00", 0)]),
]


def _screen_days_left(state: dict, notice_id: int, at_ms: int) -> int:
    """What the player shows: the latest countdown step begun (display/player/slides.js countdownAt)."""
    for rotation in state["rotations"]:
        for slide in rotation["slides"]:
            if slide.get("notice_id") == notice_id:
                begun = [step for step in slide["countdown"] if step[0] <= at_ms]
                return begun[-1][1] if begun else None
    raise AssertionError("the notice is not in the screen's state")


@pytest.mark.parametrize("category, fields, published, checks", CASES, ids=["dibao", "working-days", "holiday"])
def test_screen_phone_and_certificate_agree(demo_app, clients, approved, frozen,
                                            category, fields, published, checks):
    frozen(published)
    notice = approved("editor", category=category, title="公示期测试", audience="villages",
                      villages=["lizhuang"], formed_on=published[:10], **fields)
    visitor = demo_app.test_client()
    editor = clients("editor")
    with demo_app.test_request_context():
        screen = db.session.scalar(select(Screen).where(Screen.name == "李庄村村务公开栏"))
        early_state = player_state(screen)   # fetched on the first day, then played offline
        row = db.session.get(Notice, notice["id"])
        end, unit = publicity_end(row), row.published_version.period_unit
    for instant, expected in checks:
        frozen(instant)
        moment = local(instant)
        with demo_app.test_request_context():
            assert days_left(end, unit=unit) == expected, instant
            screen = db.session.scalar(select(Screen).where(Screen.name == "李庄村村务公开栏"))
            if expected:  # an ended notice leaves the screen
                assert _screen_days_left(player_state(screen), notice["id"], ms(moment)) == expected, instant
            assert _screen_days_left(early_state, notice["id"], ms(moment)) == expected, instant
        phone = visitor.get(f"/n/{notice['slug']}").get_data(as_text=True)
        assert re.search(r'data-days-left="(\d+)"', phone).group(1) == str(expected), instant
        page = editor.http.get(f"/staff/proof/notices/{notice['id']}").get_data(as_text=True)
        assert re.search(r'data-days-left="(\d+)"', page).group(1) == str(expected), instant
        api = editor.api("get", f"/api/v1/notices/{notice['id']}/display-certificate").get_json()
        assert api["days_left"] == expected, instant


def test_the_guide_page_states_the_rule(demo_app):
    page = demo_app.test_client().get("/guide").get_data(as_text=True)
    assert "公示期天数怎么算" in page and "包含当天和最后一天" in page and "调休上班日计入" in page
