"""On-hours (kiosk/screens/hours.py): the week, the holiday calendar, overrides, and bad schedules."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from kiosk.core.errors import InvalidInput
from kiosk.extensions import db
from kiosk.screens import hours
from kiosk.screens.models import OnHours, Screen, ScreenGroup
from kiosk.workdays.models import DayKind, Holiday

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI).astimezone(timezone.utc)


def hall_week() -> dict:
    week = {day: [["08:30", "12:00"], ["13:30", "17:30"]] for day in hours.WEEKDAYS[:5]}
    week.update(sat=[], sun=[], holiday=[], makeup=[["08:30", "17:30"]])
    return week


@pytest.fixture
def village_screen(demo_app):
    """A village screen whose group (villages) is on 07:00–21:00 every day; the hall's group keeps office hours."""
    with demo_app.app_context():
        screen = db.session.scalars(db.select(Screen).join(Screen.unit).where(Screen.kind == "noticeboard_portrait")
                                    .order_by(Screen.id)).first()
        # the demo keeps the villages group on 07:00–21:00 every day (kiosk/screens/demo_hours.py)
        db.session.commit()
        return screen.id


def test_a_village_screen_is_on_from_seven_to_nine_every_day_and_off_at_night(demo_app, village_screen):
    with demo_app.app_context():
        screen = db.session.get(Screen, village_screen)
        assert hours.is_on(screen, local(2026, 11, 23, 7, 0))
        assert hours.is_on(screen, local(2026, 11, 29, 20, 59))          # a Sunday evening
        assert not hours.is_on(screen, local(2026, 11, 23, 21, 0))
        assert not hours.is_on(screen, local(2026, 11, 24, 3, 0))
        day = hours.on_intervals(screen, local(2026, 11, 23), local(2026, 11, 25))
        assert day == [(local(2026, 11, 23, 7), local(2026, 11, 23, 21)), (local(2026, 11, 24, 7), local(2026, 11, 24, 21))]


def test_a_screen_of_its_own_ignores_its_groups_and_follows_the_holiday_calendar(demo_app, village_screen):
    with demo_app.app_context():
        db.session.execute(db.delete(Holiday).where(Holiday.day.in_([date(2026, 10, 1), date(2026, 10, 10)])))
        db.session.add_all([OnHours(screen_id=village_screen, week=hall_week()),
                            Holiday(day=date(2026, 10, 1), kind=DayKind.holiday, name="国庆节"),
                            Holiday(day=date(2026, 10, 10), kind=DayKind.workday, name="国庆节调休")])
        db.session.commit()
        screen = db.session.get(Screen, village_screen)
        assert not hours.is_on(screen, local(2026, 10, 1, 9, 0))        # a Thursday, but National Day
        assert hours.is_on(screen, local(2026, 10, 10, 12, 30))         # a Saturday worked: make-up hours
        assert not hours.is_on(screen, local(2026, 10, 11, 9, 0))       # an ordinary Sunday
        assert not hours.is_on(screen, local(2026, 10, 9, 12, 30))      # lunch break
        assert hours.is_on(screen, local(2026, 10, 9, 13, 30))


def test_a_screen_without_any_schedule_is_always_on(demo_app):
    with demo_app.app_context():
        screen = db.session.scalars(db.select(Screen).order_by(Screen.id)).first()
        for group in screen.groups:       # the demo gives the hall its opening hours: clear them here
            db.session.execute(db.delete(OnHours).where(OnHours.group_id == group.id))
        db.session.commit()
        assert not hours.has_schedule(screen)
        assert hours.is_on(screen, local(2026, 11, 24, 3, 0))
        assert hours.on_intervals(screen, local(2026, 11, 24), local(2026, 11, 25)) == \
            [(local(2026, 11, 24), local(2026, 11, 25))]


def test_two_groups_together_are_on_whenever_either_is(demo_app, village_screen):
    with demo_app.app_context():
        screen = db.session.get(Screen, village_screen)
        second = ScreenGroup(unit_id=screen.unit_id, code="evening", name="夜间")
        db.session.add(second)
        db.session.flush()
        from kiosk.screens.models import ScreenGroupMember
        db.session.add_all([ScreenGroupMember(group_id=second.id, screen_id=screen.id),
                            OnHours(group_id=second.id, week=hours.every_day("20:00", "23:00"))])
        db.session.commit()
        assert hours.on_intervals(screen, local(2026, 11, 23), local(2026, 11, 24)) == \
            [(local(2026, 11, 23, 7), local(2026, 11, 23, 23))]


@pytest.mark.parametrize("change, words", [
    ({"mon": [["21:00", "07:00"]]}, "结束早于开始"),
    ({"tue": [["08:00", "12:00"], ["11:00", "14:00"]]}, "两个时段重叠"),
    ({"wed": [["8点", "12:00"]]}, "不是形如 07:30 的时间"),
    ({"thu": [["08:00", "24:30"]]}, "不是一天中的时间"),
    ({"fri": None}, "请填写开屏时段"),
])
def test_bad_schedules_are_refused_naming_the_day(app, change, words):
    week = hall_week() | change
    with app.test_request_context():
        with pytest.raises(InvalidInput) as refused:
            hours.parse_week({key: value for key, value in week.items() if value is not None})
        assert words in refused.value.message
        assert refused.value.details["field"] == next(iter(change))


def test_a_day_may_run_to_midnight(app):
    with app.test_request_context():
        week = hours.parse_week(hours.every_day("00:00", "24:00"))
        assert week.ranges["sun"] == ((0, 24 * 60),)
