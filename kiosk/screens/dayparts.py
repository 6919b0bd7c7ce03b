"""Dayparts: when a rotation or a slide may show.

A daypart is weekdays (ISO 1 = Monday … 7 = Sunday), an optional local time window and an
optional date range. A window whose end is not after its start crosses midnight (22:00–06:00):
it belongs to the day it starts on, so "Friday 22:00–06:00" runs into Saturday morning.

The server turns dayparts into concrete UTC intervals for the next hours (`windows`) and sends
those to the player, so the player never evaluates the rules itself and keeps switching
correctly while offline.
"""
from datetime import date, datetime, time, timedelta, timezone

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from kiosk.core import clock
from kiosk.core.errors import InvalidInput

ALL_DAYS = "1234567"
DAY_NAMES = (_l("Mon"), _l("Tue"), _l("Wed"), _l("Thu"), _l("Fri"), _l("Sat"), _l("Sun"))


def normalise_weekdays(days) -> str:
    """"12345", [1, 2, 3] or "" (meaning every day) → a sorted string of ISO weekday digits."""
    if days is None or days == "" or days == []:
        return ALL_DAYS
    digits = {str(d) for d in days} if not isinstance(days, str) else set(days)
    if not digits <= set(ALL_DAYS):
        raise InvalidInput(_("Weekdays are numbers from 1 (Monday) to 7 (Sunday)."))
    return "".join(sorted(digits))


def check(part) -> None:
    """Reject dayparts that can never show or are half given."""
    if (part.time_from is None) != (part.time_until is None):
        raise InvalidInput(_("Give both the start and the end of the time window, or neither."))
    if part.time_from is not None and part.time_from == part.time_until:
        raise InvalidInput(_("The time window starts and ends at the same time."))
    if part.date_from and part.date_until and part.date_until < part.date_from:
        raise InvalidInput(_("The date range ends before it starts."))


def _day_interval(part, day: date) -> tuple[datetime, datetime] | None:
    """The UTC interval the daypart covers that starts on local `day`, if any."""
    if str(day.isoweekday()) not in (part.weekdays or ALL_DAYS):
        return None
    if part.date_from and day < part.date_from or part.date_until and day > part.date_until:
        return None
    zone = clock.local_zone()
    if part.time_from is None:
        start_time, end_day, end_time = time(0), day + timedelta(days=1), time(0)
    else:
        start_time = part.time_from
        end_day = day + timedelta(days=1) if part.time_until <= part.time_from else day
        end_time = part.time_until
    return (datetime.combine(day, start_time, zone).astimezone(timezone.utc),
            datetime.combine(end_day, end_time, zone).astimezone(timezone.utc))


def windows(part, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The UTC intervals within [start, end) in which the daypart applies, merged and in order."""
    first_day = clock.to_local(start).date() - timedelta(days=1)  # a window from last night may still run
    last_day = clock.to_local(end).date()
    found: list[tuple[datetime, datetime]] = []
    day = first_day
    while day <= last_day:
        interval = _day_interval(part, day)
        if interval:
            begin, finish = max(interval[0], start), min(interval[1], end)
            if begin < finish:
                if found and found[-1][1] >= begin:
                    found[-1] = (found[-1][0], max(found[-1][1], finish))
                else:
                    found.append((begin, finish))
        day += timedelta(days=1)
    return found


def applies_at(part, moment: datetime) -> bool:
    return bool(windows(part, moment, moment + timedelta(seconds=1)))


def is_always(part) -> bool:
    return (part.weekdays or ALL_DAYS) == ALL_DAYS and part.time_from is None and not part.date_from \
        and not part.date_until


def describe(part) -> str:
    """A short description for staff pages, e.g. "weekdays 1,2 18:00–07:00"."""
    if is_always(part):
        return _("always")
    bits = []
    weekdays = part.weekdays or ALL_DAYS
    if weekdays != ALL_DAYS:
        bits.append("、".join(str(DAY_NAMES[int(day) - 1]) for day in weekdays))
    if part.time_from is not None:
        bits.append(f"{part.time_from:%H:%M}–{part.time_until:%H:%M}")
    if part.date_from or part.date_until:
        bits.append(_("from %(start)s to %(end)s", start=part.date_from or "…", end=part.date_until or "…"))
    return " ".join(bits)
