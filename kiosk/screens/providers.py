"""What other features give the slides: the notices showing for a unit, their publicity
countdown, and a hall's queue. The screens feature reads them only through these functions.
"""
from datetime import datetime

from kiosk.disclosures.feed import showing_notices as disclosures_feed
from kiosk.disclosures.models import PeriodUnit
from kiosk.disclosures.periods import countdown
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


def hall_queue(hall: Unit) -> dict:
    """Waiting counts per service and the last calls of a hall (the queue feature)."""
    return hall_status(hall)
