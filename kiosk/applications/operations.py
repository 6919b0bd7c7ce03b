"""The rules of applications for information: filing (window, oral, mail, the phone page), the
statutory clock's steps, the decision, who may see the applicant's personal data, and erasure.

Who: an application belongs to a township. Its staff (and the hall's window clerks) file at the
window; the handler (the filer, or whoever the reviewer or administrator assigns), the township's
reviewers and the administrators above it handle it and see the applicant's personal data, every
view of which is audited. Only a reviewer approves an extension (Art. 33: the head's approval).
"""
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from kiosk.accounts.models import Role, User
from kiosk.accounts.permissions import can_act_on
from kiosk.applications import deadlines, fees
from kiosk.applications.models import (Application, ApplicationCounter, ApplicationEvent, Channel, EventKind,
                                       Status)
from kiosk.applications.outcomes import APPLICANT_KINDS, OUTCOMES
from kiosk.audit.operations import record_change
from kiosk.core import clock
from kiosk.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from kiosk.core.locking import claim_next
from kiosk.extensions import db
from kiosk.org.models import Unit, UnitKind
from kiosk.workdays.calendar import working_days_between

FILING_ROLES = (Role.administrator, Role.reviewer, Role.editor, Role.window_clerk)
OVERSIGHT_ROLES = (Role.administrator, Role.reviewer)   # see every application of their units
HANDLING_ROLES = FILING_ROLES
FORMS = {"paper": _l("On paper"), "electronic": _l("Electronic file"), "inspection": _l("To read on site")}
DELIVERIES = {"pickup": _l("Collected at the hall"), "mail": _l("By post"), "email": _l("By e-mail"),
              "phone_page": _l("On the status page")}
CHANNELS = {Channel.in_person: _l("In person, in writing"), Channel.oral: _l("In person, orally (Art. 29)"),
            Channel.registered_mail: _l("Registered mail"), Channel.ordinary_mail: _l("Ordinary mail"),
            Channel.online: _l("Online (phone page)")}
STATUSES = {Status.submitted: _l("Waiting for confirmation of receipt"), Status.open: _l("Being handled"),
            Status.correcting: _l("Waiting for the applicant's correction"),
            Status.consulting: _l("Third party consulted"), Status.closed: _l("Answered"),
            Status.dismissed: _l("Dismissed: not an application")}
# Why an online submission is dismissed before its receipt is confirmed. Unconfirmed, it was never
# received (Art. 31 (四)), so it is not an application and table 三 does not count it. A petition or a
# repeat request for information already given, once received, is answered with table 三's 不予处理 instead.
DISMISSALS = {"duplicate": _l("Sent twice (the same submission again)"),
              "empty": _l("No real content, or a test"),
              "not_a_request": _l("Not a request for government information (advertising, unrelated text)")}
FEE_RULES = {"off": _l("No fee (the normal case)"),
             "by_count": _l("By count: per applicant and month, from the 11th application (国办函〔2020〕109号)"),
             "by_pages": _l("By pages: per application, from the 31st page (国办函〔2020〕109号)")}
REMINDER_WORKING_DAYS = 3
# The guide to applying, on the phone form and at the kiosk.
APPLY_GUIDE = (
    _l("Say who you are and how to reach you, and describe the information you want (its title or document "
       "number helps)."),
    _l("You get a number and a link at once. Staff confirm the receipt; the answer is due within 20 working days "
       "of it (条例 Art. 33)."),
    _l("If something is unclear, staff ask once for a correction; the 20 working days start again when it arrives "
       "(Art. 30)."),
    _l("It is normally free. You can also apply at the service hall, in writing or orally."),
)
LIMITS = {"applicant_name": 80, "id_proof": 80, "phone": 40, "address": 200, "description": 2000,
          "document_number": 80}
# What never appears in the audit log: the applicant's personal data.
PERSONAL = ("applicant_name", "id_proof", "phone", "address", "description")
_PHONE = re.compile(r"^[0-9+\- ]{7,20}$")


# -- who may do what --------------------------------------------------------------------------------

