"""What the incidents engine is told about screens (kiosk/incidents/conditions.py):

- screens.offline: a registered screen that should be on now (its on-hours, screens/hours.py) and
  has not been heard from, in the stretch of on-hours running now, for its group's `offline_alert_minutes` (the smallest of its
  groups', 10 without a group). Only on-hours count, so a screen switched off at 21:00 is not
  reported at night, nor at 07:00 while it wakes up; a screen already reported stays reported
  through the night (the night is not a recovery), and is in the morning digest. A screen never connected is not reported (it
  is not installed yet; the screens page lists it). Back and dark again within 15 minutes is the
  same incident (a flapping link gives one message).
- screens.error: a player that reported an error in the last ERROR_RECENT.
- screens.stuck: a player heard from, on-hours, showing the same slide with no display report for
  more than three times the slide's duration (at least STUCK_FLOOR: reports travel with heartbeats).
"""
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from kiosk.core import clock
from kiosk.extensions import db
from kiosk.incidents.conditions import Finding, condition, link_for
from kiosk.screens.hours import on_intervals_for
from kiosk.screens.models import DisplayReport, Screen, ScreenGroup, ScreenGroupMember, Slide
from kiosk.screens.operations import HEARTBEAT_TIMEOUT

TOLD = ("screen_manager", "administrator")
DEFAULT_OFFLINE_MINUTES = 10
OFFLINE_FLAP_WINDOW = timedelta(minutes=15)
LOOK_BACK = timedelta(days=8)          # longer than the longest threshold (7 days)
ERROR_RECENT = timedelta(minutes=15)
STUCK_TIMES = 3
STUCK_FLOOR = timedelta(minutes=2)


def _registered():
    return select(Screen).where(Screen.token_hash.is_not(None), Screen.revoked_at.is_(None))


def offline_thresholds(screen_ids) -> dict[int, timedelta]:
    """Each screen's delay: the smallest `offline_alert_minutes` of its groups, 10 without a group."""
    rows = db.session.execute(select(ScreenGroupMember.screen_id, func.min(ScreenGroup.offline_alert_minutes))
                              .join(ScreenGroup, ScreenGroup.id == ScreenGroupMember.group_id)
                              .where(ScreenGroupMember.screen_id.in_(list(screen_ids)))
                              .group_by(ScreenGroupMember.screen_id))
    minutes = dict(rows.all())
    return {sid: timedelta(minutes=minutes.get(sid) or DEFAULT_OFFLINE_MINUTES) for sid in screen_ids}


@dataclass(frozen=True)
class Silence:
    """A registered screen not heard from for a minute or more."""
    screen: Screen
    since: datetime      # its silence counts from here: its last heartbeat, or the start of the on-hours running now
    overdue: bool        # silent in on-hours for its group's delay: reported, and listed as offline too long


def silent_screens(now) -> list[Silence]:
    """The one rule of "offline too long", for the alert and the screens pages alike, longest first."""
    screens = [s for s in db.session.scalars(_registered().where(Screen.last_seen.is_not(None)))
               if now - s.last_seen >= timedelta(minutes=1)]
    if not screens:
        return []
    thresholds = offline_thresholds([s.id for s in screens])
    screens = [s for s in screens if now - s.last_seen >= thresholds[s.id]]
    if not screens:
        return []
    start = max(min(s.last_seen for s in screens), now - LOOK_BACK)
    hours = on_intervals_for([s.id for s in screens], start, now + timedelta(seconds=1))
    found = []
    for screen in screens:
        # Only the stretch of on-hours running now counts: a screen dark since the evening has its
        # threshold again from the morning's start (it may be waking up). Meanwhile, and at night,
        # it is not overdue: an incident already open stays open, none is opened.
        stretch = next((start for start, end in hours[screen.id] if start <= now < end), None)
        since = max(screen.last_seen, stretch) if stretch is not None else screen.last_seen
        found.append(Silence(screen, since, stretch is not None and now - since >= thresholds[screen.id]))
    return sorted(found, key=lambda silence: silence.screen.last_seen)


@condition("screens.offline", label=_l("Screen offline"), roles=TOLD, flap_window=OFFLINE_FLAP_WINDOW)
def offline_screens(now):
    for silence in silent_screens(now):
        screen = silence.screen
        yield Finding(key=f"screen:{screen.id}", unit_id=screen.unit_id,
                      title=_("%(name)s is not answering", name=screen.name),
                      detail=_("Last heard from at %(at)s.", at=clock.to_local(screen.last_seen).strftime("%m-%d %H:%M")),
                      link=link_for("screens.detail", screen_id=screen.id), since=silence.since,
                      quiet=not silence.overdue)


@condition("screens.error", label=_l("Player error"), roles=TOLD, flap_window=timedelta(minutes=30))
def player_errors(now):
    for screen in db.session.scalars(_registered().where(Screen.last_error_at >= now - ERROR_RECENT)):
        yield Finding(key=f"screen:{screen.id}:error", unit_id=screen.unit_id,
                      title=_("%(name)s reported an error", name=screen.name),
                      detail=(screen.last_error or "")[:300], link=link_for("screens.detail", screen_id=screen.id),
                      since=screen.last_error_at)


def _slide_duration(key: str) -> timedelta | None:
    match = re.match(r"^s(\d+)(?::|$)", key or "")
    duration = db.session.scalar(select(Slide.duration).where(Slide.id == int(match.group(1)))) if match else None
    return timedelta(seconds=duration) if duration else None


@condition("screens.stuck", label=_l("Player stuck"), roles=TOLD, flap_window=timedelta(minutes=5))
def stuck_players(now):
    alive = [s for s in db.session.scalars(_registered().where(Screen.online.is_(True),
                                                               Screen.last_seen >= now - HEARTBEAT_TIMEOUT))
             if s.now_showing and s.now_showing.get("key") and not s.now_showing.get("urgent")]
    if not alive:
        return
    last_report = dict(db.session.execute(select(DisplayReport.screen_id, func.max(DisplayReport.ended_at)).where(
        DisplayReport.screen_id.in_([s.id for s in alive])).group_by(DisplayReport.screen_id)).all())
    hours = on_intervals_for([s.id for s in alive], now, now + timedelta(seconds=1))
    for screen in alive:
        key, since = screen.now_showing["key"], last_report.get(screen.id)
        duration = _slide_duration(key)
        if since is None or duration is None or not hours[screen.id]:
            continue
        if now - since > max(STUCK_TIMES * duration, STUCK_FLOOR):
            yield Finding(key=f"screen:{screen.id}:stuck", unit_id=screen.unit_id,
                          title=_("%(name)s is stuck on one slide", name=screen.name),
                          detail=_("“%(title)s” has been on screen since %(at)s (its time is %(seconds)d s).",
                                   title=screen.now_showing.get("title") or key,
                                   at=clock.to_local(since).strftime("%H:%M"), seconds=duration.total_seconds()),
                          link=link_for("screens.detail", screen_id=screen.id), since=since)
