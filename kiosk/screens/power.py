"""Editing on-hours: a group's week and its offline alert's delay, a screen's own week (or back to
its groups'), as staff type them. The rule of what a week means is hours.py; this module checks
who may change it, keeps the text form of the staff page, audits, and tells the screens: a
group's change bumps `group:<id>` (every screen of the group gets its new state pushed), a screen's
own week bumps `screen:<id>`, part of the state key of a screen with a week of its own
(state.ScreenView); setting or clearing one changes that key, so the screen joins its rooms afresh.
"""
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from kiosk.accounts.models import User
from kiosk.audit.operations import record_change
from kiosk.core.errors import InvalidInput
from kiosk.events import publish
from kiosk.extensions import db
from kiosk.screens.hours import DAY_KEYS, WEEKDAYS, day_label, every_day, parse_week
from kiosk.screens.models import OnHours, Screen, ScreenGroup
from kiosk.screens.operations import NAMESPACE, ensure_manager, tell_groups

ALERT_MINUTES = (1, 24 * 60)
_RANGE = re.compile(r"^(\d{1,2}:\d{2})\s*[-–—~～至到]\s*(\d{1,2}:\d{2})$")
_SEPARATORS = re.compile(r"[,，、;；\s]+")


def _office_hours() -> dict:
    week = {day: [["08:30", "12:00"], ["14:00", "17:30"]] for day in WEEKDAYS[:5]}
    week.update(sat=[], sun=[], holiday=[], makeup=[["08:30", "12:00"], ["14:00", "17:30"]])
    return week


# Presets offered on the page (a name, its label, the week).
PRESETS = {"village": (_l("Every day 07:00–21:00"), every_day("07:00", "21:00")),
           "office": (_l("Office hours on working days"), _office_hours())}


# --- the text form of the staff page: one line per day, "07:00-12:00, 14:00-17:30" ---------------------

def week_as_text(week: dict | None) -> dict[str, str]:
    week = week or {}
    return {key: ", ".join(f"{start}-{end}" for start, end in week.get(key, [])) for key in DAY_KEYS}


def week_from_text(fields: dict[str, str]) -> dict:
    """The week typed in the form (empty = a day off), checked by parse_week; InvalidInput names the day."""
    week = {}
    for key in DAY_KEYS:
        text = (fields.get(key) or "").strip()
        ranges = []
        for piece in filter(None, _SEPARATORS.split(text.replace(" - ", "-").replace(" – ", "–"))):
            match = _RANGE.match(piece)
            if match is None:
                raise InvalidInput(_("%(day)s: write each range as 07:30-12:00, ranges separated by commas.",
                                     day=day_label(key)), details={"field": key})
            ranges.append([_padded(match.group(1)), _padded(match.group(2))])
        week[key] = ranges
    parse_week(week)
    return week


def _padded(text: str) -> str:
    hours, minutes = text.split(":")
    return f"{int(hours):02d}:{minutes}"


# --- reading -------------------------------------------------------------------------------------------

def group_week(group: ScreenGroup) -> dict | None:
    return db.session.scalar(select(OnHours.week).where(OnHours.group_id == group.id))


def own_week(screen: Screen) -> dict | None:
    return db.session.scalar(select(OnHours.week).where(OnHours.screen_id == screen.id))


def effective_source(screen: Screen) -> tuple[str, list[ScreenGroup]]:
    """Where the screen's on-hours come from: "screen", "groups" (with those groups) or "always"."""
    if own_week(screen) is not None:
        return "screen", []
    with_hours = [group for group in screen.groups if group_week(group) is not None]
    return ("groups", with_hours) if with_hours else ("always", [])


# --- changing ------------------------------------------------------------------------------------------

def _check(week: dict) -> None:
    parse_week(week)
    if not any(week[key] for key in DAY_KEYS):
        raise InvalidInput(_("These on-hours have no hours at all: the screens would stay dark. Give some "
                             "hours, or choose “always on”."), details={"field": "mon"})


def _store(row: OnHours | None, week: dict | None, **owner) -> None:
    if week is None:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(OnHours(week=week, **owner))
    else:
        row.week = week


def set_group_hours(user: User, group: ScreenGroup, week: dict | None, alert_minutes: int) -> None:
    """A group's on-hours (None: always on) and its offline alert's delay; all checked before anything changes."""
    ensure_manager(user, group.unit)
    if week is not None:
        _check(week)
    if not isinstance(alert_minutes, int) or not ALERT_MINUTES[0] <= alert_minutes <= ALERT_MINUTES[1]:
        raise InvalidInput(_("The alert delay is a number of minutes from %(low)d to %(high)d.",
                             low=ALERT_MINUTES[0], high=ALERT_MINUTES[1]), details={"field": "offline_alert_minutes"})
    row = db.session.scalar(select(OnHours).where(OnHours.group_id == group.id))
    before = {"on_hours": row.week if row else None, "offline_alert_minutes": group.offline_alert_minutes}
    _store(row, week, group_id=group.id)
    group.offline_alert_minutes = alert_minutes
    db.session.flush()
    record_change("screen_group.on_hours", group, before=before,
                  after={"on_hours": week, "offline_alert_minutes": alert_minutes})
    if before["on_hours"] != week:
        tell_groups([group.id], "on_hours")


def set_screen_hours(user: User, screen: Screen, week: dict | None) -> None:
    """A screen's own on-hours, overriding its groups'; None clears it back to the groups'."""
    ensure_manager(user, screen.unit)
    if week is not None:
        _check(week)
    row = db.session.scalar(select(OnHours).where(OnHours.screen_id == screen.id))
    before = row.week if row else None
    if before == week:
        return
    _store(row, week, screen_id=screen.id)
    db.session.flush()
    record_change("screen.on_hours", screen, before={"on_hours": before}, after={"on_hours": week})
    # Gaining or losing a week of its own changes the screen's state key: it joins its rooms again.
    reason = "on_hours" if before is not None and week is not None else "membership"
    publish("changed", {"reason": reason}, [f"screen:{screen.id}"], namespace=NAMESPACE)