def township_of(unit: Unit) -> Unit | None:
    return unit.township


def may_file(user: User, township: Unit) -> bool:
    """Staff of the township (or of its hall) with a filing role, or an administrator above it."""
    if not user.has_role(*FILING_ROLES):
        return False
    if user.unit.kind == UnitKind.village:
        return False
    return can_act_on(user, township) or user.unit.township is not None and user.unit.township.id == township.id


def oversees(user: User, application: Application) -> bool:
    return user.has_role(*OVERSIGHT_ROLES) and can_act_on(user, application.unit)


def may_handle(user: User, application: Application) -> bool:
    """The handler, and the reviewers and administrators of its township: they see the personal data."""
    return application.handler_id == user.id or oversees(user, application)


def ensure_may_handle(user: User, application: Application) -> None:
    if not may_handle(user, application):
        raise Forbidden(_("Only the application's handler, its township's reviewer and the administrator may "
                          "open it."))


def get_application(user: User, application_id: int) -> Application:
    """An application the user may handle (404 for another township's, as if it did not exist)."""
    application = db.session.get(Application, application_id)
    if application is None or not (may_handle(user, application) or may_file(user, application.unit)):
        raise NotFound(_("There is no such application."))
    ensure_may_handle_or_file(user, application)
    return application


def by_token(token: str) -> Application:
    application = db.session.scalar(select(Application).where(Application.token == token)) if token else None
    if application is None:
        raise NotFound(_("There is no application with this link."))
    return application


def get_township(code: str) -> Unit:
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    if unit is None or unit.kind != UnitKind.township:
        raise NotFound(_("There is no such township."))
    return unit


# -- filing -----------------------------------------------------------------------------------------

def _text(fields: dict, name: str) -> str:
    value = str(fields.get(name) or "").strip()
    if len(value) > LIMITS.get(name, 2000):
        raise InvalidInput(_("This text is too long (at most %(count)s characters).", count=LIMITS[name]),
                           details={"field": name})
    return value


def _checked(fields: dict) -> dict:
    """The content Art. 29 requires, each missing or wrong item named in Chinese with its field."""
    values = {name: _text(fields, name) for name in LIMITS}
    kind = str(fields.get("applicant_kind") or "natural_person")
    if kind not in APPLICANT_KINDS:
        raise InvalidInput(_("Choose who is applying."), details={"field": "applicant_kind"})
    if not values["applicant_name"]:
        raise InvalidInput(_("Please give the applicant's name (Art. 29)."), details={"field": "applicant_name"})
    if not values["id_proof"]:
        raise InvalidInput(_("Please record the applicant's proof of identity (Art. 29): the kind of document and "
                             "its number, or the organisation's credit code."), details={"field": "id_proof"})
    if not values["phone"] and not values["address"]:
        raise InvalidInput(_("Please give a phone number or an address to reach the applicant (Art. 29)."),
                           details={"field": "phone"})
    if values["phone"] and not _PHONE.match(values["phone"]):
        raise InvalidInput(_("A phone number is 7 to 20 digits."), details={"field": "phone"})
    if not values["description"] and not values["document_number"]:
        raise InvalidInput(_("Please describe the information wanted, or give its document number (Art. 29)."),
                           details={"field": "description"})
    form, delivery = str(fields.get("form_wanted") or "paper"), str(fields.get("delivery") or "pickup")
    if form not in FORMS:
        raise InvalidInput(_("Choose the form the information is wanted in."), details={"field": "form_wanted"})
    if delivery not in DELIVERIES:
        raise InvalidInput(_("Choose how the answer is to be received."), details={"field": "delivery"})
    if delivery == "mail" and not values["address"]:
        raise InvalidInput(_("An answer by post needs the applicant's address."), details={"field": "address"})
    return {**values, "applicant_kind": kind, "form_wanted": form, "delivery": delivery}


