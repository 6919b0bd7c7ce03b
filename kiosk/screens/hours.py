"""On-hours: when a screen should be showing, the one rule for the player, power, alerts and uptime.

A schedule is a week of local time ranges plus the ranges of two calendar exceptions: a public
holiday (`holiday`) and a 调休 make-up working day (`makeup`), as the holiday table says
(kiosk/workdays). It belongs to a screen group, or to one screen, which then ignores its groups'.
A screen in several groups with schedules is on whenever any of them is on; a screen with none
is always on. Ranges are "HH:MM"–"HH:MM" within a day ("24:00" ends at midnight).
"""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from flask_babel import gettext as _
from sqlalchemy import select

from kiosk.core import clock
from kiosk.core.errors import InvalidInput
from kiosk.extensions import db
from kiosk.screens.models import OnHours, Screen, ScreenGroupMember
from kiosk.workdays.calendar import exceptions_between
from kiosk.workdays.models import DayKind

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EXCEPTIONS = ("holiday", "makeup")
DAY_KEYS = WEEKDAYS + EXCEPTIONS

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Week:
    """Parsed ranges for each key of DAY_KEYS, as (start, end) minutes after local midnight."""

    ranges: dict[str, tuple[tuple[int, int], ...]]

    def for_day(self, day: date, exception: DayKind | None) -> tuple[tuple[int, int], ...]:
        if exception == DayKind.holiday:
            return self.ranges["holiday"]
        if exception == DayKind.workday and day.weekday() >= 5:
            return self.ranges["makeup"]
        return self.ranges[WEEKDAYS[day.weekday()]]


def _minutes(text: str, key: str) -> int:
    try:
        hours, minutes = (int(part) for part in str(text).split(":"))
    except ValueError:
        raise InvalidInput(_("%(day)s: “%(text)s” is not a time like 07:30.", day=day_label(key), text=text),
                           details={"field": key}) from None
    if not (0 <= minutes < 60 and (0 <= hours < 24 or (hours, minutes) == (24, 0))):
        raise InvalidInput(_("%(day)s: “%(text)s” is not a time of day.", day=day_label(key), text=text),
                           details={"field": key})
    return hours * 60 + minutes


def day_label(key: str) -> str:
    return {"mon": _("Monday"), "tue": _("Tuesday"), "wed": _("Wednesday"), "thu": _("Thursday"),
            "fri": _("Friday"), "sat": _("Saturday"), "sun": _("Sunday"),
            "holiday": _("Public holidays"), "makeup": _("Make-up working days")}[key]


def parse_week(data: dict) -> Week:
    """Check a schedule as staff typed it: {"mon": [["07:00", "21:00"]], ..., "holiday": [], "makeup": [...]}.

    Every key must be present (an empty list is a day off). Refuses, naming the day, a range that
    ends before it starts and ranges of one day that overlap.
    """
    if not isinstance(data, dict):
        raise InvalidInput(_("The on-hours must give the ranges of each day."))
    ranges = {}
    for key in DAY_KEYS:
        day_ranges = data.get(key)
        if not isinstance(day_ranges, list):
            raise InvalidInput(_("%(day)s: give its hours, or none for a day off.", day=day_label(key)),
                               details={"field": key})
        parsed = []
        for item in day_ranges:
            if not (isinstance(item, (list, tuple)) and len(item) == 2):
                raise InvalidInput(_("%(day)s: each range needs a start and an end.", day=day_label(key)),
                                   details={"field": key})
            start, end = _minutes(item[0], key), _minutes(item[1], key)
            if end <= start:
                raise InvalidInput(_("%(day)s: %(start)s–%(end)s ends before it starts.",
                                     day=day_label(key), start=item[0], end=item[1]), details={"field": key})
            parsed.append((start, end))
        parsed.sort()
        for (_s1, end1), (start2, _e2) in zip(parsed, parsed[1:]):
            if start2 < end1:
                raise InvalidInput(_("%(day)s: two ranges overlap.", day=day_label(key)), details={"field": key})
        ranges[key] = tuple(parsed)
    return Week(ranges)


