"""What other features give the slides: the notices showing for a unit, their publicity
countdown, and a hall's queue. The screens feature reads them only through these functions.
"""
from datetime import datetime

from sqlalchemy import select

from kiosk.disclosures.categories import all_categories
from kiosk.disclosures.feed import showing_notices as disclosures_feed
from kiosk.disclosures.models import LIVE_STATES, Notice, NoticeState, PeriodUnit
from kiosk.disclosures.periods import countdown
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.queue.status import hall_status


def showing_notices(unit: Unit) -> list[dict]:
    """The notices showing now for screens of `unit` (the disclosures feed)."""
    return disclosures_feed(unit)


def publicity_countdown(notice: dict, since: datetime) -> list[dict]:
    """When a feed notice's days left change, from `since`'s local day (`periods.countdown`)."""
    end = notice.get("publicity_end")
    if end is None:
        return []
    unit = PeriodUnit(notice["period_unit"]) if notice.get("period_unit") else None
    return countdown(datetime.fromisoformat(end), unit, since)


def comment_countdown(notice: dict, since: datetime) -> list[dict]:
    """A draft for comment's days left to comment, from `since`'s local day (`periods.countdown` of
    its comment period's end, in calendar days)."""
    end = notice.get("comment_until")
    if end is None:
        return []
    return countdown(datetime.fromisoformat(end), PeriodUnit.calendar_days, since)


def notice_categories() -> dict[str, str]:
    """Category code → name, for the rotation editor's picker and to refuse unknown codes."""
    return {category.code: category.name for category in all_categories()}


def notices_to_pick(unit: Unit) -> dict[int, str]:
    """Notice id → title of the notices a rotation of `unit`'s township may name (not ended ones)."""
    scope = unit.township or unit
    rows = db.session.execute(select(Notice.id, Notice.title).join(Notice.unit).where(
        Unit.path.startswith(scope.path), Notice.state.in_((*LIVE_STATES, NoticeState.draft, NoticeState.submitted)))
        .order_by(Notice.id.desc()).limit(500))
    return dict(rows.all())


def hall_queue(hall: Unit) -> dict:
    """Waiting counts per service and the last calls of a hall (the queue feature)."""
    return hall_status(hall)