def _public_snapshot(application: Application) -> dict:
    """What the audit log keeps of an application: everything but the applicant's personal data."""
    return {"title": application.reference, "application_status": application.status.value,
            "channel": application.channel.value, "applicant_kind": application.applicant_kind,
            "received_on": _iso(application.received_on), "due_on": _iso(application.due_on),
            "handler_id": application.handler_id, "outcome": application.outcome,
            "decided_on": _iso(application.decided_on)}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _event(application: Application, kind: EventKind, on: date, user: User | None = None, **values) -> None:
    application.events.append(ApplicationEvent(kind=kind, day=on, at=clock.now(), by_id=user.id if user else None,
                                               **values))
    application.due_on = deadlines.due_date(application.received_on, application.events)


def _audit(action: str, application: Application, before: dict | None = None, reason: str = "") -> None:
    db.session.flush()
    record_change(action, application, before=before, after=_public_snapshot(application), reason=reason)


def file_application(user: User, township: Unit, fields: dict, channel: Channel,
                     received_on: date | None = None) -> Application:
    """Staff record an application: at the window (in writing or orally) or arrived by mail. Art. 31: in
    person the day of receipt is today; for mail the clerk gives it (the day signed for, or confirmed)."""
    _ensure_township(township)
    if not may_file(user, township):
        raise Forbidden(_("Your account may not record applications of %(unit)s.", unit=township.name))
    if channel == Channel.online:
        raise InvalidInput(_("Online applications come through the public phone page."), details={"field": "channel"})
    values = _checked(fields)
    today = clock.local_today()
    if channel not in (Channel.in_person, Channel.oral):
        today = _receipt_day(received_on or today, today - timedelta(days=60), today)
    return _register(township, values, channel, today, user)


def submit_online(township: Unit, fields: dict) -> Application:
    """An application from the phone page (or started at the kiosk): numbered at once, counted from the day
    staff confirm its receipt (Art. 31 (四))."""
    _ensure_township(township)
    return _register(township, _checked(fields), Channel.online, None, None)


def _ensure_township(township: Unit) -> None:
    if township.kind != UnitKind.township:
        raise InvalidInput(_("Applications are made to a township."), details={"field": "township"})


def _register(township: Unit, values: dict, channel: Channel, received_on: date | None,
              user: User | None) -> Application:
    filed_at = clock.now()
    year = clock.to_local(filed_at).year
    number = claim_next(ApplicationCounter, ApplicationCounter.last, unit_id=township.id, year=year)
    application = Application(unit_id=township.id, unit=township, year=year, number=number,
                              token=secrets.token_urlsafe(18), channel=channel, filed_at=filed_at,
                              filed_by_id=user.id if user else None, handler_id=user.id if user else None,
                              received_on=received_on, status=Status.submitted if received_on is None else Status.open,
                              **values)
    db.session.add(application)
    if received_on is not None:
        _event(application, EventKind.received, received_on, user)
    _audit("applications.filed", application)
    return application


def _receipt_day(day: date, earliest: date, today: date) -> date:
    if not isinstance(day, date):
        raise InvalidInput(_("Give the day of receipt as a date."), details={"field": "received_on"})
    if day > today:
        raise InvalidInput(_("The day of receipt cannot be in the future."), details={"field": "received_on"})
    if day < earliest:
        raise InvalidInput(_("The day of receipt cannot be before %(day)s.", day=earliest.isoformat()),
                           details={"field": "received_on"})
    return day


def confirm_receipt(user: User, application: Application, on: date | None = None) -> Application:
    """Art. 31 (四): an online application counts from the day staff confirm its receipt."""
    ensure_may_handle_or_file(user, application)
    if application.status != Status.submitted:
        raise Conflict(_("The receipt of this application is already confirmed."), code="already_received")
    today = clock.local_today()
    before = _public_snapshot(application)
    application.received_on = _receipt_day(on or today, clock.to_local(application.filed_at).date(), today)
    application.status = Status.open
    if application.handler_id is None:
        application.handler_id = user.id
    _event(application, EventKind.received, application.received_on, user)
    _audit("applications.received", application, before)
    return application


