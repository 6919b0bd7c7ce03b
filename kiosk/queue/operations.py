"""The queue's rules: issuing numbers, the window's actions, ratings and follow-ups.

Each function runs inside the caller's transaction and does not commit; the route commits once,
so every action is all or nothing (a server killed mid-call loses nothing half-done).
Write actions start with `begin_writing()` (kiosk.core.locking): on SQLite the transaction takes the database write lock
at once (BEGIN IMMEDIATE), so concurrent issuers and windows queue behind each other instead of
reading the same counter; on PostgreSQL row locks (the counter upsert, FOR UPDATE SKIP LOCKED on
waiting tickets, FOR UPDATE on the window) do the same job without serialising the whole hall.
"""
import hashlib
import secrets
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from kiosk import privacy
from kiosk.accounts.models import Role, User
from kiosk.audit.operations import audited, record_change
from kiosk.core import clock
from kiosk.core.locking import begin_writing, claim_next, dialect, locked_row
from kiosk.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from kiosk.events import publish
from kiosk.extensions import db
from kiosk.metrics.registry import ticket_called, ticket_issued
from kiosk.org.models import Unit, UnitKind
from kiosk.queue.models import (AT_WINDOW, WAITING, FollowUp, Priority, QueueService, Rating, RatingLevel,
                                ServiceWindow, Ticket, TicketCounter, TicketEvent, TicketStatus, WindowService)
from kiosk.workdays.calendar import exceptions_between
from kiosk.workdays.models import DayKind

HALL_STAFF = (Role.window_clerk, Role.administrator)
SUPERVISORS = (Role.administrator, Role.reviewer)
# How long after a finish the window's tablet keeps asking for a rating.
RATING_PROMPT = timedelta(minutes=10)


# --- who may do what ---------------------------------------------------------------------

def ensure_hall_role(user: User, hall: Unit, *roles: Role) -> None:
    """The user has one of `roles` and works at this hall or above it."""
    if not user.has_role(*roles):
        raise Forbidden(_("Your account does not have the role for this."))
    if not user.unit.contains(hall):
        raise Forbidden(_("Your account may not act for %(hall)s.", hall=hall.name))


def ensure_supervisor(user: User, hall: Unit) -> None:
    """Follow-ups are closed by an administrator or reviewer of the hall's township (or above)."""
    township = hall.township or hall
    if not user.has_role(*SUPERVISORS) or not user.unit.contains(township):
        raise Forbidden(_("Only an administrator or reviewer of %(township)s may close follow-ups.",
                          township=township.name))


def get_hall(code: str) -> Unit:
    hall = db.session.scalar(select(Unit).where(Unit.code == code, Unit.kind == UnitKind.hall))
    if hall is None:
        raise NotFound(_("There is no service hall with the code %(code)s.", code=code))
    return hall


def halls_for(user: User) -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(
        Unit.kind == UnitKind.hall, Unit.path.startswith(user.unit.path)).order_by(Unit.id)))


def _found(row, missing: str):
    if row is None:
        raise NotFound(missing)
    return row


def get_service(service_id: int) -> QueueService:
    return _found(db.session.get(QueueService, service_id), _("No such service."))


def get_window(window_id: int) -> ServiceWindow:
    return _found(db.session.get(ServiceWindow, window_id), _("No such window."))


def get_ticket(ticket_id: int) -> Ticket:
    return _found(db.session.get(Ticket, ticket_id), _("No such ticket."))


def ticket_by_token(token: str) -> Ticket:
    ticket = db.session.scalar(select(Ticket).where(Ticket.token == token)) if 20 <= len(token) <= 64 else None
    return _found(ticket, _("This ticket link is not valid."))


# --- locking -----------------------------------------------------------------------------

def _locked(model, row_id: int, missing: str):
    return _found(locked_row(model, row_id), missing)


def _lock_window(window_id: int) -> ServiceWindow:
    return _locked(ServiceWindow, window_id, _("No such window."))


