"""Uptime (kiosk/screens/uptime.py): heard-from on-hours ÷ on-hours, per day, month and village,
against connections the test writes; the page, its CSV and chart; the certificate counting the same."""
import csv
import io
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select

from kiosk.core import clock
from kiosk.extensions import db
from kiosk.proof.certificate import ScreenHistory, Showing, Status, prove
from kiosk.proof.intervals import total
from kiosk.screens import hours, uptime
from kiosk.screens.models import Screen, ScreenConnection, ScreenKind
from kiosk.screens.devices import new_token

SHANGHAI = ZoneInfo("Asia/Shanghai")
H = timedelta(hours=1)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI).astimezone(timezone.utc)


@pytest.fixture
def wangjia(demo_app):
    """王家村's board (villages on 07:00–21:00) and a second board there with no schedule (always on),
    with connections: day one 06:00–12:00 and 13:00–23:00; day two one still open since 07:00 whose
    heartbeats stopped at 09:30. The second board: 10:00–14:00 on day one only."""
    with demo_app.app_context():
        # the demo keeps the villages group on 07:00–21:00 every day (kiosk/screens/demo_hours.py)
        board = db.session.scalar(select(Screen).where(Screen.name == "王家村村务公开栏"))
        board.created_at = local(2026, 11, 23)             # registered that morning: nothing counts before
        # only these connections: not the demo's display history (kiosk/proof/demo.py)
        db.session.execute(delete(ScreenConnection).where(ScreenConnection.screen_id == board.id))
        other = Screen(unit_id=board.unit_id, kind=ScreenKind.noticeboard_landscape, name="王家村广场屏",
                       token_hash=new_token()[1], created_at=local(2026, 11, 23))
        db.session.add(other)
        db.session.flush()
        for screen_id, start, end, beat in (
                (board.id, local(2026, 11, 23, 6), local(2026, 11, 23, 12), None),
                (board.id, local(2026, 11, 23, 13), local(2026, 11, 23, 23), None),
                (board.id, local(2026, 11, 24, 7), None, local(2026, 11, 24, 9, 30)),
                (other.id, local(2026, 11, 23, 10), local(2026, 11, 23, 14), None)):
            db.session.add(ScreenConnection(screen_id=screen_id, sid=f"s{start.timestamp()}", connected_at=start,
                                            disconnected_at=end, last_heartbeat=beat or end))
        db.session.commit()
        return board.id, other.id


def test_uptime_counts_heard_from_on_hours_only(demo_app, wangjia):
    board, other = wangjia
    now = local(2026, 11, 24, 10, 0)
    with demo_app.app_context():
        days = uptime.daily([board, other], local(2026, 11, 23), local(2026, 11, 25), now=now)
        assert days[board][date(2026, 11, 23)] == uptime.Uptime(on=14 * H, heard=13 * H)   # 07–12 and 13–21
        assert days[board][date(2026, 11, 24)] == uptime.Uptime(on=3 * H, heard=2.5 * H)   # silent since 09:30
        assert days[other][date(2026, 11, 23)] == uptime.Uptime(on=24 * H, heard=4 * H)    # no schedule: all day
        month = uptime.monthly([board], *uptime.month_bounds("2026-11"), now=now)[board]
        assert month == {"2026-11": uptime.Uptime(on=17 * H, heard=15.5 * H)}
        whole = uptime.uptime([board, other], local(2026, 11, 23), local(2026, 11, 25), now=now)
        assert whole[board].ratio == pytest.approx(15.5 / 17)
        assert uptime.combined(whole.values()) == uptime.Uptime(on=17 * H + 34 * H, heard=15.5 * H + 4 * H)


def test_a_screen_off_at_night_is_not_an_outage(demo_app, wangjia):
    board, _other = wangjia
    with demo_app.app_context():
        night = uptime.uptime([board], local(2026, 11, 23, 21), local(2026, 11, 24, 7), now=local(2026, 11, 25))
        assert night[board] == uptime.NOTHING and night[board].ratio is None


def test_the_uptime_page_csv_and_chart(demo_app, wangjia, staff):
    clock.set_now(local(2026, 11, 24, 10, 0))
    manager = staff("screens")
    page = manager.get("/staff/screens/uptime?month=2026-11").get_data(as_text=True)
    assert 'data-unit="wangjia"' in page and "<svg" in page and "uptime-chart" in page
    assert f'{15.5 / 17 * 100:.1f}%' in page                              # 王家村's board
    assert f'{(15.5 + 4) / (17 + 34) * 100:.1f}%' in page                  # 王家村, both boards together
    rows = list(csv.reader(io.StringIO(manager.get("/staff/screens/uptime.csv?month=2026-11")
                                       .get_data(as_text=True).lstrip("\ufeff"))))
    assert ["王家村", "王家村村务公开栏", "2026-11-23", "14.00", "13.00", "92.9%"] in rows
    assert ["王家村", "王家村村务公开栏", "2026-11", "17.00", "15.50", "91.2%"] in rows
    assert manager.get("/staff/screens/uptime?month=2026-13").status_code == 400
    index = manager.get("/staff/screens/").get_data(as_text=True)
    assert 'id="uptime-card"' in index
    assert staff("editor").get("/staff/screens/uptime").status_code == 403


def test_the_certificate_counts_only_on_hours_with_the_uptime_numbers(demo_app, wangjia):
    """A notice shown every 5 minutes while the board runs (07:00–21:00), dark at night as scheduled."""
    board, _other = wangjia
    window, now = (local(2026, 11, 23, 0), local(2026, 11, 24, 0)), local(2026, 11, 25)
    with demo_app.app_context():
        online = uptime.heard_spans([board], *window, now)[board]
        on_hours = hours.on_intervals_for([board], *window)[board]
        numbers = uptime.uptime([board], *window, now=now)[board]
    showings = [Showing(start, start + timedelta(seconds=30)) for span_start, span_end in online
                for start in _every(span_start, span_end, timedelta(minutes=5))]
    history = ScreenHistory(showings=showings, activity=[(s.start, s.end) for s in showings], online=online)
    counted = prove(history, window, now, SHANGHAI, on_hours)
    assert counted.offline == numbers.dark == H                          # 12:00–13:00 only, not the night
    # from the last showing before the break to the first after it
    assert [(g.start, g.end) for g in counted.gaps] == [(local(2026, 11, 23, 11, 55, 30), local(2026, 11, 23, 13))]
    assert counted.days[0].length == numbers.on and counted.status == Status.gaps
    assert counted.coverage == pytest.approx(13 / 14, abs=0.01)
    whole_day = prove(history, window, now, SHANGHAI)                    # without on-hours: the night is a gap
    assert whole_day.offline == 24 * H - total(online) > 8 * H - H and whole_day.status == Status.gaps
    assert len(whole_day.gaps) > len(counted.gaps)


def _every(start, end, step):
    while start < end:
        yield start
        start += step