def dismiss(user: User, application: Application, reason: str) -> Application:
    """The handler or an overseer dismisses an online submission whose receipt nobody confirmed (spam,
    a test, the same form sent twice): it leaves the waiting list, its personal data is erased at once,
    and it is never counted."""
    ensure_may_handle(user, application)
    if reason not in DISMISSALS:
        raise InvalidInput(_("Choose why this submission is dismissed."), details={"field": "dismissal"})
    if application.status != Status.submitted:
        raise Conflict(_("Only an online submission whose receipt is not confirmed can be dismissed; this one is "
                         "%(status)s.", status=STATUSES[application.status]), code="wrong_status")
    before = _public_snapshot(application)
    application.status, application.dismissal = Status.dismissed, reason
    application.closed_at, application.decided_by_id = clock.now(), user.id
    _erase(application, application.closed_at)
    _audit("applications.dismissed", application, before, reason=str(DISMISSALS[reason]))
    return application


def ensure_may_handle_or_file(user: User, application: Application) -> None:
    """An online application without a handler yet: any of the township's filing staff may open it (without
    the applicant's personal data) and take it by confirming its receipt, becoming its handler."""
    if application.handler_id is None and may_file(user, application.unit):
        return
    ensure_may_handle(user, application)


def assign_handler(user: User, application: Application, handler: User) -> Application:
    if not oversees(user, application):
        raise Forbidden(_("Only a reviewer or an administrator assigns an application's handler."))
    if not handler.active or not may_file(handler, application.unit):
        raise InvalidInput(_("Choose a member of the township's staff."), details={"field": "handler"})
    before = _public_snapshot(application)
    application.handler_id = handler.id
    _audit("applications.assigned", application, before)
    return application


def handlers_for(application: Application) -> list[User]:
    users = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.username))
    return [user for user in users if may_file(user, application.unit)]


# -- the clock's steps ----------------------------------------------------------------------------

def _ensure_running(application: Application, *statuses: Status) -> None:
    if application.status not in statuses:
        raise Conflict(_("This cannot be done now: the application is %(status)s.",
                         status=STATUSES[application.status]), code="wrong_status")


def request_correction(user: User, application: Application, what: str, until: date) -> Application:
    """Art. 30: one combined request to correct, within 7 working days of receipt; the clock stops
    until the corrected application arrives, and the application lapses if it does not by `until`."""
    ensure_may_handle(user, application)
    _ensure_running(application, Status.open)
    if any(e.kind == EventKind.correction_requested for e in application.events):
        raise Conflict(_("A correction may be asked for only once (Art. 30)."), code="correction_once")
    today = clock.local_today()
    last = deadlines.correction_request_last_day(application.received_on)
    if today > last:
        raise Conflict(_("A correction had to be asked for within 7 working days of receipt, by %(day)s (Art. 30).",
                         day=last.isoformat()), code="correction_too_late")
    what = (what or "").strip()
    if len(what) < 4:
        raise InvalidInput(_("Write down everything the applicant must correct, in one request."),
                           details={"field": "what"})
    if not isinstance(until, date) or until <= today:
        raise InvalidInput(_("Give the applicant a period that ends after today."), details={"field": "until"})
    before = _public_snapshot(application)
    application.status, application.correction_due_on = Status.correcting, until
    _event(application, EventKind.correction_requested, today, user, until=until, text=what[:2000])
    _audit("applications.correction_requested", application, before)
    return application


def record_correction(user: User, application: Application, on: date | None = None) -> Application:
    """The corrected application arrived on `on`: the 20 working days start again from that day."""
    ensure_may_handle(user, application)
    _ensure_running(application, Status.correcting)
    today = clock.local_today()
    on = on or today
    requested = next(e for e in application.events if e.kind == EventKind.correction_requested)
    if not isinstance(on, date) or on > today or on < requested.day:
        raise InvalidInput(_("The correction arrives between the request (%(first)s) and today.",
                             first=requested.day.isoformat()), details={"field": "on"})
    if on > application.correction_due_on:
        raise Conflict(_("The period for the correction ended on %(day)s: the application has lapsed.",
                         day=application.correction_due_on.isoformat()), code="correction_lapsed")
    before = _public_snapshot(application)
    application.status = Status.open
    _event(application, EventKind.corrected, on, user)
    _audit("applications.corrected", application, before)
    return application


