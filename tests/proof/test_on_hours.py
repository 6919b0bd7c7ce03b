"""The display certificate counts only the screens' on-hours (kiosk/screens/hours.py), as uptime does:
the demo's 低保 list with the village boards on 07:00–21:00, and one night outage of 王家村's link."""
from datetime import datetime, time, timedelta

from sqlalchemy import select

from kiosk.core import clock
from kiosk.extensions import db
from kiosk.screens import hours
from kiosk.screens.models import OnHours, Screen, ScreenConnection, ScreenGroup
from tests.proof.test_certificate import by_village, certificate


def offline(screen) -> list[tuple[datetime, datetime]]:
    return [(datetime.fromisoformat(p["start"]), datetime.fromisoformat(p["end"])) for p in screen["offline_periods"]]


def test_the_certificate_leaves_the_night_out_when_villages_switch_off(demo_app, staff):
    reviewer = staff("reviewer")
    notices = reviewer.api("get", "/api/v1/notices?category=dibao").get_json()["notices"]
    dibao = next(n for n in notices if n["state"] == "showing")
    with demo_app.app_context():
        # 王家村's link also drops one night, 01:00–04:00 after its first day
        board = db.session.scalar(select(Screen).where(Screen.name == "王家村村务公开栏"))
        first = db.session.scalar(select(ScreenConnection).where(ScreenConnection.screen_id == board.id)
                                  .order_by(ScreenConnection.connected_at))
        night = datetime.combine(clock.to_local(first.connected_at).date() + timedelta(days=1), time(1),
                                 clock.local_zone())
        assert first.disconnected_at > night + timedelta(hours=3)
        db.session.add(ScreenConnection(screen_id=board.id, sid="night", connected_at=night + timedelta(hours=3),
                                        last_heartbeat=first.disconnected_at, disconnected_at=first.disconnected_at))
        first.disconnected_at = first.last_heartbeat = night
        db.session.commit()
    on_hours = by_village(certificate(reviewer, dibao["id"]))["wangjia"]
    with demo_app.app_context():
        villages = db.session.scalar(select(ScreenGroup).where(ScreenGroup.code == "villages"))
        row = db.session.scalar(select(OnHours).where(OnHours.group_id == villages.id))
        assert row.week == hours.every_day("07:00", "21:00")        # the demo's villages group
        db.session.delete(row)                                     # always on: the night counts too
        db.session.commit()
    day_and_night = by_village(certificate(reviewer, dibao["id"]))["wangjia"]
    assert offline(on_hours) and all(7 <= start.hour and (end.hour, end.minute) <= (21, 0) and start.date() == end.date()
                                     for start, end in offline(on_hours))
    # the night's 3 hours count only when always on (the clock runs on between the two certificates)
    assert abs(day_and_night["offline_seconds"] - on_hours["offline_seconds"] - 3 * 3600) < 60
    for day in on_hours["days"]:
        assert day["offline_seconds"] <= 14 * 3600 and day["missing_seconds"] <= 14 * 3600
    assert all(7 <= datetime.fromisoformat(gap["start"]).hour < 21 for gap in on_hours["gaps"])
