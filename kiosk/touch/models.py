"""What the touch kiosk keeps: service guides (办事指南) staff edit, and visitors' messages from
the kiosk's complaint form, held for staff."""
import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.accounts.models import User
from kiosk.core import clock
from kiosk.core.crypto import Encrypted
from kiosk.core.db import UTCDateTime
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.queue.models import QueueService


class ServiceGuide(db.Model):
    """One service's guide at a hall: what to bring, the steps, the promised time limit (承诺时限),
    the fee, the window, the hours and the office responsible. Lists are one item per line."""

    __tablename__ = "touch_guide"

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    # The queue service whose number the guide's button takes (none: the guide only informs).
    service_id: Mapped[int | None] = mapped_column(ForeignKey("queue_service.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(120))
    office: Mapped[str] = mapped_column(String(120), default="")
    materials: Mapped[str] = mapped_column(Text, default="")
    steps: Mapped[str] = mapped_column(Text, default="")
    time_limit: Mapped[str] = mapped_column(String(120), default="")
    fee: Mapped[str] = mapped_column(String(120), default="")
    window: Mapped[str] = mapped_column(String(120), default="")
    hours: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)

    hall: Mapped[Unit] = relationship()
    service: Mapped[QueueService | None] = relationship()

    @property
    def unit_id(self) -> int:  # for the audit log
        return self.hall_id

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip() for line in (text or "").splitlines() if line.strip()]


class MessageStatus(str, enum.Enum):
    pending = "pending"    # waiting for staff
    answered = "answered"  # staff replied (by phone or in person) and wrote down what they did
    dismissed = "dismissed"  # empty, abusive or a test


class KioskMessage(db.Model):
    """A visitor's complaint or suggestion left at the kiosk. Only staff read it; the text is
    masked by the privacy gate before it is stored, and the phone is for a call back only."""

    __tablename__ = "touch_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(40))
    # Encrypted at rest (kiosk/core/crypto.py): personal data.
    message: Mapped[str] = mapped_column(Encrypted, default="")
    phone: Mapped[str] = mapped_column(Encrypted, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    status: Mapped[MessageStatus] = mapped_column(Enum(MessageStatus, native_enum=False, length=16),
                                                  default=MessageStatus.pending)
    reply: Mapped[str] = mapped_column(Text, default="")
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    hall: Mapped[Unit] = relationship()
    handled_by: Mapped[User | None] = relationship()

    @property
    def unit_id(self) -> int:
        return self.hall_id