def lapse_uncorrected(now: datetime | None = None) -> int:
    """Close every application whose correction did not arrive within its period (Art. 30: treated as
    withdrawn), as 其他处理 · 逾期不补正, decided the day after the period ended. The daily job."""
    today = clock.to_local(now or clock.now()).date()
    lapsed = list(db.session.scalars(select(Application).where(
        Application.status == Status.correcting, Application.correction_due_on < today)))
    for application in lapsed:
        before = _public_snapshot(application)
        day = application.correction_due_on + timedelta(days=1)
        _event(application, EventKind.lapsed, day)
        _close(application, "other.correction_lapsed", day, None,
               reason=str(_("The applicant did not send the correction asked for by %(day)s without good reason; "
                            "the application is treated as withdrawn (Art. 30).",
                            day=application.correction_due_on.isoformat())))
        _audit("applications.lapsed", application, before)
    return len(lapsed)


def start_consultation(user: User, application: Application, whom: str) -> Application:
    """Art. 32: a third party is asked for its opinion (15 working days); the time is not counted."""
    ensure_may_handle(user, application)
    _ensure_running(application, Status.open)
    whom = (whom or "").strip()
    if len(whom) < 2:
        raise InvalidInput(_("Say who is consulted and about what."), details={"field": "whom"})
    before = _public_snapshot(application)
    today = clock.local_today()
    application.status = Status.consulting
    _event(application, EventKind.consultation_started, today, user, until=deadlines.consultation_end(today),
           text=whom[:2000])
    _audit("applications.consultation_started", application, before)
    return application


def end_consultation(user: User, application: Application, note: str = "") -> Application:
    ensure_may_handle(user, application)
    _ensure_running(application, Status.consulting)
    before = _public_snapshot(application)
    application.status = Status.open
    _event(application, EventKind.consultation_ended, clock.local_today(), user, text=(note or "").strip()[:2000])
    _audit("applications.consultation_ended", application, before)
    return application


def extend(user: User, application: Application, days: int, notice: str) -> Application:
    """Art. 33: one extension of at most 20 working days, approved by the reviewer before the due date,
    with the notice to the applicant recorded."""
    if not (user.has_role(Role.reviewer) and can_act_on(user, application.unit)):
        raise Forbidden(_("Only the township's reviewer approves an extension (Art. 33)."))
    _ensure_running(application, Status.open, Status.consulting)
    if any(e.kind == EventKind.extended for e in application.events):
        raise Conflict(_("The period may be extended only once (Art. 33)."), code="extension_once")
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= deadlines.MAX_EXTENSION_DAYS:
        raise InvalidInput(_("An extension is 1 to 20 working days."), details={"field": "days"})
    today = clock.local_today()
    if application.due_on is not None and today > application.due_on:
        raise Conflict(_("The period ended on %(day)s: it can no longer be extended.",
                         day=application.due_on.isoformat()), code="extension_too_late")
    notice = (notice or "").strip()
    if len(notice) < 4:
        raise InvalidInput(_("Record the notice of the extension sent to the applicant (how and when)."),
                           details={"field": "notice"})
    before = _public_snapshot(application)
    _event(application, EventKind.extended, today, user, days=days, text=notice[:2000])
    _audit("applications.extended", application, before)
    return application


# -- the decision ------------------------------------------------------------------------------------

@dataclass
class Decision:
    outcome: str
    reason: str = ""
    provided: str = ""
    late_reason: str = ""
    pages: int = 0


