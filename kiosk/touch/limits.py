"""Limits for what the touch kiosk's visitors do, sized for people rather than for one device.

A visit is the time between two idle resets: the kiosk sends a new `X-Kiosk-Visit` id after each.
Messages and numbers are limited per visit, under a higher ceiling per kiosk, so one visitor cannot
use up what the next one needs. Wrong rating codes count against the ticket's number (a few tries,
then its rating waits for the window) and against the kiosk (no code found by trying thousands).
The counters live in the limiter's storage: Redis when KIOSK_REDIS_URL is set, so every server
process shares them. Settings: the KIOSK_TOUCH_* limits in kiosk/config.py (limits-library syntax).
"""
import math
import re
import time

from flask import current_app, request
from flask_babel import gettext as _
from limits import parse_many

from kiosk.core.errors import KioskError
from kiosk.extensions import limiter

_NAMESPACE = "touch"
_VISIT = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class KioskLimitReached(KioskError):
    status, code = 429, "rate_limited"


def visit_id() -> str:
    """The visit the kiosk says this request belongs to ("" when it sends none, as older pages do)."""
    value = request.headers.get("X-Kiosk-Visit", "")
    return value if _VISIT.match(value) else ""


def _budgets(setting: str, key: tuple[str, ...]):
    return [(rate, key) for rate in parse_many(current_app.config[setting])]


def _seconds_left(budgets) -> int | None:
    """Seconds until every spent budget has room again; None when none is spent."""
    waits = [limiter.limiter.get_window_stats(rate, _NAMESPACE, *key).reset_time
             for rate, key in budgets if not limiter.limiter.test(rate, _NAMESPACE, *key)]
    if not waits:
        return None
    return max(1, math.ceil(max(waits) - time.time()))   # the storage's windows run on the real clock


def ensure_room(budgets, message) -> None:
    """Refuse (429, the message shown on the kiosk, Retry-After) when any of the budgets is spent."""
    seconds = _seconds_left(budgets)
    if seconds is not None:
        minutes = max(1, math.ceil(seconds / 60))
        raise KioskLimitReached(message(minutes), headers={"Retry-After": str(seconds)})


def count(budgets) -> None:
    for rate, key in budgets:
        limiter.limiter.hit(rate, _NAMESPACE, *key)


def message_budgets(screen_id: int):
    return (_budgets("KIOSK_TOUCH_MESSAGE_VISIT_LIMIT", ("message-visit", str(screen_id), visit_id() or "-"))
            + _budgets("KIOSK_TOUCH_MESSAGE_LIMIT", ("message-kiosk", str(screen_id))))


def ticket_budgets(screen_id: int):
    return (_budgets("KIOSK_TOUCH_TICKET_VISIT_LIMIT", ("ticket-visit", str(screen_id), visit_id() or "-"))
            + _budgets("KIOSK_TOUCH_TICKET_LIMIT", ("ticket-kiosk", str(screen_id))))


def rating_budgets(screen_id: int, hall_id: int, ticket_code: str):
    return (_budgets("KIOSK_TOUCH_RATING_TICKET_LIMIT", ("rating-ticket", str(hall_id), ticket_code.strip().upper()))
            + _budgets("KIOSK_TOUCH_RATING_LIMIT", ("rating-kiosk", str(screen_id))))


def survey_budgets(screen_id: int):
    """Survey answers at one kiosk (one per visit is the survey's own rule): a ceiling against a flood."""
    return _budgets("KIOSK_TOUCH_SURVEY_LIMIT", ("survey-kiosk", str(screen_id)))


def too_many_answers(minutes: int) -> str:
    return _("This kiosk has taken many answers just now. Please try again in %(minutes)s minutes, "
             "or answer on your phone with the QR code.", minutes=minutes)


def too_many_messages(minutes: int) -> str:
    return _("This kiosk has taken many messages just now. Please try again in %(minutes)s minutes, "
             "or tell the staff at a window.", minutes=minutes)


def too_many_tickets(minutes: int) -> str:
    return _("Many numbers were taken here just now. Please try again in %(minutes)s minutes, "
             "or ask the staff at a window.", minutes=minutes)


def too_many_wrong_codes(minutes: int) -> str:
    return _("Too many wrong rating codes. This number can be rated again in %(minutes)s minutes, "
             "or at the window.", minutes=minutes)
