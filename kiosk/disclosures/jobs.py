"""The scheduler jobs: starting and stopping notices at their times, and the privacy checks by OCR."""
from kiosk.disclosures.checks import run_pending_checks
from kiosk.disclosures.operations import advance_due_notices, next_notice_change
from kiosk.extensions import db
from kiosk.scheduling import job, run_again_at


@job("disclosures.advance", "interval", seconds=2)
def advance_notices() -> str | None:
    moved = advance_due_notices()
    if moved:
        db.session.commit()
    # Every 2 s catches up on anything (after a restart, an approval); the next start or end is
    # met at its instant.
    upcoming = next_notice_change()
    if upcoming is not None:
        run_again_at("disclosures.advance", upcoming)
    return f"{moved} notices started or stopped" if moved else None


@job("disclosures.checks", "interval", seconds=5)
def check_attachments() -> str | None:
    # One run at a time (APScheduler's default max_instances=1); OCR of a page takes seconds.
    checked = run_pending_checks(budget_seconds=60)
    return f"{checked} attachments checked" if checked else None
