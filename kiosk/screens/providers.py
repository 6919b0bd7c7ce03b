"""What other features give the slides: the notices showing for a unit, and a hall's queue.

The screens feature reads them only through these two functions.
"""
from kiosk.disclosures.feed import showing_notices as disclosures_feed
from kiosk.org.models import Unit
from kiosk.queue.status import hall_status


def showing_notices(unit: Unit) -> list[dict]:
    """The notices showing now for screens of `unit` (the disclosures feed)."""
    return disclosures_feed(unit)


def hall_queue(hall: Unit) -> dict:
    """Waiting counts per service and the last calls of a hall (the queue feature)."""
    return hall_status(hall)
