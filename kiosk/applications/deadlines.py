"""The statutory clock of an application, in working days of the township's calendar.

- Art. 33: the answer is due 20 working days after the day of receipt (the day of receipt itself is
  not counted, as for every period in days); one extension of at most 20 working days.
- Art. 30: a correction (补正) is asked for once, within 7 working days of receipt; the period starts
  again from the day the corrected application arrives; while the applicant corrects, nothing is due.
- Art. 32/33: the time a third party takes for its opinion (at most 15 working days) is not counted;
  while a consultation is still open its longest end is assumed, so the due date shown is never early.

`due_date` is the one rule: every page, reminder and list reads the result it stores in `due_on`.
"""
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Protocol

from kiosk.applications.models import EventKind
from kiosk.workdays.calendar import add_working_days, working_days_between

ANSWER_DAYS = 20
MAX_EXTENSION_DAYS = 20
CORRECTION_REQUEST_DAYS = 7
CONSULTATION_DAYS = 15


class Step(Protocol):
    kind: EventKind
    day: date
    until: date | None
    days: int


def after(start: date, working_days: int) -> date:
    """The `working_days`-th working day after `start` (not counting `start`)."""
    return add_working_days(start + timedelta(days=1), working_days)


def consultation_end(started: date, until: date | None = None) -> date:
    """The last day a consultation can pause the clock: its end, or 15 working days after it began."""
    latest = after(started, CONSULTATION_DAYS)
    return min(until, latest) if until else latest


def due_date(received_on: date | None, steps: Iterable[Step]) -> date | None:
    """The day the answer is due, from the day of receipt and the steps so far; None while there is
    nothing due (not yet received, or waiting for the applicant's correction)."""
    if received_on is None:
        return None
    start, days, waiting = received_on, ANSWER_DAYS, False
    pauses: list[tuple[date, date]] = []
    consulting: date | None = None
    for step in sorted(steps, key=lambda s: s.day):
        if step.kind == EventKind.correction_requested:
            waiting = True
        elif step.kind == EventKind.corrected:
            start, waiting, pauses = step.day, False, []
        elif step.kind == EventKind.extended:
            days += step.days
        elif step.kind == EventKind.consultation_started:
            consulting = step.day
        elif step.kind == EventKind.consultation_ended and consulting is not None:
            pauses.append((consulting, consultation_end(consulting, step.day)))
            consulting = None
        elif step.kind == EventKind.lapsed:
            waiting = True
    if waiting:
        return None
    if consulting is not None:
        pauses.append((consulting, consultation_end(consulting)))
    paused = sum(working_days_between(first, last) for first, last in pauses)
    return after(start, days + paused)


def correction_request_last_day(received_on: date) -> date:
    """The last day a correction may be asked for (Art. 30: within 7 working days of receipt)."""
    return after(received_on, CORRECTION_REQUEST_DAYS)