def _lock_ticket(ticket_id: int) -> Ticket:
    return _locked(Ticket, ticket_id, _("No such ticket."))


# --- set-up ------------------------------------------------------------------------------

def parse_hours(text_by_day: dict[int, str]) -> dict[str, list[list[str]]]:
    """{1: "08:30-12:00, 13:30-17:30", 6: ""} -> {"1": [["08:30", "12:00"], ["13:30", "17:30"]]}."""
    hours = {}
    for day, text in text_by_day.items():
        spans = []
        for part in (text or "").replace("，", ",").split(","):
            part = part.strip()
            if not part:
                continue
            try:
                start, end = (time.fromisoformat(piece.strip()) for piece in part.split("-"))
            except ValueError:
                raise InvalidInput(_("Write opening hours like 08:30-12:00, 13:30-17:30 (not %(text)s).",
                                     text=part))
            if start >= end:
                raise InvalidInput(_("An opening span must end after it starts: %(text)s.", text=part))
            spans.append([start.strftime("%H:%M"), end.strftime("%H:%M")])
        if spans:
            hours[str(day)] = spans
    return hours


def hours_text(hours: dict, day: int) -> str:
    return ", ".join(f"{start}-{end}" for start, end in hours.get(str(day), []))


def save_service(user: User, hall: Unit, *, prefix: str, name: str, daily_cap: int | None, hours: dict,
                 materials: str, active: bool = True, service: QueueService | None = None) -> QueueService:
    ensure_hall_role(user, hall, Role.administrator)
    prefix = prefix.strip().upper()
    if not (len(prefix) == 1 and "A" <= prefix <= "Z"):
        raise InvalidInput(_("The prefix is one letter from A to Z."))
    if not name.strip():
        raise InvalidInput(_("A service needs a name."))
    if daily_cap is not None and daily_cap < 1:
        raise InvalidInput(_("A daily cap is at least 1 (leave it empty for none)."))
    # The kiosk, the board, the tickets and the guides show both to the public.
    privacy.ensure_clean({_("Service name"): name, _("Materials to bring"): materials})
    clash = db.session.scalar(select(QueueService).where(QueueService.hall_id == hall.id,
                                                         QueueService.prefix == prefix))
    if clash is not None and clash is not service:
        raise Conflict(_("The prefix %(prefix)s is already used by %(name)s.", prefix=prefix, name=clash.name))
    if service is None:
        service = QueueService(hall_id=hall.id, prefix=prefix, name=name.strip(), daily_cap=daily_cap,
                               hours=hours, materials=materials.strip(), active=active)
        db.session.add(service)
        db.session.flush()
        record_change("queue.service.create", service)
    else:
        with audited("queue.service.update", service):
            service.prefix, service.name, service.daily_cap = prefix, name.strip(), daily_cap
            service.hours, service.materials, service.active = hours, materials.strip(), active
    _publish_hall(hall, "setup")
    return service


def save_window(user: User, hall: Unit, *, number: int, service_ids: list[int], paused: bool = False,
                priority_first: bool = True, window: ServiceWindow | None = None) -> ServiceWindow:
    ensure_hall_role(user, hall, Role.administrator)
    if not 1 <= number <= 999:
        raise InvalidInput(_("A window number is between 1 and 999."))
    if not service_ids:
        raise InvalidInput(_("Choose at least one service for the window."))
    if len(set(service_ids)) != len(service_ids):
        raise InvalidInput(_("Each service appears once in a window's list."))
    services = [get_service(service_id) for service_id in service_ids]
    if any(service.hall_id != hall.id for service in services):
        raise InvalidInput(_("A window serves only services of its own hall."))
    clash = db.session.scalar(select(ServiceWindow).where(ServiceWindow.hall_id == hall.id,
                                                          ServiceWindow.number == number))
    if clash is not None and clash is not window:
        raise Conflict(_("Window %(number)s already exists.", number=number))
    links = [WindowService(service_id=service.id, rank=rank) for rank, service in enumerate(services)]
    if window is None:
        window = ServiceWindow(hall_id=hall.id, number=number, paused=paused, priority_first=priority_first,
                               service_links=links)
        db.session.add(window)
        db.session.flush()
        record_change("queue.window.create", window, after={"number": number, "services": service_ids})
    else:
        before = {"number": window.number, "services": [link.service_id for link in window.service_links],
                  "paused": window.paused, "priority_first": window.priority_first}
        window.service_links.clear()
        db.session.flush()
        window.number, window.paused, window.priority_first = number, paused, priority_first
        window.service_links.extend(links)
        db.session.flush()
        record_change("queue.window.update", window, before=before,
                      after={"number": number, "services": service_ids, "paused": paused,
                             "priority_first": priority_first})
    _publish_hall(hall, "setup")
    return window


