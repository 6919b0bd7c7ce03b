"""The scheduler jobs: starting and stopping notices at their times, and the privacy checks by OCR."""
from kiosk.disclosures.checks import run_pending_checks
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


@job("disclosures.checks", "interval", seconds=5)
def check_attachments() -> str | None:
    # One run at a time (APScheduler's default max_instances=1); OCR of a page takes seconds.
    checked = run_pending_checks(budget_seconds=60)
    return f"{checked} attachments checked" if checked else None
