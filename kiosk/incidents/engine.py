"""The engine: evaluates every declared condition, keeps one incident per finding from its opening
to its closing, and queues one message per channel for each opening, closing and morning digest.

- A new finding opens an incident: one "open" message to each channel of its unit and the units above.
- A finding gone is not closed at once: it is `cleared` and closes when it has stayed away for the
  condition's flap window; the "close" message says how long it lasted (opening to clearing).
- A finding back within the flap window continues the same incident and counts a flap: nothing is
  sent, so a screen going down and up every few minutes gives one message, not one per flap.
- A condition that fails to evaluate changes nothing of its incidents (an error is not a recovery).
- A quiet finding (a dark screen at night) keeps its incident open but never opens one.

Messages are rows (`AlertDelivery`) written in the same transaction; `deliver_due` sends them.
"""
import logging
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from kiosk.core import clock
from kiosk.core.settings import get_setting, set_setting
from kiosk.extensions import db
from kiosk.incidents.conditions import CONDITIONS, Condition, Finding
from kiosk.incidents.models import AlertChannel, AlertDelivery, DeliveryEvent, Incident
from kiosk.org.models import Unit

log = logging.getLogger(__name__)
DIGEST_SETTING = "incidents.digest_day"
# The morning digest goes out once a day, from KIOSK_ALERT_DIGEST_TIME until this much later (a
# server down at 08:00 still sends it at 08:45, but not a "morning" digest in the afternoon).
DIGEST_LATENESS = timedelta(hours=1)


def evaluate(now: datetime | None = None) -> dict[str, int]:
    """One round over every condition; returns how many incidents opened, closed and flapped."""
    now = now or clock.now()
    counts = {"opened": 0, "closed": 0, "flapped": 0}
    with force_locale("zh"):
        for condition in list(CONDITIONS.values()):
            try:
                findings = {}
                for finding in condition.find(now):
                    findings.setdefault(finding.key, finding)
            except Exception:
                db.session.rollback()
                log.exception("condition %s failed; its incidents are left as they are", condition.kind)
                continue
            _apply(condition, findings, now, counts)
    return counts


def _apply(condition: Condition, findings: dict[str, Finding], now: datetime, counts: dict) -> None:
    live = {incident.key: incident for incident in db.session.scalars(
        select(Incident).where(Incident.kind == condition.kind, Incident.closed_at.is_(None)))}
    for key, finding in findings.items():
        incident = live.get(key)
        if incident is None and finding.quiet:
            continue
        if incident is None:
            incident = Incident(kind=condition.kind, key=key, opened_at=min(finding.since or now, now))
            _describe(incident, condition, finding, now)
            db.session.add(incident)
            db.session.flush()
            notify(incident, DeliveryEvent.open, now)
            counts["opened"] += 1
            continue
        if incident.cleared_at is not None:
            incident.cleared_at = None
            incident.flaps += 1
            counts["flapped"] += 1
        _describe(incident, condition, finding, now)
    for key, incident in live.items():
        if key in findings:
            continue
        if incident.cleared_at is None:
            incident.cleared_at = now
        if now - incident.cleared_at >= condition.flap_window:
            incident.closed_at = incident.cleared_at
            notify(incident, DeliveryEvent.close, now)
            counts["closed"] += 1


def _describe(incident: Incident, condition: Condition, finding: Finding, now: datetime) -> None:
    incident.unit_id = finding.unit_id
    incident.title = finding.title[:300]
    incident.detail = finding.detail
    incident.link = finding.link
    incident.user_ids = list(finding.user_ids)
    incident.roles = [str(getattr(role, "value", role)) for role in (finding.roles or condition.roles)]
    incident.last_found_at = now


# --- messages ------------------------------------------------------------------------------------------