def services_of(hall: Unit, active_only: bool = False) -> list[QueueService]:
    statement = select(QueueService).where(QueueService.hall_id == hall.id).order_by(QueueService.prefix)
    if active_only:
        statement = statement.where(QueueService.active.is_(True))
    return list(db.session.scalars(statement))


def windows_of(hall: Unit) -> list[ServiceWindow]:
    return list(db.session.scalars(select(ServiceWindow).where(ServiceWindow.hall_id == hall.id)
                                   .order_by(ServiceWindow.number)))


# --- opening hours -----------------------------------------------------------------------

def spans_on(service: QueueService, day: date) -> list[list[str]]:
    """The opening spans of a service on a local date. A public holiday in the holiday table
    closes it; a 调休 make-up working day opens it with its ordinary weekday hours."""
    kind = exceptions_between(day, day).get(day)
    if kind == DayKind.holiday:
        return []
    weekday = day.isoweekday()
    if kind == DayKind.workday:
        weekday = next((d for d in range(1, 6) if service.hours.get(str(d))), weekday)
    return service.hours.get(str(weekday), [])


def open_now(service: QueueService, moment: datetime | None = None) -> bool:
    """No hours set means always open; otherwise open inside one of the day's spans (local time)."""
    if not service.hours:
        return True
    local = clock.to_local(moment or clock.now())
    now_text = local.strftime("%H:%M")
    return any(start <= now_text < end for start, end in spans_on(service, local.date()))


def next_opening(service: QueueService) -> str:
    """A readable "next opening" for a closed service, within the coming two weeks."""
    local = clock.local_now()
    for offset in range(0, 15):
        day = local.date() + timedelta(days=offset)
        for start, _end in spans_on(service, day):
            if offset or start > local.strftime("%H:%M"):
                when = (_("today") if offset == 0 else _("tomorrow") if offset == 1
                        else weekday_name(day.isoweekday()) if offset < 7 else day.strftime("%m-%d"))
                return f"{when} {start}"
    return ""


def weekday_name(day: int) -> str:
    return (_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"),
            _("Sunday"))[day - 1]


# --- issuing -----------------------------------------------------------------------------

def issue_ticket(service: QueueService, *, priority: Priority = Priority.normal, via: str = "staff",
                 user: User | None = None) -> Ticket:
    """Take the next number of `service` for today (Asia/Shanghai). Callers check who may issue."""
    begin_writing()
    if not service.active:
        raise Conflict(_("%(service)s is not offered at the moment.", service=service.name), code="closed")
    now = clock.now()
    if not open_now(service, now):
        opening = next_opening(service)
        message = (_("%(service)s is closed now. It opens %(when)s.", service=service.name, when=opening)
                   if opening else _("%(service)s is closed now.", service=service.name))
        raise Conflict(message, code="closed")
    day = clock.to_local(now).date()
    number = claim_next(TicketCounter, TicketCounter.last_number, service_id=service.id, day=day)
    if service.daily_cap and number > service.daily_cap:
        # Raising rolls the transaction back, and the counter with it.
        raise Conflict(_("All %(cap)s numbers for %(service)s are taken today. Please come back on the "
                         "next working day.", cap=service.daily_cap, service=service.name), code="cap_reached")
    ticket = Ticket(hall_id=service.hall_id, service_id=service.id, number_service_id=service.id, day=day,
                    number=number, code=f"{service.prefix}{number:03d}", priority=priority,
                    status=TicketStatus.waiting, token=secrets.token_urlsafe(32), issued_at=now, queued_at=now,
                    issued_by_id=user.id if user else None, issued_via=via)
    db.session.add(ticket)
    db.session.flush()
    _event(ticket, "issued", user, priority=priority.value, via=via)
    ticket_issued(service.hall.code)
    return ticket


