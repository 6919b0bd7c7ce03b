"""The service-hall queue: services, windows, tickets, their events, ratings and follow-ups."""
import enum
from datetime import date, datetime

from sqlalchemy import (JSON, Boolean, Date, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint,
                        text)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.accounts.models import User
from kiosk.core import clock
from kiosk.core.db import UTCDateTime
from kiosk.extensions import db
from kiosk.org.models import Unit


class Priority(str, enum.Enum):
    normal = "normal"
    green = "green"  # 绿色通道: the elderly, the disabled, military personnel and their families


class TicketStatus(str, enum.Enum):
    waiting = "waiting"
    called = "called"
    serving = "serving"
    done = "done"
    no_show = "no_show"
    cancelled = "cancelled"
    # Moved to another service and waiting there, in its original place (by its first issue time).
    transferred = "transferred"


WAITING = (TicketStatus.waiting, TicketStatus.transferred)
AT_WINDOW = (TicketStatus.called, TicketStatus.serving)


class QueueService(db.Model):
    """A service a hall offers (社会保险, 民政救助, ...): its letter, cap, hours and materials."""

    __tablename__ = "queue_service"
    __table_args__ = (UniqueConstraint("hall_id", "prefix"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    prefix: Mapped[str] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(80))
    daily_cap: Mapped[int | None] = mapped_column(Integer)
    # ISO weekday ("1" = Monday) -> [["08:30", "12:00"], ["13:30", "17:30"]], local time.
    hours: Mapped[dict] = mapped_column(JSON, default=dict)
    materials: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    hall: Mapped[Unit] = relationship()

    @property
    def unit_id(self) -> int:  # for the audit log
        return self.hall_id

    @property
    def material_list(self) -> list[str]:
        return [line.strip() for line in self.materials.splitlines() if line.strip()]


class ServiceWindow(db.Model):
    """A counter (窗口) with the services it serves, in order of preference."""

    __tablename__ = "queue_window"
    __table_args__ = (UniqueConstraint("hall_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    # Serve 绿色通道 tickets of any of its services before normal ones.
    priority_first: Mapped[bool] = mapped_column(Boolean, default=True)

    hall: Mapped[Unit] = relationship()
    service_links: Mapped[list["WindowService"]] = relationship(
        cascade="all, delete-orphan", order_by="WindowService.rank", lazy="selectin")

    @property
    def unit_id(self) -> int:
        return self.hall_id

    @property
    def services(self) -> list[QueueService]:
        return [link.service for link in self.service_links]


class WindowService(db.Model):
    __tablename__ = "queue_window_service"
    __table_args__ = (UniqueConstraint("window_id", "service_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("queue_window.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("queue_service.id", ondelete="CASCADE"))
    rank: Mapped[int] = mapped_column(Integer)

    service: Mapped[QueueService] = relationship(lazy="joined")


class TicketCounter(db.Model):
    """The last number handed out per service and local day. The day in the key is what makes
    numbering start again each morning, with no midnight job."""

    __tablename__ = "queue_counter"

    service_id: Mapped[int] = mapped_column(ForeignKey("queue_service.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class Ticket(db.Model):
    __tablename__ = "queue_ticket"
    __table_args__ = (
        # The number's origin: the counter of the service that issued it, on that day.
        UniqueConstraint("number_service_id", "day", "number"),
        # A window holds at most one ticket called or being served.
        Index("uq_queue_ticket_window_at_window", "window_id", unique=True,
              sqlite_where=text("status IN ('called', 'serving')"),
              postgresql_where=text("status IN ('called', 'serving')")),
        Index("ix_queue_ticket_waiting", "service_id", "status", "queued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("queue_service.id"))
    number_service_id: Mapped[int] = mapped_column(ForeignKey("queue_service.id"))
    day: Mapped[date] = mapped_column(Date, index=True)
    number: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(8))
    priority: Mapped[Priority] = mapped_column(Enum(Priority, native_enum=False, length=16), default=Priority.normal)
    status: Mapped[TicketStatus] = mapped_column(Enum(TicketStatus, native_enum=False, length=16),
                                                 default=TicketStatus.waiting)
    # The secret in the phone status link; 32 random bytes.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # The place in line: the first issue time, kept across transfers.
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    window_id: Mapped[int | None] = mapped_column(ForeignKey("queue_window.id"))
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    issued_via: Mapped[str] = mapped_column(String(16), default="staff")
    recalls: Mapped[int] = mapped_column(Integer, default=0)

    hall: Mapped[Unit] = relationship()
    service: Mapped[QueueService] = relationship(foreign_keys=[service_id], lazy="joined")
    window: Mapped[ServiceWindow | None] = relationship(lazy="joined")
    clerk: Mapped[User | None] = relationship(foreign_keys=[clerk_id])
    rating: Mapped["Rating | None"] = relationship(back_populates="ticket", uselist=False)

    @property
    def unit_id(self) -> int:
        return self.hall_id


class TicketEvent(db.Model):
    """Every change of a ticket, timestamped: wait and service times are computed from these."""

    __tablename__ = "queue_ticket_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("queue_ticket.id", ondelete="CASCADE"), index=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    window_id: Mapped[int | None] = mapped_column(ForeignKey("queue_window.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class RatingLevel(int, enum.Enum):
    very_satisfied = 5
    satisfied = 4
    fair = 3
    dissatisfied = 2
    very_dissatisfied = 1


class Rating(db.Model):
    """好差评: one per ticket."""

    __tablename__ = "queue_rating"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("queue_ticket.id", ondelete="CASCADE"), unique=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    ticket: Mapped[Ticket] = relationship(back_populates="rating")
    follow_up: Mapped["FollowUp | None"] = relationship(back_populates="rating", uselist=False)

    @property
    def unit_id(self) -> int:
        return self.hall_id


class FollowUp(db.Model):
    """A bad rating's follow-up (差评整改): open until a supervisor records the action taken."""

    __tablename__ = "queue_follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("queue_rating.id", ondelete="CASCADE"), unique=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    action_taken: Mapped[str] = mapped_column(Text, default="")

    rating: Mapped[Rating] = relationship(back_populates="follow_up", lazy="joined")
    closed_by: Mapped[User | None] = relationship()

    @property
    def unit_id(self) -> int:
        return self.hall_id
