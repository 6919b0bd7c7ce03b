"""The queue's JSON API (/api/v1/queue/...)."""
import secrets
from datetime import date

from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, Field

from kiosk.accounts.models import Role
from kiosk.api import operation
from kiosk.core.errors import Forbidden, InvalidInput, Unauthorized
from kiosk.extensions import db
from kiosk.queue import operations as ops
from kiosk.queue.models import Priority, QueueService, ServiceWindow
from kiosk.queue.printing import print_mode, print_ticket
from kiosk.queue.public import issuing_caller
from kiosk.queue.stats import queue_stats, stats_range
from kiosk.queue.status import hall_status, ticket_state
from kiosk.screens.devices import current_screen
from kiosk.touch import limits as kiosk_limits

TAG = "queue"
CLERKS = (Role.window_clerk, Role.administrator)


_CLOCK = r"([01]\d|2[0-3]):[0-5]\d"
OPENING_HOURS = rf"^\s*{_CLOCK}\s*-\s*{_CLOCK}(\s*,\s*{_CLOCK}\s*-\s*{_CLOCK})*\s*$"


class ServiceBody(BaseModel):
    prefix: str = Field(min_length=1, max_length=1)
    name: str = Field(min_length=1, max_length=80)
    daily_cap: int | None = Field(default=None, ge=1, le=9999)
    hours: dict[int, str] = Field(default_factory=dict, description="ISO weekday (1 = Monday) → "
                                  "\"08:30-12:00, 13:30-17:30\", local time; empty: always open",
                                  json_schema_extra={"propertyNames": {"pattern": "^[1-7]$"},
                                                     "additionalProperties": {"type": "string",
                                                                              "pattern": OPENING_HOURS}})
    materials: list[str] = Field(default_factory=list, max_length=50)
    active: bool = True


class WindowBody(BaseModel):
    number: int = Field(ge=1, le=999)
    services: list[str] = Field(min_length=1, max_length=26, description="prefix letters, preferred first")
    priority_first: bool = True
    paused: bool = False


class IssueBody(BaseModel):
    service: str = Field(min_length=1, max_length=1, description="the service's prefix letter")
    priority: Priority = Priority.normal
    print: bool = Field(default=False, description="print on the hall's ESC/POS printer if one is configured")


class TransferBody(BaseModel):
    service: str = Field(min_length=1, max_length=1)


class PauseBody(BaseModel):
    paused: bool


class RateBody(BaseModel):
    level: int = Field(ge=1, le=5, description="5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意")
    token: str | None = Field(default=None, max_length=64, description="the ticket's status-link secret")
    comment: str = Field(default="", max_length=500)


class FollowUpBody(BaseModel):
    action_taken: str = Field(min_length=4, max_length=4000)


class KioskRateBody(BaseModel):
    ticket: str = Field(min_length=2, max_length=8, description="today's ticket number, e.g. A012")
    code: str = Field(min_length=4, max_length=4, description="the rating code printed on the ticket")
    level: int = Field(ge=1, le=5, description="5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意")


class StatsQuery(BaseModel):
    from_: date | None = Field(default=None, alias="from")
    to: date | None = None


def service_json(service: QueueService) -> dict:
    return {"id": service.id, "prefix": service.prefix, "name": service.name, "daily_cap": service.daily_cap,
            "hours": service.hours, "materials": service.material_list, "active": service.active,
            "open_now": ops.open_now(service), "waiting": ops.waiting_count(service.id)}


def window_json(window: ServiceWindow) -> dict:
    current = ops.current_ticket(window)
    awaiting = ops.awaiting_rating(window)
    return {"id": window.id, "number": window.number, "paused": window.paused,
            "priority_first": window.priority_first, "services": [s.prefix for s in window.services],
            "current": ticket_state(current) if current else None,
            "awaiting_rating": {"id": awaiting.id, "code": awaiting.code} if awaiting else None}


def rating_json(rating) -> dict:
    return {"level": rating.level, "label": ops.rating_label(rating.level), "follow_up": rating.level <= 2}


def _service_by_prefix(hall, prefix: str) -> QueueService:
    for service in ops.services_of(hall):
        if service.prefix == prefix.upper():
            return service
    raise InvalidInput(_("No service has the prefix %(prefixes)s.", prefixes=prefix))


@operation("/queue/halls/<code>/services", method="GET", operation_id="listServices", tag=TAG, public=True,
           summary="The services of a hall, with hours, materials and how many wait")
def list_services(code):
    return [service_json(service) for service in ops.services_of(ops.get_hall(code))]


@operation("/queue/halls/<code>/services", method="POST", operation_id="createService", tag=TAG,
           body=ServiceBody, roles=(Role.administrator,), status=201, errors=(409,),
           summary="Add a service to a hall")
def create_service(code, body: ServiceBody):
    hall = ops.get_hall(code)
    service = ops.save_service(current_user, hall, prefix=body.prefix, name=body.name, daily_cap=body.daily_cap,
                               hours=ops.parse_hours(body.hours), materials="\n".join(body.materials),
                               active=body.active)
    db.session.commit()
    return service_json(service)


