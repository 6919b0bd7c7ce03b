"""The scheduler's part: warnings end at their expiry, and feeds are polled."""
from kiosk.broadcast.feeds import due_sources, poll
from kiosk.broadcast.warnings import expire_due, next_expiry
from kiosk.extensions import db
from kiosk.scheduling import job, run_again_at


@job("broadcast.expire", "interval", seconds=10)
def expire_warnings() -> str | None:
    ended = expire_due()
    if ended:
        db.session.commit()
    upcoming = next_expiry()
    if upcoming is not None:
        run_again_at("broadcast.expire", upcoming)
    return f"{ended} warnings ended at their expiry" if ended else None


@job("broadcast.feeds", "interval", seconds=15)
def poll_feeds() -> str | None:
    received = 0
    for source in due_sources():
        received += poll(source)
        db.session.commit()   # each source on its own: one failing feed never holds back another
    return f"{received} warnings read from feeds" if received else None