# --- the window's actions ----------------------------------------------------------------

def current_ticket(window: ServiceWindow) -> Ticket | None:
    return db.session.scalar(select(Ticket).where(Ticket.window_id == window.id, Ticket.status.in_(AT_WINDOW)))


def awaiting_rating(window: ServiceWindow) -> Ticket | None:
    """The ticket the window's tablet asks to rate: the last one finished here, if unrated and recent."""
    latest = db.session.scalar(select(Ticket).where(Ticket.window_id == window.id, Ticket.status == TicketStatus.done)
                               .order_by(Ticket.finished_at.desc()).limit(1))
    if latest is None or latest.rating is not None or clock.now() - latest.finished_at > RATING_PROMPT:
        return None
    return latest


def _window_for_action(user: User, window_id: int) -> ServiceWindow:
    begin_writing()
    window = _lock_window(window_id)
    ensure_hall_role(user, window.hall, *HALL_STAFF)
    return window


def call_next(user: User, window_id: int) -> Ticket | None:
    """Call the next waiting ticket for this window, or None when nobody waits."""
    window = _window_for_action(user, window_id)
    if window.paused:
        raise Conflict(_("Window %(number)s is paused. Resume it to call.", number=window.number), code="paused")
    holding = current_ticket(window)
    if holding is not None:
        raise Conflict(_("Window %(number)s still has %(code)s. Finish it or mark it as no-show first.",
                         number=window.number, code=holding.code), code="busy")
    ranks = {link.service_id: link.rank for link in window.service_links}
    if not ranks:
        return None
    order = []
    if window.priority_first:
        order.append(case((Ticket.priority == Priority.green, 0), else_=1))
    order += [case(ranks, value=Ticket.service_id), Ticket.queued_at, Ticket.id]
    statement = (select(Ticket.id).where(Ticket.service_id.in_(ranks), Ticket.status.in_(WAITING),
                                         Ticket.day == clock.local_today())
                 .order_by(*order).limit(1))
    if dialect() == "postgresql":
        # Another window's uncommitted call has its ticket locked: skip it rather than wait for it.
        statement = statement.with_for_update(skip_locked=True)
    ticket_id = db.session.scalar(statement)
    if ticket_id is None:
        return None
    ticket = db.session.get(Ticket, ticket_id, populate_existing=True)
    ticket.status, ticket.window_id, ticket.clerk_id = TicketStatus.called, window.id, user.id
    ticket.called_at = ticket.called_at or clock.now()
    db.session.flush()
    _event(ticket, "called", user, window=window)
    ticket_called(window.hall.code, (ticket.called_at - ticket.issued_at).total_seconds())
    return ticket


def _ticket_at_window(user: User, window_id: int, ticket_id: int, *allowed: TicketStatus) -> tuple:
    window = _window_for_action(user, window_id)
    ticket = _lock_ticket(ticket_id)
    if ticket.window_id != window.id or ticket.status not in AT_WINDOW:
        raise Conflict(_("%(code)s is not at window %(number)s.", code=ticket.code, number=window.number),
                       code="not_at_window")
    if ticket.status not in allowed:
        raise Conflict(_("%(code)s is %(status)s; that cannot be done now.", code=ticket.code,
                         status=status_label(ticket.status)), code="wrong_state")
    return window, ticket


def recall(user: User, window_id: int, ticket_id: int) -> Ticket:
    window, ticket = _ticket_at_window(user, window_id, ticket_id, TicketStatus.called)
    ticket.recalls += 1
    _event(ticket, "recalled", user, window=window)
    return ticket


