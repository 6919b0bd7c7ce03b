"""What other features give the slides: the notices showing for a unit, and a hall's queue.

The screens feature reads them only through these two functions.
"""
from kiosk.org.models import Unit


def showing_notices(unit: Unit) -> list[dict]:
    """The notices showing now for screens of `unit` (the disclosures feed)."""
    try:
        from kiosk.disclosures.feed import showing_notices as feed
    except ImportError:  # a deployment without the disclosures feature shows no notice slides
        return []
    return feed(unit)


def hall_queue(hall: Unit) -> dict:
    """Waiting counts per service and the last calls of a hall (the queue feature)."""
    from kiosk.queue.status import hall_status
    return hall_status(hall)
