"""Uptime: of the time a screen should have been on (its on-hours, screens/hours.py, while it was
registered), the part it was heard from (its connections, an open one lasting while its heartbeats do). A screen off at night is
not an outage: off-hours count neither way.

    uptime(screen_ids, start, end) -> {screen_id: Uptime}      # one period
    daily(screen_ids, start, end) / monthly(...)               # per local day / month
    combined(uptimes)                                          # several screens as one (a village)

The display certificate (kiosk/proof) counts the same on-hours and the same heard-from spans, so
its offline hours are `on - heard` here. The annual report and statements call these functions.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select

from kiosk.core import clock
from kiosk.extensions import db
from kiosk.proof.intervals import Interval, clip, intersect, local_days, total
from kiosk.screens.hours import on_intervals_for
from kiosk.screens.models import Screen, ScreenConnection
from kiosk.screens.operations import HEARTBEAT_TIMEOUT

@dataclass(frozen=True)
class Uptime:
    on: timedelta        # on-hours in the period (up to now)
    heard: timedelta     # of those, heard from

    @property
    def ratio(self) -> float | None:
        """heard ÷ on, or None when the screen was never meant to be on in the period."""
        return self.heard / self.on if self.on else None

    @property
    def dark(self) -> timedelta:
        return self.on - self.heard

    def __add__(self, other: "Uptime") -> "Uptime":
        return Uptime(self.on + other.on, self.heard + other.heard)


NOTHING = Uptime(timedelta(0), timedelta(0))


def heard_spans(screen_ids, start: datetime, end: datetime, now: datetime | None = None) -> dict[int, list[Interval]]:
    """Each screen's connections within [start, end), merged; an open one lasts while its heartbeats do."""
    now = now or clock.now()
    spans: dict[int, list[Interval]] = {screen_id: [] for screen_id in screen_ids}
    if not spans:
        return spans
    rows = db.session.execute(select(ScreenConnection.screen_id, ScreenConnection.connected_at,
                                     ScreenConnection.disconnected_at, ScreenConnection.last_heartbeat).where(
        ScreenConnection.screen_id.in_(list(spans)), ScreenConnection.connected_at < end,
        or_(ScreenConnection.disconnected_at.is_(None), ScreenConnection.disconnected_at > start)))
    for screen_id, connected, disconnected, heartbeat in rows:
        if disconnected is None:
            disconnected = now if now - heartbeat <= HEARTBEAT_TIMEOUT else heartbeat
        spans[screen_id].append((connected, disconnected))
    return {screen_id: clip(found, start, end) for screen_id, found in spans.items()}


def on_spans(screen_ids, start: datetime, end: datetime, now: datetime | None = None) -> dict[int, list[Interval]]:
    """Each screen's on-hours within [start, end) (up to now), from its registration to its revocation:
    the hours it should have been showing."""
    now = now or clock.now()
    end = max(start, min(end, now))
    on = on_intervals_for(screen_ids, start, end)
    lives = db.session.execute(select(Screen.id, Screen.created_at, Screen.revoked_at).where(Screen.id.in_(list(on))))
    for screen_id, created, revoked in lives:
        on[screen_id] = clip(on[screen_id], max(start, created), min(end, revoked or end))
    return on


def _inputs(screen_ids, start: datetime, end: datetime, now: datetime | None):
    """The screens' on-hours and heard-from spans."""
    now = now or clock.now()
    screen_ids = list(screen_ids)
    return screen_ids, max(start, min(end, now)), on_spans(screen_ids, start, end, now), heard_spans(screen_ids, start, end, now)


def uptime(screen_ids, start: datetime, end: datetime, now: datetime | None = None) -> dict[int, Uptime]:
    """Each screen's uptime over [start, end) (evaluated up to now)."""
    screen_ids, end, on, heard = _inputs(screen_ids, start, end, now)
    return {sid: Uptime(total(on[sid]), total(intersect(on[sid], heard[sid]))) for sid in screen_ids}


def _by(key, screen_ids, start, end, now) -> dict[int, dict]:
    screen_ids, end, on, heard = _inputs(screen_ids, start, end, now)
    answer: dict[int, dict] = {sid: defaultdict(lambda: NOTHING) for sid in screen_ids}
    if end <= start:
        return {sid: {} for sid in screen_ids}
    for sid in screen_ids:
        up = intersect(on[sid], heard[sid])
        for day, day_start, day_end in local_days(start, end, clock.local_zone()):
            answer[sid][key(day)] += Uptime(total(clip(on[sid], day_start, day_end)), total(clip(up, day_start, day_end)))
    return {sid: dict(periods) for sid, periods in answer.items()}


def daily(screen_ids, start: datetime, end: datetime, now: datetime | None = None) -> dict[int, dict[date, Uptime]]:
    """Per local day (Asia/Shanghai)."""
    return _by(lambda day: day, screen_ids, start, end, now)


def monthly(screen_ids, start: datetime, end: datetime, now: datetime | None = None) -> dict[int, dict[str, Uptime]]:
    """Per local month, keyed "2026-11"."""
    return _by(lambda day: f"{day.year:04d}-{day.month:02d}", screen_ids, start, end, now)


def combined(uptimes) -> Uptime:
    """Several screens as one (a village's): their on-hours and heard-from time added up."""
    return sum(uptimes, NOTHING)


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """"2026-11" → its first local midnight and the next month's, as aware datetimes."""
    year, number = (int(part) for part in month.split("-"))
    zone = clock.local_zone()
    first = datetime(year, number, 1, tzinfo=zone)
    following = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=zone)
    return first, following

