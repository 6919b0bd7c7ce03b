"""The scheduler job checking and converting uploaded videos, one at a time, in a contained process."""
from kiosk.scheduling import job
from kiosk.video.checks import run_pending_checks


@job("video.checks", "interval", seconds=5)
def check_videos() -> str | None:
    # One run at a time (APScheduler's default max_instances=1); a video takes seconds to minutes.
    checked = run_pending_checks(budget_seconds=60)
    return f"{checked} videos checked" if checked else None
