"""Tickers (滚动字幕) and official warnings (CAP 1.2 预警信息).

A ticker is one line aimed at screen groups, with dates and daily hours (a daypart), a priority,
its own speed and pause, and optionally an instant it starts and ends (an urgent ticker, or one a
warning made). A warning is every CAP alert that arrived, whatever became of it; a placement is
what it became in one unit (a full-screen urgent notice or a ticker, shown or awaiting approval).
"""
import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, Enum, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.core import clock
from kiosk.core.db import UTCDateTime
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.screens.models import Daypart, ScreenGroup, UrgentNotice


class Ticker(Daypart, db.Model):
    __tablename__ = "ticker"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    text: Mapped[str] = mapped_column(String(500))
    priority: Mapped[int] = mapped_column(Integer, default=0)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    speed: Mapped[float] = mapped_column(Float, default=4.0)       # characters per second
    pause: Mapped[int] = mapped_column(Integer, default=3)          # seconds between repeats
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # ended by staff or by its warning
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)

    unit: Mapped[Unit] = relationship()
    targets: Mapped[list["TickerTarget"]] = relationship(cascade="all, delete-orphan")

    @property
    def group_ids(self) -> list[int]:
        return [target.group_id for target in self.targets]

    def live_at(self, moment: datetime) -> bool:
        """Not ended (its dayparts aside): what the staff pages call current."""
        return self.ended_at is None and (self.ends_at is None or moment < self.ends_at)


class TickerTarget(db.Model):
    __tablename__ = "ticker_target"
    __table_args__ = (UniqueConstraint("ticker_id", "group_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticker_id: Mapped[int] = mapped_column(ForeignKey("ticker.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("screen_group.id", ondelete="CASCADE"), index=True)

    group: Mapped[ScreenGroup] = relationship()


class WarningSource(db.Model):
    """A platform allowed to send warnings for the units under `unit`: by POST with its own bearer
    token (only the SHA-256 is kept), and/or a feed we poll."""

    __tablename__ = "warning_source"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    feed_url: Mapped[str | None] = mapped_column(String(500))
    poll_seconds: Mapped[int] = mapped_column(Integer, default=60)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    last_polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    seen: Mapped[list] = mapped_column(JSON, default=list)          # feed entries already read
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    unit: Mapped[Unit] = relationship()


class AlertOutcome(str, enum.Enum):
    placed = "placed"                  # shown or awaiting approval in at least one unit (see placements)
    malformed = "malformed"            # not CAP, or a required element missing or wrong
    unknown_area = "unknown_area"      # no unit has the division codes of its areas
    expired = "expired"                # its `expires` had passed when it arrived
    not_actual = "not_actual"          # status Test, Exercise, System or Draft: never shown
    duplicate = "duplicate"            # the same sender and identifier arrived before
    cancel = "cancel"                  # a Cancel message: what it ended is in `reason`
    unknown_reference = "unknown_reference"  # Update/Cancel naming no alert we have
    ended = "ended"                    # shown, then its `expires` passed
    replaced = "replaced"              # a later Update took its place
    cancelled = "cancelled"            # a later Cancel ended it


class WarningAlert(db.Model):
    __tablename__ = "warning_alert"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("warning_source.id"), index=True)
    received_via: Mapped[str] = mapped_column(String(8))            # post | feed
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    outcome: Mapped[AlertOutcome] = mapped_column(Enum(AlertOutcome, native_enum=False, length=24))
    reason: Mapped[str] = mapped_column(Text, default="")
    identifier: Mapped[str] = mapped_column(String(255), default="", index=True)
    sender: Mapped[str] = mapped_column(String(255), default="")
    sent: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="")
    msg_type: Mapped[str] = mapped_column(String(16), default="")
    scope: Mapped[str] = mapped_column(String(16), default="")
    references: Mapped[str] = mapped_column(Text, default="")
    event: Mapped[str] = mapped_column(String(255), default="")
    headline: Mapped[str] = mapped_column(String(255), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    instruction: Mapped[str] = mapped_column(Text, default="")
    sender_name: Mapped[str] = mapped_column(String(255), default="")
    severity: Mapped[str] = mapped_column(String(16), default="")
    urgency: Mapped[str] = mapped_column(String(16), default="")
    certainty: Mapped[str] = mapped_column(String(16), default="")
    expires: Mapped[datetime | None] = mapped_column(UTCDateTime)
    area: Mapped[str] = mapped_column(Text, default="")
    geocodes: Mapped[list] = mapped_column(JSON, default=list)     # [[valueName, value], ...]
    findings: Mapped[list] = mapped_column(JSON, default=list)     # the privacy gate's (no personal data)
    digest: Mapped[str] = mapped_column(String(64), default="")    # SHA-256 of the bytes received

    source: Mapped[WarningSource | None] = relationship()
    placements: Mapped[list["WarningPlacement"]] = relationship(back_populates="alert",
                                                                cascade="all, delete-orphan")

    @property
    def full_screen(self) -> bool:
        return self.severity in ("Extreme", "Severe")


class PlacementState(str, enum.Enum):
    awaiting = "awaiting"      # waits for one touch of approval
    shown = "shown"
    rejected = "rejected"      # staff chose not to show it
    ended = "ended"            # expired, replaced or cancelled


class WarningPlacement(db.Model):
    """What an alert became in one unit: its urgent notice or ticker, or the wait for approval."""

    __tablename__ = "warning_placement"
    __table_args__ = (UniqueConstraint("alert_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("warning_alert.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    state: Mapped[PlacementState] = mapped_column(Enum(PlacementState, native_enum=False, length=16))
    held_for_privacy: Mapped[bool] = mapped_column(Boolean, default=False)
    urgent_id: Mapped[int | None] = mapped_column(ForeignKey("urgent_notice.id"))
    ticker_id: Mapped[int | None] = mapped_column(ForeignKey("ticker.id"))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    alert: Mapped[WarningAlert] = relationship(back_populates="placements")
    unit: Mapped[Unit] = relationship()
    urgent: Mapped[UrgentNotice | None] = relationship()
    ticker: Mapped[Ticker | None] = relationship()


class WarningPolicy(db.Model):
    """Per unit: warnings show at once (the default) or wait for one touch of approval."""

    __tablename__ = "warning_policy"

    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    approval_required: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)
