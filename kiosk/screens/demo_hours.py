"""Demo step: on-hours, set as the township's screen manager sets them on a group's page. The village
noticeboards are on 07:00–21:00 every day; the hall's screens follow the hall's opening hours (the
queue demo's) on working days: off on public holidays and weekends, on on 调休 make-up days."""
from sqlalchemy import select

from kiosk.accounts.models import User
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.queue.demo import WEEKDAYS_HOURS
from kiosk.screens import power
from kiosk.screens.hours import WEEKDAYS, every_day
from kiosk.screens.models import ScreenGroup


def hall_week() -> dict:
    opening = WEEKDAYS_HOURS[1]       # the same hours Monday to Friday
    return power.week_from_text({**{day: opening for day in WEEKDAYS[:5]}, "makeup": opening})


def load(township: Unit) -> str:
    manager = db.session.scalar(select(User).where(User.username == "screens"))
    weeks = {"villages": every_day("07:00", "21:00"), "hall": hall_week()}
    set_now = []
    for code, week in weeks.items():
        group = db.session.scalar(select(ScreenGroup).where(ScreenGroup.unit_id == township.id,
                                                            ScreenGroup.code == code))
        if power.group_week(group) is None:
            power.set_group_hours(manager, group, week, group.offline_alert_minutes)
            set_now.append(group.name)
    return f"on-hours: {'、'.join(set_now) or 'already set'}"
