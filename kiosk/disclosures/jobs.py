"""The scheduler job that starts and stops notices at their times."""
from kiosk.disclosures.operations import advance_due_notices
from kiosk.extensions import db
from kiosk.scheduling import job


@job("disclosures.advance", "interval", seconds=2)
def advance_notices() -> str | None:
    moved = advance_due_notices()
    if moved:
        db.session.commit()
        return f"{moved} notices started or stopped"
    return None
