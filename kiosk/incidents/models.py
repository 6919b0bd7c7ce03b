"""Incidents (a condition's finding, from its opening to its closing), the alert channels each unit
configures, and every message sent or to be sent to them."""
import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, Enum, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.core import clock
from kiosk.core.crypto import Encrypted
from kiosk.core.db import UTCDateTime
from kiosk.extensions import db
from kiosk.org.models import Unit


class Incident(db.Model):
    """One stretch of a finding being true. Open while `closed_at` is empty; `cleared_at` marks the
    finding gone but not yet closed (it may come back within the condition's flap window)."""

    __tablename__ = "incident"
    __table_args__ = (Index("ix_incident_kind_key", "kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    detail: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(500))
    user_ids: Mapped[list] = mapped_column(JSON, default=list)
    roles: Mapped[list] = mapped_column(JSON, default=list)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    last_found_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    flaps: Mapped[int] = mapped_column(Integer, default=0)
    last_notified: Mapped[datetime | None] = mapped_column(UTCDateTime)

    unit: Mapped[Unit] = relationship()

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ChannelKind(str, enum.Enum):
    wecom = "wecom"          # 企业微信 group robot
    dingtalk = "dingtalk"    # 钉钉 group robot, signed
    webhook = "webhook"      # any JSON receiver
    email = "email"          # SMTP with STARTTLS


class AlertChannel(db.Model):
    """Where a unit's incidents are sent (besides the staff dashboard, which always shows them).

    config: wecom/dingtalk/webhook {"url", "markdown": bool}; email {"host", "port", "user",
    "password_env", "sender", "to": [...]}. `secret` is the 钉钉 signing secret or the webhook's
    bearer token, encrypted at rest; an SMTP password is never stored (read from `password_env`).
    """

    __tablename__ = "alert_channel"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    kind: Mapped[ChannelKind] = mapped_column(Enum(ChannelKind, native_enum=False, length=16))
    name: Mapped[str] = mapped_column(String(80))
    config: Mapped[dict] = mapped_column(JSON, default=dict)
    secret: Mapped[str] = mapped_column(Encrypted, default="")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # Health: attempts failed in a row (reset by a success), the last error, the last success.
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    unit: Mapped[Unit] = relationship()


class DeliveryEvent(str, enum.Enum):
    open = "open"
    close = "close"
    digest = "digest"
    test = "test"


class DeliveryStatus(str, enum.Enum):
    pending = "pending"      # waiting for its (next) try
    sent = "sent"
    failed = "failed"        # gave up after the last try


class AlertDelivery(db.Model):
    """One message to one channel, with its tries. The text is fixed when the event happens."""

    __tablename__ = "alert_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("alert_channel.id", ondelete="CASCADE"), index=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id", ondelete="SET NULL"), index=True)
    event: Mapped[DeliveryEvent] = mapped_column(Enum(DeliveryEvent, native_enum=False, length=16))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[DeliveryStatus] = mapped_column(Enum(DeliveryStatus, native_enum=False, length=16),
                                                   default=DeliveryStatus.pending, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    next_try_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)

    channel: Mapped[AlertChannel] = relationship()
    incident: Mapped[Incident | None] = relationship()