def fee_of(application: Application, pages: int) -> int:
    """The fee under the township's setting (fees.py): by pages of this application, or by how many
    applications the same applicant made to the township this calendar month."""
    method = fees.charging_method(application.unit_id)
    if method == "by_pages":
        return fees.fee_by_pages(pages)
    if method == "by_count":
        day = application.received_on
        first = day.replace(day=1)
        same_month = db.session.scalars(select(Application).where(
            Application.unit_id == application.unit_id, Application.received_on >= first,
            Application.received_on <= day, Application.id <= application.id))
        name = application.applicant_name
        return fees.fee_by_count(sum(1 for other in same_month if other.applicant_name == name))
    return 0


def decide(user: User, application: Application, decision: Decision) -> Application:
    """Answer the application with one of the report's results. An outcome that needs a reason is refused
    without one; an answer after the due date needs the lateness explained (it is late all the same: the
    register and the overdue list keep the due date)."""
    ensure_may_handle(user, application)
    _ensure_running(application, Status.open, Status.consulting)
    outcome = OUTCOMES.get(decision.outcome)
    if outcome is None:
        raise InvalidInput(_("Choose the result from the list."), details={"field": "outcome"})
    reason, provided, late = ((text or "").strip() for text in (decision.reason, decision.provided,
                                                                decision.late_reason))
    if outcome.needs_reason and len(reason) < 4:
        raise InvalidInput(_("“%(outcome)s” needs its legal reason: write it in the reason field; the reply "
                             "letter states it.", outcome=outcome.label), details={"field": "reason"})
    if outcome.group in ("disclosed", "partly") and len(provided) < 2:
        raise InvalidInput(_("Say what is provided to the applicant, and how."), details={"field": "provided"})
    today = clock.local_today()
    due = application.due_on
    if application.status == Status.consulting:   # the consultation ends today: its real length counts
        due = deadlines.due_date(application.received_on, [*application.events, ApplicationEvent(
            kind=EventKind.consultation_ended, day=today)])
    if due is not None and today > due and len(late) < 4:
        raise InvalidInput(_("The answer was due on %(day)s: this reply is late. Write down why, in the lateness "
                             "field, before it is sent.", day=due.isoformat()),
                           details={"field": "late_reason"})
    if not isinstance(decision.pages, int) or decision.pages < 0 or decision.pages > 100000:
        raise InvalidInput(_("Give the number of pages provided."), details={"field": "pages"})
    before = _public_snapshot(application)
    if application.status == Status.consulting:
        _event(application, EventKind.consultation_ended, today, user)
    _event(application, EventKind.decided, today, user, text=outcome.code)
    application.pages = decision.pages
    application.fee_yuan = fee_of(application, decision.pages)
    _close(application, outcome.code, today, user, reason=reason[:4000], provided=provided[:4000],
           late_reason=late[:2000])
    _audit("applications.decided", application, before)
    return application


def _close(application: Application, outcome: str, day: date, user: User | None, **texts) -> None:
    application.outcome, application.decided_on = outcome, day
    application.decided_by_id = user.id if user else None
    application.status, application.closed_at = Status.closed, clock.now()
    for name, value in texts.items():
        setattr(application, name, value)


def set_fee_method(user: User, township: Unit, method: str) -> None:
    """Whether and how the township charges 信息处理费 (fees.py): its reviewer or administrator decides."""
    if not (user.has_role(*OVERSIGHT_ROLES) and can_act_on(user, township)):
        raise Forbidden(_("Only the township's reviewer or an administrator sets the fee rule."))
    if method not in fees.METHODS:
        raise InvalidInput(_("Choose one of the fee rules."), details={"field": "method"})
    before = fees.charging_method(township.id)
    fees.set_charging_method(township.id, method)
    record_change("applications.fees_set", township, before={"fees": before}, after={"fees": method})


# -- personal data -----------------------------------------------------------------------------------

def personal_data(user: User, application: Application, purpose: str = "page") -> dict:
    """The applicant's name and contacts, for the handler, the reviewer and the administrator; each
    reading is written to the audit log (who, when, which application, for what)."""
    ensure_may_handle(user, application)
    record_change("applications.personal_data_viewed", application, after={"title": application.reference,
                                                                          "purpose": purpose})
    return {name: getattr(application, name) for name in PERSONAL}


