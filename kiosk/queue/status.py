"""What the board, the status pages and the screens' queue slide show, computed from the database."""
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select

from kiosk.core import clock
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.queue.models import (AT_WINDOW, WAITING, Priority, ServiceWindow, Ticket, TicketEvent, TicketStatus,
                                WindowService)
from kiosk.queue.operations import open_now, rating_label, services_of, status_label

RECENT_CALLS = 6
# Service times averaged for the estimate: today's most recent finished tickets of the service.
ESTIMATE_SAMPLE = 10


def announcement(code: str, window: int, recall: bool) -> str:
    if recall:
        return _("Number %(code)s, once more, please go to window %(window)s", code=code, window=window)
    return _("Number %(code)s, please go to window %(window)s", code=code, window=window)


def recent_calls(hall: Unit, limit: int = RECENT_CALLS) -> list[dict]:
    """Today's latest calls and recalls, newest first; `id` grows with every call, so a board
    announces exactly the entries it has not announced yet, also after a reconnect."""
    since = clock.local_midnight_utc(clock.local_today())
    rows = db.session.execute(
        select(TicketEvent.id, TicketEvent.kind, TicketEvent.at, Ticket.code, ServiceWindow.number)
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .join(ServiceWindow, ServiceWindow.id == TicketEvent.window_id)
        .where(TicketEvent.hall_id == hall.id, TicketEvent.kind.in_(("called", "recalled")), TicketEvent.at >= since)
        .order_by(TicketEvent.id.desc()).limit(limit))
    return [{"id": event_id, "code": code, "window": number, "recall": kind == "recalled",
             "at": clock.to_local(at).strftime("%H:%M"), "ts": at.isoformat(), "text": announcement(code, number, kind == "recalled")}
            for event_id, kind, at, code, number in rows]


def hall_status(hall_unit: Unit) -> dict:
    """Waiting per service and the last calls of a hall (the board and the screens' queue slide)."""
    today = clock.local_today()
    waiting = dict(db.session.execute(
        select(Ticket.service_id, func.count()).where(Ticket.hall_id == hall_unit.id, Ticket.day == today,
                                                      Ticket.status.in_(WAITING)).group_by(Ticket.service_id)).all())
    services = [{"id": service.id, "prefix": service.prefix, "name": service.name,
                 "waiting": waiting.get(service.id, 0), "open": open_now(service)}
                for service in services_of(hall_unit, active_only=True)]
    return {"hall": {"code": hall_unit.code, "name": hall_unit.name}, "services": services,
            "calls": recent_calls(hall_unit), "at": clock.now().isoformat()}


def ahead_of(ticket: Ticket) -> int | None:
    """Waiting tickets of the same service to be called before this one (None once it is called,
    or when it expired with its day)."""
    if ticket.status not in WAITING or ticket.day < clock.local_today():
        return None
    before_me = or_(Ticket.queued_at < ticket.queued_at, and_(Ticket.queued_at == ticket.queued_at,
                                                             Ticket.id < ticket.id))
    if ticket.priority == Priority.green:
        ahead = and_(Ticket.priority == Priority.green, before_me)
    else:
        ahead = or_(Ticket.priority == Priority.green, before_me)
    return db.session.scalar(select(func.count()).select_from(Ticket).where(
        Ticket.service_id == ticket.service_id, Ticket.day == ticket.day, Ticket.status.in_(WAITING),
        Ticket.id != ticket.id, ahead))


def average_service_seconds(service_id: int) -> float | None:
    since = clock.local_midnight_utc(clock.local_today())
    rows = db.session.execute(
        select(Ticket.started_at, Ticket.finished_at).where(
            Ticket.service_id == service_id, Ticket.status == TicketStatus.done, Ticket.finished_at >= since)
        .order_by(Ticket.finished_at.desc()).limit(ESTIMATE_SAMPLE)).all()
    durations = [(finished - started).total_seconds() for started, finished in rows if started and finished]
    return sum(durations) / len(durations) if durations else None


def estimated_wait_minutes(ticket: Ticket, ahead: int) -> int | None:
    """(people ahead + the one being served) × today's recent average service time ÷ open windows."""
    average = average_service_seconds(ticket.service_id)
    if average is None:
        return None
    windows = db.session.scalar(
        select(func.count()).select_from(WindowService).join(ServiceWindow).where(
            WindowService.service_id == ticket.service_id, ServiceWindow.paused.is_(False))) or 1
    return max(1, round((ahead + 1) * average / windows / 60))


def ticket_state(ticket: Ticket) -> dict:
    """Everything the status page shows; also the body of getTicket."""
    ahead = ahead_of(ticket)
    expired = ticket.status in WAITING and ticket.day < clock.local_today()
    rating = ticket.rating
    return {
        "id": ticket.id,
        "code": ticket.code,
        "service": {"id": ticket.service.id, "prefix": ticket.service.prefix, "name": ticket.service.name},
        "priority": ticket.priority.value,
        "status": ticket.status.value,
        "status_label": _("expired") if expired else status_label(ticket.status),
        "issued_at": clock.to_local(ticket.issued_at).isoformat(),
        "day": ticket.day.isoformat(),
        "ahead": ahead,
        "estimated_wait_minutes": None if ahead is None else estimated_wait_minutes(ticket, ahead),
        "window": ticket.window.number if ticket.window and ticket.status in AT_WINDOW else None,
        "rating": ({"level": rating.level, "label": rating_label(rating.level)} if rating else None),
        "can_rate": ticket.status == TicketStatus.done and rating is None,
        "status_url": url_for("queue_public.status_page", token=ticket.token),
        "qr_path": f"t/{ticket.token}",
    }