@operation("/queue/services/<int:service_id>", method="PUT", operation_id="updateService", tag=TAG,
           body=ServiceBody, roles=(Role.administrator,), errors=(409,), summary="Change a service")
def update_service(service_id, body: ServiceBody):
    service = ops.get_service(service_id)
    ops.save_service(current_user, service.hall, prefix=body.prefix, name=body.name, daily_cap=body.daily_cap,
                     hours=ops.parse_hours(body.hours), materials="\n".join(body.materials), active=body.active,
                     service=service)
    db.session.commit()
    return service_json(service)


@operation("/queue/halls/<code>/windows", method="GET", operation_id="listWindows", tag=TAG, roles=CLERKS,
           summary="The windows of a hall, their services and what each holds now")
def list_windows(code):
    hall = ops.get_hall(code)
    ops.ensure_hall_role(current_user, hall, *CLERKS)
    return [window_json(window) for window in ops.windows_of(hall)]


def _save_window(hall, body: WindowBody, window=None):
    service_ids = [_service_by_prefix(hall, prefix).id for prefix in body.services]
    return ops.save_window(current_user, hall, number=body.number, service_ids=service_ids, paused=body.paused,
                           priority_first=body.priority_first, window=window)


@operation("/queue/halls/<code>/windows", method="POST", operation_id="createWindow", tag=TAG, body=WindowBody,
           roles=(Role.administrator,), status=201, errors=(409,), summary="Add a window to a hall")
def create_window(code, body: WindowBody):
    window = _save_window(ops.get_hall(code), body)
    db.session.commit()
    return window_json(window)


@operation("/queue/windows/<int:window_id>", method="PUT", operation_id="updateWindow", tag=TAG, body=WindowBody,
           roles=(Role.administrator,), errors=(409,), summary="Change a window's number, services or flags")
def update_window(window_id, body: WindowBody):
    window = ops.get_window(window_id)
    _save_window(window.hall, body, window)
    db.session.commit()
    return window_json(window)


@operation("/queue/windows/<int:window_id>", method="GET", operation_id="getWindow", tag=TAG, roles=CLERKS,
           summary="A window, its current ticket and the waiting counts of its services")
def get_window(window_id):
    window = ops.get_window(window_id)
    ops.ensure_hall_role(current_user, window.hall, *CLERKS)
    return {**window_json(window), "hall": hall_status(window.hall)}


@operation("/queue/halls/<code>/status", method="GET", operation_id="getHallStatus", tag=TAG, public=True,
           summary="Waiting per service and the latest calls (what the board shows)")
def get_hall_status(code):
    return hall_status(ops.get_hall(code))


@operation("/queue/halls/<code>/tickets", method="POST", operation_id="issueTicket", tag=TAG, body=IssueBody,
           public=True, status=201, errors=(401, 403, 409, 429),
           summary="Take a number (at the hall's kiosk or by hall staff; anonymous callers are refused)")
def issue_ticket(code, body: IssueBody):
    hall = ops.get_hall(code)
    via, user = issuing_caller(hall)
    budgets = kiosk_limits.ticket_budgets(current_screen().id) if via == "kiosk" else []
    kiosk_limits.ensure_room(budgets, kiosk_limits.too_many_tickets)
    ticket = ops.issue_ticket(_service_by_prefix(hall, body.service), priority=body.priority, via=via, user=user)
    db.session.commit()
    kiosk_limits.count(budgets)
    printed = print_ticket(ticket) if body.print else False
    return {**ticket_state(ticket), "token": ticket.token, "printed": printed, "print_mode": print_mode(),
            "rating_code": ops.rating_code(ticket)}


@operation("/queue/tickets/<int:ticket_id>", method="GET", operation_id="getTicket", tag=TAG, roles=CLERKS,
           summary="A ticket's state: status, people ahead, estimated wait, window")
def get_ticket(ticket_id):
    ticket = ops.get_ticket(ticket_id)
    ops.ensure_hall_role(current_user, ticket.hall, *CLERKS)
    return ticket_state(ticket)


@operation("/queue/tickets/<int:ticket_id>/print", method="POST", operation_id="reprintTicket", tag=TAG,
           public=True, errors=(401, 403, 409), summary="Print a ticket again on the hall's ESC/POS printer")
def reprint_ticket(ticket_id):
    ticket = ops.get_ticket(ticket_id)
    issuing_caller(ticket.hall)
    if not print_ticket(ticket):
        raise InvalidInput(_("No ticket printer is configured; print from the browser instead."))
    return {"printed": True}


@operation("/queue/tickets/<int:ticket_id>/cancel", method="POST", operation_id="cancelTicket", tag=TAG,
           roles=CLERKS, errors=(409,), summary="Cancel a waiting ticket")
def cancel_ticket(ticket_id):
    ticket = ops.cancel(current_user, ticket_id)
    db.session.commit()
    return ticket_state(ticket)


@operation("/queue/windows/<int:window_id>/call-next", method="POST", operation_id="callNext", tag=TAG,
           roles=CLERKS, errors=(409,),
           summary="Call the next ticket: the window's services by preference, priority lane first, then by time")
