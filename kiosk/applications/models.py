"""The register of applications for government information (依申请公开, 条例 Art. 27–45).

An application belongs to a township (the government body that answers it) and is numbered per
township per year (依申请〔2026〕第3号). What happened to it is a list of events (received,
correction asked and received, consultation started and ended, extension, decision); its due date
is computed from them by `clock.due_date`, and kept in `due_on` so lists and reminders can query it.
The applicant's name, identity proof and contacts are personal data: encrypted at rest, shown only
to the handler, the reviewer and the administrator, erased after the retention period.
"""
import enum
from datetime import date, datetime

from sqlalchemy import Date, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.accounts.models import User
from kiosk.core import clock
from kiosk.core.crypto import Encrypted
from kiosk.core.db import UTCDateTime
from kiosk.extensions import db
from kiosk.org.models import Unit


class Channel(str, enum.Enum):
    """How the application arrived (Art. 29, 31): it decides the day of receipt."""
    in_person = "in_person"        # written at the window: received that day
    oral = "oral"                  # the applicant could not write; the clerk filled the form in
    registered_mail = "registered_mail"   # the day signed for
    ordinary_mail = "ordinary_mail"       # the day confirmed with the applicant
    online = "online"              # the phone page (or started at the kiosk): the day both confirm


class Status(str, enum.Enum):
    submitted = "submitted"      # filed online, receipt not yet confirmed by staff
    open = "open"                # the clock runs
    correcting = "correcting"    # waiting for the applicant's correction (补正): the clock stops
    consulting = "consulting"    # a third party is consulted (Art. 32): the clock pauses
    closed = "closed"            # answered (or lapsed): `outcome` says how
    dismissed = "dismissed"      # an online submission never confirmed, found not to be an application


class EventKind(str, enum.Enum):
    received = "received"
    correction_requested = "correction_requested"
    corrected = "corrected"
    consultation_started = "consultation_started"
    consultation_ended = "consultation_ended"
    extended = "extended"
    decided = "decided"
    lapsed = "lapsed"


class Application(db.Model):
    __tablename__ = "info_application"
    __table_args__ = (UniqueConstraint("unit_id", "year", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)   # the township answering
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    token: Mapped[str] = mapped_column(String(40), unique=True)   # the public status page's link
    channel: Mapped[Channel] = mapped_column(Enum(Channel, native_enum=False, length=20))
    applicant_kind: Mapped[str] = mapped_column(String(24))       # outcomes.APPLICANT_KINDS
    # Personal data (Art. 29 (一)), encrypted; emptied when the retention period has passed.
    applicant_name: Mapped[str] = mapped_column(Encrypted, default="")
    id_proof: Mapped[str] = mapped_column(Encrypted, default="")
    phone: Mapped[str] = mapped_column(Encrypted, default="")
    address: Mapped[str] = mapped_column(Encrypted, default="")
    # What is asked for (Art. 29 (二)) and how it is wanted (三). Not public either.
    description: Mapped[str] = mapped_column(Encrypted, default="")
    document_number: Mapped[str] = mapped_column(String(80), default="")
    form_wanted: Mapped[str] = mapped_column(String(20), default="paper")
    delivery: Mapped[str] = mapped_column(String(20), default="pickup")
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    received_on: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[Status] = mapped_column(Enum(Status, native_enum=False, length=16), default=Status.open)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    correction_due_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(40))        # outcomes.OUTCOMES
    reason: Mapped[str] = mapped_column(Text, default="")          # the legal reason / explanation
    provided: Mapped[str] = mapped_column(Text, default="")        # what is provided, and how
    late_reason: Mapped[str] = mapped_column(Text, default="")     # why the answer came after the due date
    decided_on: Mapped[date | None] = mapped_column(Date, index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    fee_yuan: Mapped[int] = mapped_column(Integer, default=0)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dismissal: Mapped[str | None] = mapped_column(String(24))    # operations.DISMISSALS: why it was dismissed

    unit: Mapped[Unit] = relationship()
    handler: Mapped[User | None] = relationship(foreign_keys=[handler_id])
    filed_by: Mapped[User | None] = relationship(foreign_keys=[filed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    events: Mapped[list["ApplicationEvent"]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="ApplicationEvent.id")

    @property
    def reference(self) -> str:
        return f"依申请〔{self.year}〕第{self.number}号"


class ApplicationEvent(db.Model):
    """One step of an application. `day` is the local day it counts from; `until` a period's last day
    (a correction's deadline, a consultation's); `days` an extension's working days."""

    __tablename__ = "info_application_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("info_application.id", ondelete="CASCADE"), index=True)
    kind: Mapped[EventKind] = mapped_column(Enum(EventKind, native_enum=False, length=24))
    day: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    days: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    application: Mapped[Application] = relationship(back_populates="events")
    by: Mapped[User | None] = relationship()


class ApplicationCounter(db.Model):
    """The last number given per township per year, claimed in the filing's own transaction."""

    __tablename__ = "info_application_counter"

    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)
