"""The scheduler jobs: starting and stopping notices at their times, and the privacy checks by OCR."""
from kiosk.disclosures.checks import run_pending_checks
from kiosk.disclosures.operations import advance_due_notices
from kiosk.extensions import db
from kiosk.scheduling import job


@job("disclosures.advance", "interval", seconds=2)
def advance_notices() -> None:
    if advance_due_notices():
        db.session.commit()


@job("disclosures.checks", "interval", seconds=5)
def check_attachments() -> None:
    # One run at a time (APScheduler's default max_instances=1); OCR of a page takes seconds.
    run_pending_checks(budget_seconds=60)