def erase_expired(now: datetime | None = None) -> int:
    """Empty the personal data of applications closed longer ago than KIOSK_APPLICATION_RETENTION_DAYS.
    The row stays (its number, kind, dates and outcome), so the register and table 三 keep counting it."""
    now = now or clock.now()
    cutoff = now - timedelta(days=current_app.config["KIOSK_APPLICATION_RETENTION_DAYS"])
    expired = list(db.session.scalars(select(Application).where(
        Application.status == Status.closed, Application.closed_at < cutoff, Application.erased_at.is_(None))))
    for application in expired:
        _erase(application, now)
        _audit("applications.erased", application)
    return len(expired)


def _erase(application: Application, now: datetime) -> None:
    """The applicant's personal data emptied; the row and its numbers stay."""
    for name in PERSONAL:
        setattr(application, name, "")
    application.erased_at = now


# -- the kiosk's entry ------------------------------------------------------------------------------

def kiosk_entry(township: Unit) -> dict:
    """What the touch kiosk shows about applying: the guide and the QR of the township's phone form."""
    return {"qr": f"/qr/apply/{township.code}.svg", "guide": [str(line) for line in APPLY_GUIDE]}


def kiosk_words() -> dict:
    return {"apply": _("Apply for government information"), "apply_scan": _("Scan to apply on your phone")}


# -- lists ---------------------------------------------------------------------------------------------

def register_for(user: User, year: int | None = None, status: str = "") -> list[Application]:
    """The applications the user handles, or, for reviewers and administrators, all of their units."""
    query = select(Application).join(Unit, Application.unit_id == Unit.id).order_by(
        Application.year.desc(), Application.number.desc())
    if user.has_role(*OVERSIGHT_ROLES):
        query = query.where(or_(Unit.path.startswith(user.unit.path), Application.handler_id == user.id))
    else:
        township = user.unit.township
        query = query.where(or_(Application.handler_id == user.id,
                                Application.handler_id.is_(None) & (Application.unit_id == (township.id if township
                                                                                           else -1))))
    if year:
        query = query.where(Application.year == year)
    if status == "open":
        query = query.where(Application.status.not_in((Status.closed, Status.dismissed)))
    elif status in Status.__members__:
        query = query.where(Application.status == Status(status))
    return [a for a in db.session.scalars(query.limit(1000)) if may_handle(user, a) or may_file(user, a.unit)]


@dataclass
class Urgency:
    application: Application
    working_days_left: int    # negative when overdue: working days past the due date
    overdue: bool


def urgency(application: Application, today: date) -> Urgency | None:
    """How near the due date is, for an application whose clock runs (None otherwise)."""
    if application.status not in (Status.open, Status.consulting) or application.due_on is None:
        return None
    if today > application.due_on:
        return Urgency(application, -working_days_between(application.due_on, today), True)
    return Urgency(application, working_days_between(today, application.due_on), False)


def due_soon_or_overdue(now: datetime, units: list[Unit] | None = None) -> list[Urgency]:
    """Applications overdue or due within REMINDER_WORKING_DAYS working days, most urgent first."""
    today = clock.to_local(now).date()
    query = select(Application).where(Application.status.in_((Status.open, Status.consulting)),
                                      Application.due_on.is_not(None))
    if units is not None:
        query = query.join(Unit, Application.unit_id == Unit.id).where(
            or_(*(Unit.path.startswith(unit.path) for unit in units)) if units else Unit.id == -1)
    found = [urgency(application, today) for application in db.session.scalars(query)]
    return sorted((u for u in found if u and (u.overdue or u.working_days_left <= REMINDER_WORKING_DAYS)),
                  key=lambda u: (u.application.due_on, u.application.id))


def overdue_list(user: User) -> list[Urgency]:
    """For reviewers (their township) and administrators (the county's: every township below)."""
    if not user.has_role(*OVERSIGHT_ROLES):
        raise Forbidden(_("The overdue list is for reviewers and administrators."))
    return due_soon_or_overdue(clock.now(), [user.unit])