def every_day(start: str, end: str) -> dict:
    """The same range every day, holidays included (e.g. a village's 07:00–21:00)."""
    return {key: [[start, end]] for key in DAY_KEYS}


def _weeks_by_screen(screen_ids: Iterable[int]) -> dict[int, list[Week]]:
    """Each screen's schedules: its own, else its groups'. A screen missing from the answer is always on."""
    screen_ids = list(screen_ids)
    if not screen_ids:
        return {}
    own = {row.screen_id: [parse_week(row.week)] for row in db.session.scalars(
        select(OnHours).where(OnHours.screen_id.in_(screen_ids)))}
    by_group = {row.group_id: parse_week(row.week) for row in db.session.scalars(
        select(OnHours).where(OnHours.group_id.is_not(None)))}
    weeks: dict[int, list[Week]] = dict(own)
    if by_group:
        members = db.session.execute(select(ScreenGroupMember.screen_id, ScreenGroupMember.group_id).where(
            ScreenGroupMember.screen_id.in_(screen_ids), ScreenGroupMember.group_id.in_(list(by_group))))
        for screen_id, group_id in members:
            if screen_id not in own:
                weeks.setdefault(screen_id, []).append(by_group[group_id])
    return weeks


def _local_intervals(weeks: list[Week], first: date, last: date,
                     exceptions: dict[date, DayKind]) -> list[Interval]:
    """The union of the weeks' ranges over local days first..last, as merged UTC intervals."""
    zone = clock.local_zone()
    pieces = []
    day = first
    while day <= last:
        midnight = datetime.combine(day, time(), zone)
        for week in weeks:
            for start, end in week.for_day(day, exceptions.get(day)):
                pieces.append(((midnight + timedelta(minutes=start)).astimezone(timezone.utc),
                               (midnight + timedelta(minutes=end)).astimezone(timezone.utc)))
        day += timedelta(days=1)
    merged: list[Interval] = []
    for start, end in sorted(pieces):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def on_intervals_for(screen_ids: Iterable[int], start: datetime, end: datetime) -> dict[int, list[Interval]]:
    """Each screen's on-hours within [start, end) as UTC intervals, reading the tables once."""
    screen_ids = list(screen_ids)
    weeks = _weeks_by_screen(screen_ids)
    first = clock.to_local(start).date() - timedelta(days=1)
    last = clock.to_local(end).date()
    exceptions = exceptions_between(first, last)
    answer = {}
    for screen_id in screen_ids:
        if screen_id not in weeks:
            answer[screen_id] = [(start, end)] if start < end else []
            continue
        answer[screen_id] = [(max(s, start), min(e, end))
                             for s, e in _local_intervals(weeks[screen_id], first, last, exceptions)
                             if e > start and s < end]
    return answer


def on_intervals(screen: Screen, start: datetime, end: datetime) -> list[Interval]:
    return on_intervals_for([screen.id], start, end)[screen.id]


def is_on(screen: Screen, at: datetime | None = None) -> bool:
    at = at or clock.now()
    return bool(on_intervals(screen, at, at + timedelta(seconds=1)))


def has_schedule(screen: Screen) -> bool:
    return screen.id in _weeks_by_screen([screen.id])


def has_own_schedule(screen_id: int) -> bool:
    """The screen overrides its groups' on-hours (its state is then its own: state.ScreenView)."""
    return db.session.scalar(select(OnHours.id).where(OnHours.screen_id == screen_id)) is not None


def on_windows(screen: Screen, start: datetime, end: datetime) -> list[Interval] | None:
    """The screen's on-hours within [start, end), or None for a screen with no schedule (always on)."""
    if not has_schedule(screen):
        return None
    return on_intervals(screen, start, end)


def next_start(screen: Screen, at: datetime, within: timedelta = timedelta(days=8)) -> datetime | None:
    """When an off screen comes on next (None: not within `within`, or it has no schedule)."""
    for start, _end in on_intervals(screen, at, at + within):
        if start > at:
            return start
    return None
