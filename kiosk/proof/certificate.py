"""Proof of display for one screen, computed from its records alone (no database, no clock).

A screen rotates its notices, so a notice is never on screen all the time: it counts as on the
screen between two of its showings that are at most ROTATION_ALLOWANCE apart (one turn of a long
rotation). Any longer stretch of the window without a showing is a gap, and each gap is split by
what the records say about it:

- offline: the screen was not connected and reported nothing (off, or its link down with no
  cached showings reported afterwards);
- not shown: the screen was reporting other slides, so it ran without this notice;
- silent: connected, but reporting nothing (a stalled or blank player).

Only the screen's on-hours count (when given): outside them the screen is meant to be dark.

Showings the player made while its link was down reach the server late, after it reconnects,
flagged `offline`; they count like any other: the villagers saw the notice.
"""
import enum
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from kiosk.proof.intervals import Interval, clip, intersect, local_days, merge, subtract, total

ROTATION_ALLOWANCE = timedelta(minutes=10)
# Below this share of the window, the publicity period was not honoured on that screen.
HONOURED_COVERAGE = 0.99


class GapReason(str, enum.Enum):
    offline = "offline"
    not_shown = "not_shown"
    silent = "silent"


class Status(str, enum.Enum):
    honoured = "honoured"
    gaps = "gaps"
    never_shown = "never_shown"
    never_online = "never_online"
    pending = "pending"          # the window has not started yet


@dataclass(frozen=True)
class Showing:
    start: datetime
    end: datetime
    offline: bool = False    # shown while the link was down, reported after it came back


@dataclass
class ScreenHistory:
    """What the records hold about one screen, already as UTC intervals."""
    showings: list[Showing]      # this notice's display reports
    activity: list[Interval]     # every display report of the screen, any slide
    online: list[Interval]       # its connections (an open one ends at its last sign of life)


@dataclass(frozen=True)
class Gap:
    start: datetime
    end: datetime
    reason: GapReason

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class DayProof:
    number: int          # 1 for the window's first local day
    day: date
    length: timedelta    # the window's part of this day
    shown: timedelta     # time the notice was actually on screen
    offline: timedelta   # time the screen was not connected
    missing: timedelta   # time in gaps (the notice not on the screen)


@dataclass
class ScreenProof:
    status: Status
    window: Interval
    first_shown: datetime | None = None
    last_shown: datetime | None = None
    showings: int = 0
    shown: timedelta = timedelta(0)
    shown_while_offline: timedelta = timedelta(0)
    offline_showings: int = 0
    coverage: float | None = None
    missing: timedelta = timedelta(0)
    offline: timedelta = timedelta(0)
    gaps: list[Gap] = field(default_factory=list)
    offline_periods: list[Interval] = field(default_factory=list)
    days: list[DayProof] = field(default_factory=list)
    covered: list[Interval] = field(default_factory=list)


def find_gaps(window: Interval, showings: list[Interval]) -> list[Interval]:
    """Stretches of the window longer than one rotation turn without a showing."""
    present = merge(showings, join=ROTATION_ALLOWANCE)
    return [(s, e) for s, e in subtract([window], present) if e - s > ROTATION_ALLOWANCE]


def _explain(gaps: list[Interval], history: ScreenHistory) -> list[Gap]:
    running = merge(history.activity, join=ROTATION_ALLOWANCE)
    not_running = subtract(gaps, running)
    explained = [Gap(s, e, GapReason.not_shown) for s, e in intersect(gaps, running)]
    explained += [Gap(s, e, GapReason.silent) for s, e in intersect(not_running, history.online)]
    explained += [Gap(s, e, GapReason.offline) for s, e in subtract(not_running, history.online)]
    return _absorb_slivers(sorted(explained, key=lambda gap: gap.start))


def _absorb_slivers(pieces: list[Gap]) -> list[Gap]:
    """Join a piece shorter than one rotation turn to the piece it touches, under the longer one's
    reason: the minutes between the last showing and an outage are part of that outage."""
    joined: list[Gap] = []
    for gap in pieces:
        if joined and joined[-1].end == gap.start and min(joined[-1].duration, gap.duration) < ROTATION_ALLOWANCE:
            previous = joined.pop()
            gap = Gap(previous.start, gap.end, gap.reason if gap.duration > previous.duration else previous.reason)
        joined.append(gap)
    return joined


def _in_hours(gaps: list[Gap], counted: list[Interval]) -> list[Gap]:
    """The gaps' parts inside on-hours; a part no longer than one rotation turn is no gap (a screen
    waking at 07:00 shows the notice within its first turn)."""
    pieces = [Gap(s, e, gap.reason) for gap in gaps for s, e in intersect([(gap.start, gap.end)], counted)]
    return [gap for gap in pieces if gap.duration > ROTATION_ALLOWANCE]


def prove(history: ScreenHistory, window: Interval, now: datetime, zone: ZoneInfo,
          on_hours: list[Interval] | None = None) -> ScreenProof:
    """How the notice was on this screen during `window`, as far as `now`. With `on_hours` (the
    screen's, kiosk/screens/hours.py) only those count: a screen dark at night as scheduled has no
    gap and is not offline then, as in its uptime (kiosk/screens/uptime.py)."""
    start, end = window[0], min(window[1], now)
    if end <= start:
        return ScreenProof(status=Status.pending, window=window)
    evaluated = (start, end)
    counted = clip(on_hours, start, end) if on_hours is not None else [evaluated]
    showing_spans = clip([(s.start, s.end) for s in history.showings], start, end)
    inside = [s for s in history.showings if s.end > start and s.start < end]
    gaps = _in_hours(_explain(find_gaps(evaluated, showing_spans), history), counted)
    gap_spans = [(gap.start, gap.end) for gap in gaps]
    offline_periods = subtract(counted, history.online)
    length = total(counted)
    proof = ScreenProof(
        status=Status.honoured, window=evaluated, showings=len(inside), shown=total(showing_spans),
        shown_while_offline=total(clip([(s.start, s.end) for s in inside if s.offline], start, end)),
        offline_showings=sum(1 for s in inside if s.offline), missing=total(gap_spans), offline=total(offline_periods),
        gaps=gaps, offline_periods=offline_periods, covered=subtract(counted, gap_spans))
    proof.coverage = 1 - proof.missing / length if length else 1.0
    if inside:
        proof.first_shown = max(start, min(s.start for s in inside))
        proof.last_shown = min(end, max(s.end for s in inside))
    proof.days = [DayProof(number=number, day=day, length=total(clip(counted, day_start, day_end)),
                           shown=total(clip(showing_spans, day_start, day_end)),
                           offline=total(clip(offline_periods, day_start, day_end)),
                           missing=total(clip(gap_spans, day_start, day_end)))
                  for number, (day, day_start, day_end) in enumerate(local_days(start, end, zone), start=1)]
    if not inside:
        proof.status = Status.never_online if not history.online and not history.activity else Status.never_shown
    elif proof.coverage < HONOURED_COVERAGE:
        proof.status = Status.gaps
    return proof
