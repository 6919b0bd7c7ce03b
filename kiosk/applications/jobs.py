"""The applications' daily work in the one scheduler: lapse what was not corrected in time, erase
personal data past its retention. Looked at hourly, so a server down at midnight catches up."""
from kiosk.applications.operations import erase_expired, lapse_uncorrected
from kiosk.extensions import db
from kiosk.scheduling import job


@job("applications.daily", "interval", hours=1, run_at_start=True)
def daily() -> str:
    lapsed, erased = lapse_uncorrected(), erase_expired()
    db.session.commit()
    return f"{lapsed} applications lapsed, {erased} erased" if lapsed or erased else ""
