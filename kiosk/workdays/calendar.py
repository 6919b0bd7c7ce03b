"""Working-day arithmetic for publicity periods and timeliness.

A working day is Monday to Friday unless the holiday table says otherwise: a `holiday` row
takes a weekday off, a `workday` row (调休) makes a weekend day a working day, and an `ordinary`
row (staff undoing the official arrangement) leaves the weekday rule.
"""
from datetime import date, timedelta

from sqlalchemy import select

from kiosk.extensions import db
from kiosk.workdays.models import DayKind, Holiday

# Enough to bridge the longest run of holidays (春节 with its weekends) many times over.
_MAX_SCAN_DAYS = 3660


def exceptions_between(first: date, last: date) -> dict[date, DayKind]:
    rows = db.session.execute(select(Holiday.day, Holiday.kind).where(Holiday.day.between(first, last)))
    return {day: kind for day, kind in rows}


class WorkingCalendar:
    """Answers working-day questions over a span, reading the holiday table once."""

    def __init__(self, first: date, last: date):
        self.first, self.last = first, last
        self.exceptions = exceptions_between(first, last)

    def is_working_day(self, day: date) -> bool:
        kind = self.exceptions.get(day)
        if kind in (DayKind.holiday, DayKind.workday):
            return kind == DayKind.workday
        return day.weekday() < 5


def is_working_day(day: date) -> bool:
    return WorkingCalendar(day, day).is_working_day(day)


def add_working_days(start: date, count: int) -> date:
    """The `count`-th working day counting `start` itself as the first if it is one.

    add_working_days(Monday, 1) is that Monday; add_working_days(Saturday, 1) the next Monday.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    calendar = WorkingCalendar(start, start + timedelta(days=_MAX_SCAN_DAYS))
    day, seen = start, 0
    while True:
        if calendar.is_working_day(day):
            seen += 1
            if seen == count:
                return day
        day += timedelta(days=1)
        if day > calendar.last:
            raise ValueError("no such working day within ten years")


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    calendar = WorkingCalendar(start + timedelta(days=1), end)
    return sum(1 for offset in range(1, (end - start).days + 1)
               if calendar.is_working_day(start + timedelta(days=offset)))