def start(user: User, window_id: int, ticket_id: int) -> Ticket:
    window, ticket = _ticket_at_window(user, window_id, ticket_id, TicketStatus.called)
    ticket.status, ticket.started_at, ticket.clerk_id = TicketStatus.serving, clock.now(), user.id
    _event(ticket, "started", user, window=window)
    return ticket


def finish(user: User, window_id: int, ticket_id: int) -> Ticket:
    window, ticket = _ticket_at_window(user, window_id, ticket_id, TicketStatus.serving)
    ticket.status, ticket.finished_at = TicketStatus.done, clock.now()
    _event(ticket, "finished", user, window=window)
    return ticket


def mark_no_show(user: User, window_id: int, ticket_id: int) -> Ticket:
    window, ticket = _ticket_at_window(user, window_id, ticket_id, TicketStatus.called)
    ticket.status = TicketStatus.no_show
    _event(ticket, "no_show", user, window=window)
    return ticket


def transfer(user: User, window_id: int, ticket_id: int, service_id: int) -> Ticket:
    """Send the visitor on to another service: they wait there in their original place."""
    window, ticket = _ticket_at_window(user, window_id, ticket_id, *AT_WINDOW)
    target = get_service(service_id)
    if target.hall_id != ticket.hall_id or not target.active:
        raise InvalidInput(_("Transfer only to an offered service of the same hall."))
    if target.id == ticket.service_id:
        raise InvalidInput(_("The ticket is already for %(service)s.", service=target.name))
    source = ticket.service
    ticket.status, ticket.service_id, ticket.window_id = TicketStatus.transferred, target.id, None
    ticket.called_at = ticket.started_at = None
    db.session.flush()
    db.session.expire(ticket, ["service"])
    _event(ticket, "transferred", user, window=window, source=source.prefix, target=target.prefix)
    return ticket


def cancel(user: User, ticket_id: int) -> Ticket:
    begin_writing()
    ticket = _lock_ticket(ticket_id)
    ensure_hall_role(user, ticket.hall, *HALL_STAFF)
    if ticket.status not in WAITING:
        raise Conflict(_("Only a waiting ticket can be cancelled."), code="wrong_state")
    ticket.status = TicketStatus.cancelled
    _event(ticket, "cancelled", user)
    return ticket


def set_paused(user: User, window_id: int, paused: bool) -> ServiceWindow:
    window = _window_for_action(user, window_id)
    with audited("queue.window.pause" if paused else "queue.window.resume", window):
        window.paused = paused
    _publish_hall(window.hall, "paused" if paused else "resumed", window=window.number)
    return window


# --- ratings -----------------------------------------------------------------------------

def rating_label(level: int) -> str:
    return {5: _("Very satisfied"), 4: _("Satisfied"), 3: _("Fairly satisfied"), 2: _("Dissatisfied"),
            1: _("Very dissatisfied")}[level]


def rate(ticket: Ticket, level: int, channel: str, comment: str = "") -> Rating:
    """Rate a finished ticket once. 不满意 or worse opens a follow-up for a supervisor."""
    begin_writing()
    ticket = _lock_ticket(ticket.id)
    if level not in {item.value for item in RatingLevel}:
        raise InvalidInput(_("A rating is a level from 1 (very dissatisfied) to 5 (very satisfied)."))
    if ticket.status != TicketStatus.done:
        raise Conflict(_("A ticket can be rated once its service is finished."), code="not_finished")
    if db.session.scalar(select(Rating.id).where(Rating.ticket_id == ticket.id)) is not None:
        raise Conflict(_("This ticket has already been rated. Thank you."), code="already_rated")
    rating = Rating(ticket_id=ticket.id, hall_id=ticket.hall_id, level=level, channel=channel,
                    comment=comment.strip()[:500], at=clock.now())
    db.session.add(rating)
    db.session.flush()
    if level <= RatingLevel.dissatisfied:
        db.session.add(FollowUp(rating_id=rating.id, hall_id=ticket.hall_id, opened_at=clock.now()))
    _event(ticket, "rated", None, level=level, channel=channel)
    return rating


