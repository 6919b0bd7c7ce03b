"""Sending the queued messages: each try recorded, a failure tried again with exponential back-off
(30 s, 1 min, 2 min ... at most an hour apart) until MAX_ATTEMPTS, and each channel's health kept
(failures in a row, the last error) so that a channel that keeps failing shows on the dashboard.
A test message is tried once: the administrator waiting on the channel's page wants that try's answer.

Two jobs send (`incidents.run` after evaluating, `incidents.deliver` every few seconds): each message is
claimed by a conditional UPDATE before it is tried, so it is never sent twice."""
import logging
from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from kiosk.core import clock
from kiosk.extensions import db
from kiosk.incidents.channels import Message, SendError, Target, send
from kiosk.incidents.engine import absolute_link
from kiosk.incidents.models import AlertChannel, AlertDelivery, DeliveryStatus

log = logging.getLogger(__name__)
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
MAX_ATTEMPTS = 8
# A channel whose last tries all failed is shown on the dashboard from this many on.
FAILING_AFTER = 3
BATCH = 50
# A claimed message is not due again before this (longer than the slowest send: SMTP waits 10 s per
# step); a sender that died mid-try leaves it to be tried again after that.
CLAIM_FOR = timedelta(minutes=2)


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed try."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT)


def attempt(delivery: AlertDelivery, now: datetime | None = None) -> str | None:
    """Try one delivery now and record the outcome; returns the error, or None when it was sent.
    The session's transaction is committed before the network is touched (no lock held meanwhile)."""
    channel = delivery.channel
    target = Target(channel.kind, dict(channel.config or {}), channel.secret or "")
    message = Message(delivery.event.value, delivery.subject, delivery.body,
                      absolute_link(delivery.incident.link) if delivery.incident else None)
    delivery_id, channel_id = delivery.id, channel.id
    db.session.commit()
    error = None
    with force_locale("zh"):
        try:
            send(target, message)
        except SendError as failure:
            error = failure.message
        except Exception as failure:   # a sender's own bug must not stop the other messages
            log.exception("sending delivery %s failed", delivery_id)
            error = _("Unexpected error while sending: %(name)s", name=type(failure).__name__)
    now = now or clock.now()
    delivery, channel = db.session.get(AlertDelivery, delivery_id), db.session.get(AlertChannel, channel_id)
    delivery.attempts += 1
    if error is None:
        delivery.status, delivery.sent_at, delivery.next_try_at, delivery.last_error = (
            DeliveryStatus.sent, now, None, None)
        channel.failures, channel.last_sent_at = 0, now
    else:
        delivery.last_error = channel.last_error = error
        channel.failures += 1
        if delivery.attempts >= MAX_ATTEMPTS or delivery.event.value == "test":
            delivery.status, delivery.next_try_at = DeliveryStatus.failed, None
        else:
            delivery.next_try_at = now + backoff(delivery.attempts)
    db.session.commit()
    return error


def claim(delivery_id: int, now: datetime) -> bool:
    """Take a due message for one try; False when another sender took it first."""
    taken = db.session.execute(update(AlertDelivery).where(
        AlertDelivery.id == delivery_id, AlertDelivery.status == DeliveryStatus.pending,
        AlertDelivery.next_try_at <= now).values(next_try_at=now + CLAIM_FOR)).rowcount == 1
    db.session.commit()
    return taken


def deliver_due(now: datetime | None = None) -> tuple[int, int]:
    """Send every pending message whose time has come; returns (sent, failed tries)."""
    now = now or clock.now()
    due = list(db.session.scalars(select(AlertDelivery.id).where(
        AlertDelivery.status == DeliveryStatus.pending, AlertDelivery.next_try_at <= now)
        .order_by(AlertDelivery.next_try_at, AlertDelivery.id).limit(BATCH)))
    sent = failed = 0
    for delivery_id in due:
        if not claim(delivery_id, now):
            continue
        delivery = db.session.get(AlertDelivery, delivery_id)
        if attempt(delivery, now) is None:
            sent += 1
        else:
            failed += 1
    return sent, failed
