"""Interval arithmetic on aware UTC datetimes: half-open [start, end) pairs.

Every function takes intervals in any order, possibly overlapping or empty, and returns a
sorted list of disjoint, non-empty intervals (except `total`, which returns a duration).
"""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

Interval = tuple[datetime, datetime]


def merge(intervals, join: timedelta = timedelta(0)) -> list[Interval]:
    """The union; intervals at most `join` apart become one (their gap counts as covered)."""
    merged: list[list[datetime]] = []
    for start, end in sorted((s, e) for s, e in intervals if e > s):
        if merged and start - merged[-1][1] <= join:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def clip(intervals, start: datetime, end: datetime) -> list[Interval]:
    return merge((max(s, start), min(e, end)) for s, e in intervals)


def subtract(base, removed) -> list[Interval]:
    """What of `base` is not in `removed`."""
    removed = merge(removed)
    result = []
    for start, end in merge(base):
        cursor = start
        for r_start, r_end in removed:
            if r_end <= cursor or r_start >= end:
                continue
            if r_start > cursor:
                result.append((cursor, r_start))
            cursor = max(cursor, r_end)
        if cursor < end:
            result.append((cursor, end))
    return result


def intersect(first, second) -> list[Interval]:
    second = merge(second)
    return merge((max(s, t), min(e, u)) for s, e in merge(first) for t, u in second if t < e and s < u)


def total(intervals) -> timedelta:
    return sum((end - start for start, end in merge(intervals)), timedelta(0))


def local_days(start: datetime, end: datetime, zone: ZoneInfo) -> list[tuple[date, datetime, datetime]]:
    """The local calendar days that [start, end) touches, each as (day, its part's UTC start, end)."""
    days = []
    day = start.astimezone(zone).date()
    while True:
        midnight = datetime.combine(day, datetime.min.time(), zone)
        next_midnight = datetime.combine(day + timedelta(days=1), datetime.min.time(), zone)
        part_start, part_end = max(start, midnight), min(end, next_midnight)
        if part_start >= end:
            return days
        days.append((day, part_start.astimezone(start.tzinfo), part_end.astimezone(start.tzinfo)))
        day += timedelta(days=1)