def rating_code(ticket: Ticket) -> str:
    """The four digits printed under the number: derived from the ticket's secret token, so a
    visitor who rates at the kiosk proves the ticket is theirs (numbers run in sequence; these do not)."""
    return f"{int(hashlib.sha256(ticket.token.encode()).hexdigest(), 16) % 10000:04d}"


def ticket_to_rate(hall: Unit, code: str, check: str) -> Ticket:
    """Today's ticket `code` of the hall, if `check` is its rating code; a wrong or missing code
    says no more than a wrong number does, so neither can be found by trying."""
    try:
        ticket = todays_ticket(hall, code)
    except NotFound:
        ticket = None
    if ticket is None or not secrets.compare_digest((check or "").strip(), rating_code(ticket)):
        raise Forbidden(_("This number and rating code do not belong together. Please check your ticket."),
                        code="wrong_code")
    return ticket


def todays_ticket(hall: Unit, code: str) -> Ticket:
    """Today's ticket of a hall by its number (A012), as a visitor types it at the kiosk."""
    ticket = db.session.scalar(select(Ticket).where(Ticket.hall_id == hall.id, Ticket.day == clock.local_today(),
                                                    Ticket.code == code.strip().upper()))
    if ticket is None:
        raise NotFound(_("No ticket %(code)s was issued here today.", code=code.strip().upper()))
    return ticket


def close_follow_up(user: User, follow_up_id: int, action_taken: str) -> FollowUp:
    follow_up = db.session.get(FollowUp, follow_up_id)
    if follow_up is None:
        raise NotFound(_("No such follow-up."))
    ensure_supervisor(user, db.session.get(Unit, follow_up.hall_id))
    if follow_up.closed_at is not None:
        raise Conflict(_("This follow-up was already closed."))
    if len(action_taken.strip()) < 4:
        raise InvalidInput(_("Describe the action taken (at least a few words)."))
    with audited("queue.follow_up.close", follow_up):
        follow_up.closed_at, follow_up.closed_by_id = clock.now(), user.id
        follow_up.action_taken = action_taken.strip()
    return follow_up


def follow_ups(hall: Unit, open_only: bool = True) -> list[FollowUp]:
    statement = select(FollowUp).where(FollowUp.hall_id == hall.id).order_by(FollowUp.opened_at.desc())
    if open_only:
        statement = statement.where(FollowUp.closed_at.is_(None))
    return list(db.session.scalars(statement))


# --- events ------------------------------------------------------------------------------

def status_label(status: TicketStatus) -> str:
    return {TicketStatus.waiting: _("waiting"), TicketStatus.called: _("called"),
            TicketStatus.serving: _("being served"), TicketStatus.done: _("done"),
            TicketStatus.no_show: _("no-show"), TicketStatus.cancelled: _("cancelled"),
            TicketStatus.transferred: _("transferred, waiting")}[status]


def _event(ticket: Ticket, kind: str, user: User | None, window: ServiceWindow | None = None, **detail) -> None:
    """Timestamp the change and tell the hall and the ticket's followers once it commits."""
    db.session.add(TicketEvent(ticket_id=ticket.id, hall_id=ticket.hall_id, kind=kind, at=clock.now(),
                               window_id=window.id if window else ticket.window_id,
                               user_id=user.id if user else None, detail=detail))
    publish("ticket.changed", {"ticket": ticket.id, "status": ticket.status.value, "kind": kind},
            [f"ticket:{ticket.id}"])
    _publish_hall(ticket.hall, kind, ticket=ticket.code, window=window.number if window else None)


def _publish_hall(hall: Unit, kind: str, **detail) -> None:
    publish("queue.changed", {"hall": hall.code, "kind": kind, **detail}, [f"hall:{hall.id}"])


def waiting_count(service_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Ticket).where(
        Ticket.service_id == service_id, Ticket.status.in_(WAITING), Ticket.day == clock.local_today()))
