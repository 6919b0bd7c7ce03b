"""Publicity periods (公示期): when one ends, the category minimum, and the ONE rule for days left.

The rule (stated to the public on the guide page): a period ends at local midnight after its last
day. The days left are the days of the period from today to the last day, both counted, in the
period's own unit: calendar days for a period in days, working days for one in working days (a
weekend or holiday before the last day does not count). On the last day one day is left; after
the end none. Every page, screen, image and certificate takes its number from `days_left`, and
browsers get `countdown` (the instants at which the number changes) instead of a rule of their own.
"""
from datetime import date, datetime, timedelta

from flask_babel import gettext as _

from kiosk.core import clock
from kiosk.disclosures.models import Category, PeriodUnit
from kiosk.workdays.calendar import WorkingCalendar, add_working_days


def last_day(start: date, length: int, unit: PeriodUnit) -> date:
    """The last local day of a period of `length` days starting on `start`.

    Calendar days count `start` as day 1. Working days count `start` if it is one, otherwise
    the period begins on the next working day.
    """
    if unit == PeriodUnit.working_days:
        return add_working_days(start, length)
    return start + timedelta(days=length - 1)


def period_end(start_at: datetime, length: int, unit: PeriodUnit) -> datetime:
    """The instant a period ends: local midnight after its last day."""
    start = clock.to_local(start_at).date()
    return clock.local_midnight_utc(last_day(start, length, unit) + timedelta(days=1))


def minimum_end(category: Category, start_at: datetime) -> datetime | None:
    if not category.min_period_length or not category.min_period_unit:
        return None
    return period_end(start_at, category.min_period_length, category.min_period_unit)


def period_text(length: int, unit: PeriodUnit | None) -> str:
    """A period's length as people say it: 7天, 5个工作日."""
    if unit == PeriodUnit.working_days:
        return _("%(count)s working days", count=length)
    return _("%(count)s days", count=length)


def _final_day(end: datetime) -> date:
    """The last local day of a period ending at `end` (the day holding the instant before it)."""
    return clock.to_local(end - timedelta(microseconds=1)).date()


def _days_left_by_day(end: datetime, first: date, unit: PeriodUnit | None) -> dict[date, int]:
    """Days left on each local day from `first` to the period's last day."""
    final = _final_day(end)
    if final < first:
        return {}
    working = WorkingCalendar(first, final) if unit == PeriodUnit.working_days else None
    left, by_day, day = 0, {}, final
    while day >= first:   # backwards from the last day, so each day adds at most one
        if working is None or working.is_working_day(day):
            left += 1
        by_day[day] = left
        day -= timedelta(days=1)
    return by_day


def days_left(end: datetime | None, today: date | None = None, unit: PeriodUnit | None = None) -> int | None:
    """Days left in a period ending at `end`, today and the last day counted (1 on the last day,
    0 once it ended); working days only when `unit` is working days. None without a period.
    The same rule says when a notice without a publicity period "expires in": days_left(live_until)."""
    if end is None:
        return None
    today = today or clock.local_today()
    return _days_left_by_day(end, today, unit).get(today, 0)


def is_last_day(end: datetime | None, today: date | None = None) -> bool:
    return end is not None and (today or clock.local_today()) == _final_day(end)


def countdown(end: datetime | None, unit: PeriodUnit | None = None,
              since: datetime | None = None) -> list[dict]:
    """`days_left` as the instants it changes at, for a browser that keeps counting offline:
    from each local midnight (the first from `since`'s day) the days left and whether it is the
    last day, ending with zero at `end`. A browser shows the latest entry that has begun."""
    if end is None:
        return []
    first = clock.to_local(since or clock.now()).date()
    final = _final_day(end)
    entries = [{"from": clock.local_midnight_utc(day), "days_left": left, "last_day": day == final}
               for day, left in sorted(_days_left_by_day(end, first, unit).items())]
    return entries + [{"from": end, "days_left": 0, "last_day": False}]
