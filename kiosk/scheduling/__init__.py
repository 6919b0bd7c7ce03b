"""The one scheduler. Features register jobs with `job(...)`; `start(app)` runs them.

Embedded mode starts it inside `kiosk serve`; external mode only inside `kiosk scheduler`.
As a second guard, jobs run only while this scheduler holds the database lease, so even a
misconfigured second scheduler (two servers both set to embedded) never runs a job twice.
"""
import time
from collections.abc import Callable

from kiosk.extensions import db
from kiosk.scheduling.runner import job, registered_jobs, run_again_at, running_scheduler, start

__all__ = ["drain", "job", "registered_jobs", "run_again_at", "start", "running_scheduler"]


def drain(claim: Callable, handle: Callable, budget_seconds: float | None = None) -> int:
    """Claim and handle waiting work one item at a time, committing each, until none is left (or the
    time budget is spent): the file checks' jobs and their `kiosk ... check` commands."""
    started, count = time.monotonic(), 0
    while budget_seconds is None or time.monotonic() - started < budget_seconds:
        item = claim()
        if item is None:
            break
        handle(item)
        db.session.commit()
        count += 1
    return count
