"""The one scheduler. Features register jobs with `job(...)`; `start(app)` runs them.

Embedded mode starts it inside `kiosk serve`; external mode only inside `kiosk scheduler`.
As a second guard, jobs run only while this scheduler holds the database lease, so even a
misconfigured second scheduler (two servers both set to embedded) never runs a job twice.
"""
from kiosk.scheduling.runner import job, registered_jobs, run_again_at, running_scheduler, start

__all__ = ["job", "registered_jobs", "run_again_at", "start", "running_scheduler"]
