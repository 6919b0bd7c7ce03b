import functools
import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from apscheduler.events import EVENT_JOB_MISSED
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import select, update

from kiosk.core import clock
from kiosk.extensions import db
from kiosk.metrics.registry import job_finished
from kiosk.scheduling.models import SchedulerLease

log = logging.getLogger(__name__)

LEASE_SECONDS = 30
RENEW_SECONDS = 10


@dataclass(frozen=True)
class RegisteredJob:
    id: str
    func: object
    trigger: str
    trigger_args: dict
    run_at_start: bool = False


_JOBS: dict[str, RegisteredJob] = {}
_running = None
_holding = False
_holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def job(job_id: str, trigger: str, run_at_start: bool = False, **trigger_args):
    """Register a function as a scheduled job (it runs inside an app context). A job returns what it
    changed ("3 notices started"), or something falsy when there was nothing to do: only changes and
    failures reach the INFO log, so a routine run every few seconds stays out of it. `run_at_start`
    also runs it once as the scheduler starts (for jobs whose interval is long)."""
    def decorate(func):
        _JOBS[job_id] = RegisteredJob(job_id, func, trigger, trigger_args, run_at_start)
        return func
    return decorate


def registered_jobs() -> dict[str, RegisteredJob]:
    return dict(_JOBS)


def running_scheduler():
    return _running


def run_again_at(job_id: str, moment: datetime) -> None:
    """Run a job at `moment` (the app's clock) if that is sooner than its interval would: a notice
    starts or stops at its instant, not up to an interval later. Outside the scheduler, nothing."""
    scheduler = _running
    scheduled = scheduler.get_job(job_id) if scheduler is not None else None
    if scheduled is None or scheduled.next_run_time is None:
        return
    wall = _wall_now() + (moment - clock.now())
    if wall < scheduled.next_run_time:
        scheduled.modify(next_run_time=max(wall, _wall_now()))


def _wall_now() -> datetime:
    # The lease is about real elapsed time between processes, not the test clock.
    return datetime.now(timezone.utc)


def take_lease() -> bool:
    """Take or renew the lease; True while this process holds it."""
    now = _wall_now()
    expires = now + timedelta(seconds=LEASE_SECONDS)
    lease = db.session.scalar(select(SchedulerLease).where(SchedulerLease.id == 1))
    if lease is None:
        db.session.add(SchedulerLease(id=1, holder=_holder, expires_at=expires))
        try:
            db.session.commit()
            return True
        except Exception:
            db.session.rollback()
            return False
    # A single conditional UPDATE, so two schedulers racing for an expired lease cannot both win.
    result = db.session.execute(
        update(SchedulerLease)
        .where(SchedulerLease.id == 1)
        .where((SchedulerLease.holder == _holder) | (SchedulerLease.expires_at < now))
        .values(holder=_holder, expires_at=expires))
    db.session.commit()
    return result.rowcount == 1


def keep_lease() -> str | None:
    """The lease job; it has something to say only when this scheduler takes the lease or loses it."""
    global _holding
    was_holding, _holding = _holding, take_lease()
    if _holding != was_holding:
        return f"{'took' if _holding else 'lost'} the lease ({_holder})"
    return None


def _in_context(app, func, job_id: str, needs_lease=True):
    @functools.wraps(func)
    def run():
        with app.app_context():
            try:
                if needs_lease and not take_lease():
                    log.debug("skipping %s: another scheduler holds the lease", func.__name__)
                    return
                changed = func()
                job_finished(job_id, "run")
                if changed:
                    log.info("%s: %s", func.__name__, changed)
                else:
                    log.debug("%s: nothing to do", func.__name__)
            except Exception:
                db.session.rollback()
                job_finished(job_id, "failed")
                log.exception("scheduled job %s failed", func.__name__)
            finally:
                db.session.remove()
    return run


def start(app, blocking: bool = False):
    """Start the scheduler with every registered job. Blocking for `kiosk scheduler`."""
    global _running
    # APScheduler reports every run at INFO ("Running job", "executed successfully"); ours say what changed.
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)
    logging.getLogger("apscheduler.scheduler").setLevel(logging.WARNING)
    scheduler = (BlockingScheduler if blocking else BackgroundScheduler)(timezone=timezone.utc)
    scheduler.add_job(_in_context(app, keep_lease, "scheduler.lease", needs_lease=False), "interval",
                      seconds=RENEW_SECONDS, id="scheduler.lease", next_run_time=_wall_now())
    for registered in _JOBS.values():
        # A job that runs once at start runs after the first lease run, which is at once.
        first_run = {"next_run_time": _wall_now() + timedelta(seconds=1)} if registered.run_at_start else {}
        scheduler.add_job(_in_context(app, registered.func, registered.id), registered.trigger, id=registered.id,
                          coalesce=True, max_instances=1, misfire_grace_time=60, **first_run,
                          **registered.trigger_args)
    scheduler.add_listener(lambda missed: job_finished(missed.job_id, "late"), EVENT_JOB_MISSED)
    _running = scheduler
    app.extensions["kiosk_scheduler"] = scheduler
    log.info("scheduler started with %d jobs (%s)", len(_JOBS), _holder)
    scheduler.start()
    return scheduler