def duration_text(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes >= 1440:
        return _("%(d)d d %(h)d h", d=minutes // 1440, h=(minutes % 1440) // 60)
    if minutes >= 60:
        return _("%(h)d h %(m)d min", h=minutes // 60, m=minutes % 60)
    return _("%(m)d min", m=minutes)


def _local(moment: datetime) -> str:
    return clock.to_local(moment).strftime("%m-%d %H:%M")


def condition_label(kind: str) -> str:
    condition = CONDITIONS.get(kind)
    return str(condition.label) if condition else kind


def absolute_link(link: str | None) -> str | None:
    if not link or "://" in link:
        return link
    base = (current_app.config.get("KIOSK_PUBLIC_URL") or "").rstrip("/")
    return f"{base}{link}" if base else link


def message_for(incident: Incident, event: DeliveryEvent) -> tuple[str, str]:
    """(subject, body) of an opening or closing, in Chinese (the township's groups read it)."""
    label = condition_label(incident.kind)
    unit = db.session.get(Unit, incident.unit_id)
    if event == DeliveryEvent.open:
        subject = _("[%(label)s] %(title)s", label=label, title=incident.title)
        lines = [incident.detail, _("Place: %(unit)s", unit=unit.name),
                 _("Since: %(at)s", at=_local(incident.opened_at))]
    else:
        lasted = duration_text(incident.closed_at - incident.opened_at)
        subject = _("[Resolved] %(title)s, after %(lasted)s", title=incident.title, lasted=lasted)
        lines = [_("Place: %(unit)s", unit=unit.name),
                 _("From %(start)s to %(end)s (%(lasted)s)", start=_local(incident.opened_at),
                   end=_local(incident.closed_at), lasted=lasted)]
        if incident.flaps:
            lines.append(_("It came back %(n)d times in between (grouped into this one incident).", n=incident.flaps))
    return subject, "\n".join(line for line in lines if line)


def channels_for(unit: Unit) -> list[AlertChannel]:
    """The enabled channels of a unit and of every unit above it (a township's group hears its villages)."""
    ancestors = {unit.path[:end] for end in range(2, len(unit.path) + 1) if unit.path[end - 1] == "/"}
    return list(db.session.scalars(select(AlertChannel).join(Unit).where(
        AlertChannel.enabled.is_(True), Unit.path.in_(ancestors)).order_by(AlertChannel.id)))


def notify(incident: Incident, event: DeliveryEvent, now: datetime) -> int:
    with force_locale("zh"):
        subject, body = message_for(incident, event)
    channels = channels_for(db.session.get(Unit, incident.unit_id))
    for channel in channels:
        db.session.add(AlertDelivery(channel_id=channel.id, incident_id=incident.id, event=event, subject=subject[:300],
                                     body=body, created_at=now, next_try_at=now))
    incident.last_notified = now
    return len(channels)


# --- the morning digest ---------------------------------------------------------------------------------

def open_incidents_under(unit: Unit, digest_only: bool = False) -> list[Incident]:
    """Incidents still open (their finding still true) in this unit and below, oldest first."""
    incidents = db.session.scalars(select(Incident).join(Unit).where(
        Incident.closed_at.is_(None), Incident.cleared_at.is_(None), Unit.path.startswith(unit.path))
        .order_by(Unit.path, Incident.opened_at))
    return [i for i in incidents if not digest_only or CONDITIONS.get(i.kind) is None or CONDITIONS[i.kind].digest]


def digest_text(incidents: list[Incident], now: datetime) -> tuple[str, str]:
    subject = _("Morning digest: %(n)d still open", n=len(incidents))
    lines, unit_id = [], None
    for incident in incidents:
        if incident.unit_id != unit_id:
            unit_id = incident.unit_id
            lines.append(_("%(unit)s:", unit=incident.unit.name))
        lines.append(_("- [%(label)s] %(title)s (for %(lasted)s)", label=condition_label(incident.kind),
                       title=incident.title, lasted=duration_text(now - incident.opened_at)))
    return subject, "\n".join(lines)


def send_digest_if_due(now: datetime | None = None) -> int:
    """Once a day at the configured local time: each channel gets what is still open under its unit
    (nothing when nothing is). Returns the messages queued."""
    now = now or clock.now()
    local = clock.to_local(now)
    due = datetime.combine(local.date(), current_app.config["KIOSK_ALERT_DIGEST_TIME"], local.tzinfo)
    if not due <= local < due + DIGEST_LATENESS or get_setting(DIGEST_SETTING) == local.date().isoformat():
        return 0
    set_setting(DIGEST_SETTING, local.date().isoformat())
    queued = 0
    with force_locale("zh"):
        for channel in db.session.scalars(select(AlertChannel).where(AlertChannel.enabled.is_(True))):
            incidents = open_incidents_under(channel.unit, digest_only=True)
            if not incidents:
                continue
            subject, body = digest_text(incidents, now)
            db.session.add(AlertDelivery(channel_id=channel.id, event=DeliveryEvent.digest, subject=subject,
                                         body=body, created_at=now, next_try_at=now))
            queued += 1
    return queued
