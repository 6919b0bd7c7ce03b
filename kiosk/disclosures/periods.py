"""Publicity periods (公示期): when one ends, the category minimum, and days left, in local time."""
from datetime import date, datetime, timedelta

from kiosk.core import clock
from kiosk.disclosures.models import Category, PeriodUnit
from kiosk.workdays.calendar import add_working_days


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


def days_left(end: datetime | None, today: date | None = None) -> int | None:
    """Whole local days left in a period ending at `end`, today included (1 on its last day)."""
    if end is None:
        return None
    today = today or clock.local_today()
    end_day = clock.to_local(end).date()   # the day after the last day
    return max(0, (end_day - today).days)
