"""The screens' conditions (kiosk/screens/conditions.py) evaluated directly: offline with each group's
delay, a player's error, a player stuck on one slide; none of them at night."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.screens.conditions import offline_screens, player_errors, stuck_players
from kiosk.screens.models import DisplayReport, Screen, Slide

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI).astimezone(timezone.utc)


@pytest.fixture
def board(demo_app):
    with demo_app.app_context():
        # the demo keeps the villages group on 07:00–21:00 every day (kiosk/screens/demo_hours.py)
        screen = db.session.scalar(select(Screen).where(Screen.name == "王家村村务公开栏"))
        db.session.commit()
        return screen.id


def keys(findings) -> list[str]:
    return [finding.key for finding in findings if not finding.quiet]


def test_offline_waits_for_the_smallest_delay_of_the_screens_groups(demo_app, board):
    with demo_app.app_context():
        screen = db.session.get(Screen, board)
        screen.last_seen = local(2026, 11, 23, 10, 0)
        db.session.commit()
        assert keys(offline_screens(local(2026, 11, 23, 10, 9))) == []
        assert keys(offline_screens(local(2026, 11, 23, 10, 10))) == [f"screen:{board}"]
        own = next(g for g in screen.groups if g.code == "board")
        own.offline_alert_minutes = 5
        db.session.commit()
        [finding] = offline_screens(local(2026, 11, 23, 10, 5))
        assert (finding.unit_id, finding.since, finding.quiet) == (screen.unit_id, local(2026, 11, 23, 10, 0), False)
        assert finding.link == f"/staff/screens/{board}"
        assert keys(offline_screens(local(2026, 11, 23, 22, 0))) == []           # at night: quiet
        assert [f.quiet for f in offline_screens(local(2026, 11, 23, 22, 0))] == [True]


def test_a_player_error_is_a_finding_while_it_is_recent(demo_app, board):
    with demo_app.app_context():
        screen = db.session.get(Screen, board)
        screen.last_error, screen.last_error_at = "TypeError: slide.body is undefined", local(2026, 11, 23, 10, 0)
        db.session.commit()
        [finding] = player_errors(local(2026, 11, 23, 10, 5))
        assert finding.key == f"screen:{board}:error" and "TypeError" in finding.detail
        assert list(player_errors(local(2026, 11, 23, 10, 20))) == []


def test_a_player_on_the_same_slide_for_three_times_its_duration_is_stuck(demo_app, board):
    with demo_app.app_context():
        slide = db.session.scalars(select(Slide).order_by(Slide.id)).first()
        slide.duration = 60
        screen = db.session.get(Screen, board)
        now = local(2026, 11, 23, 10, 0)
        screen.online, screen.last_seen = True, now
        screen.now_showing = {"key": f"s{slide.id}", "kind": slide.kind.value, "title": "低保公示", "urgent": ""}
        db.session.add(DisplayReport(screen_id=board, slide_key="s0", slide_kind="clock", started_at=now - timedelta(minutes=4),
                                     ended_at=now - timedelta(minutes=3, seconds=1)))
        db.session.commit()
        [finding] = stuck_players(now)                                             # 3 min 1 s > 3 × 60 s
        assert finding.key == f"screen:{board}:stuck" and "低保公示" in finding.detail
        assert list(stuck_players(now - timedelta(seconds=2))) == []               # 2 min 59 s
        screen.now_showing = {**screen.now_showing, "urgent": "7"}                   # an urgent notice stays up
        db.session.commit()
        assert list(stuck_players(now)) == []
        screen.now_showing = {**screen.now_showing, "urgent": ""}
        screen.last_seen = local(2026, 11, 23, 22, 0)
        db.session.commit()
        assert list(stuck_players(local(2026, 11, 23, 22, 0))) == []              # off-hours