def call_next(window_id):
    ticket = ops.call_next(current_user, window_id)
    db.session.commit()
    return {"ticket": ticket_state(ticket) if ticket else None}


def _window_action(action, summary: str, operation_id: str, path: str):
    @operation(f"/queue/windows/<int:window_id>/tickets/<int:ticket_id>/{path}", method="POST",
               operation_id=operation_id, tag=TAG, roles=CLERKS, errors=(409,), summary=summary)
    def view(window_id, ticket_id):
        ticket = action(current_user, window_id, ticket_id)
        db.session.commit()
        return ticket_state(ticket)
    return view


_window_action(ops.recall, "Call the ticket at this window again (it stays called)", "recallTicket", "recall")
_window_action(ops.start, "Start serving the called ticket", "startTicket", "start")
_window_action(ops.finish, "Finish serving the ticket", "finishTicket", "finish")
_window_action(ops.mark_no_show, "The called visitor did not come", "markNoShow", "no-show")


@operation("/queue/windows/<int:window_id>/tickets/<int:ticket_id>/transfer", method="POST",
           operation_id="transferTicket", tag=TAG, roles=CLERKS, body=TransferBody, errors=(409,),
           summary="Send the ticket to another service; it keeps its place by its original time")
def transfer_ticket(window_id, ticket_id, body: TransferBody):
    window = ops.get_window(window_id)
    ticket = ops.transfer(current_user, window_id, ticket_id, _service_by_prefix(window.hall, body.service).id)
    db.session.commit()
    return ticket_state(ticket)


@operation("/queue/windows/<int:window_id>/pause", method="POST", operation_id="pauseWindow", tag=TAG,
           roles=CLERKS, body=PauseBody, summary="Pause or resume a window")
def pause_window(window_id, body: PauseBody):
    window = ops.set_paused(current_user, window_id, body.paused)
    db.session.commit()
    return window_json(window)


@operation("/queue/tickets/<int:ticket_id>/rating", method="POST", operation_id="rateTicket", tag=TAG,
           public=True, body=RateBody, status=201, errors=(401, 403, 409),
           summary="Rate a finished ticket once (with its status-link token, or at the window's tablet)")
def rate_ticket(ticket_id, body: RateBody):
    ticket = ops.get_ticket(ticket_id)
    if body.token:
        if not secrets.compare_digest(body.token.encode(), ticket.token.encode()):
            raise Forbidden(_("This ticket link is not valid."))
        channel = "phone"
    elif current_user.is_authenticated:
        ops.ensure_hall_role(current_user, ticket.hall, *CLERKS)
        channel = "window"
    else:
        raise Unauthorized(_("Rate from the ticket's own page or at the window."))
    rating = ops.rate(ticket, body.level, channel, body.comment)
    db.session.commit()
    return rating_json(rating)


@operation("/queue/halls/<code>/ratings", method="POST", operation_id="rateAtKiosk", tag=TAG, public=True,
           body=KioskRateBody, status=201, errors=(401, 403, 404, 409, 429),
           summary="Rate a finished ticket at the hall's touch kiosk by its number and the rating code printed on it")
def rate_at_kiosk(code, body: KioskRateBody):
    hall = ops.get_hall(code)
    via, _user = issuing_caller(hall)
    # Wrong codes count against the number and the kiosk; once either is spent, even the right
    # code waits for the window, so trying every code finds nothing.
    budgets = kiosk_limits.rating_budgets(current_screen().id if via == "kiosk" else 0, hall.id, body.ticket)
    kiosk_limits.ensure_room(budgets, kiosk_limits.too_many_wrong_codes)
    try:
        ticket = ops.ticket_to_rate(hall, body.ticket, body.code)
    except Forbidden:
        kiosk_limits.count(budgets)
        raise
    rating = ops.rate(ticket, body.level, via)
    db.session.commit()
    return rating_json(rating)


@operation("/queue/halls/<code>/stats", method="GET", operation_id="getQueueStats", tag=TAG, query=StatsQuery,
           roles=(Role.administrator, Role.reviewer, Role.window_clerk),
           summary="Issued, served, no-shows, wait and service times (average, 90th percentile), ratings, "
                   "per day, service, window and clerk")
def get_queue_stats(code, query: StatsQuery):
    hall = ops.get_hall(code)
    ops.ensure_hall_role(current_user, hall, Role.administrator, Role.reviewer, Role.window_clerk)
    return queue_stats(hall, *stats_range(query.from_, query.to))


@operation("/queue/follow-ups/<int:follow_up_id>/close", method="POST", operation_id="closeFollowUp", tag=TAG,
           roles=(Role.administrator, Role.reviewer), body=FollowUpBody, errors=(409,),
           summary="Close a bad rating's follow-up with the action taken")
def close_follow_up(follow_up_id, body: FollowUpBody):
    follow_up = ops.close_follow_up(current_user, follow_up_id, body.action_taken)
    db.session.commit()
    return {"id": follow_up.id, "closed_at": follow_up.closed_at.isoformat()}
