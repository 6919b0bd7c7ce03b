"""The daily holiday job: copy a newer arrangement in, and warn while next year's is missing."""
import logging

from kiosk.extensions import db
from kiosk.scheduling import job
from kiosk.workdays.official import refresh
from kiosk.workdays.operations import year_without_holidays

log = logging.getLogger(__name__)


def warn_if_next_year_missing() -> int | None:
    year = year_without_holidays()
    if year is not None:
        log.warning("the holiday table has no holidays for %d yet: upgrade the chinesecalendar package and run "
                    "`kiosk holidays refresh`, or enter them on the holidays page", year)
    return year


@job("workdays.refresh", "interval", hours=24, run_at_start=True)
def refresh_holidays():
    result = refresh()
    db.session.commit()
    warn_if_next_year_missing()
    return str(result) if result else None
