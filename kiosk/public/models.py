"""What the public side keeps: comments and objections on notices, each township's guide,
supervision page and complaint channels, and how often the public pages were visited."""
import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.accounts.models import User
from kiosk.core import clock
from kiosk.core.crypto import Encrypted
from kiosk.core.db import UTCDateTime
from kiosk.disclosures.models import Notice
from kiosk.extensions import db
from kiosk.org.models import Unit


class CommentKind(str, enum.Enum):
    comment = "comment"      # 意见建议
    objection = "objection"  # 异议: the publicity period exists to collect these
    question = "question"    # 质询: a villager's question on a village notice, answered within 10 days (kiosk/villages)


class Comment(db.Model):
    """A visitor's comment or objection on a notice under publicity. Held until staff answer it
    and choose to publish question and answer; the phone number never leaves the staff side."""

    __tablename__ = "notice_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"), index=True)
    version_number: Mapped[int] = mapped_column(Integer)   # the approved version the visitor read
    kind: Mapped[CommentKind] = mapped_column(Enum(CommentKind, native_enum=False, length=16))
    # The commenter's contact details, encrypted at rest (kiosk/core/crypto.py).
    name: Mapped[str] = mapped_column(Encrypted, default="")
    phone: Mapped[str] = mapped_column(Encrypted, default="")
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    public: Mapped[bool] = mapped_column(Boolean, default=False)

    notice: Mapped[Notice] = relationship()
    answered_by: Mapped[User | None] = relationship()

    @property
    def unit_id(self) -> int:
        """The audit log files a comment under its notice's unit."""
        return self.notice.unit_id


class PageKind(str, enum.Enum):
    guide = "guide"              # 政府信息公开指南
    supervision = "supervision"  # 投诉监督


class PublicPage(db.Model):
    """A township's disclosure guide or supervision page: Markdown an administrator edits."""

    __tablename__ = "public_page"
    __table_args__ = (UniqueConstraint("unit_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    kind: Mapped[PageKind] = mapped_column(Enum(PageKind, native_enum=False, length=16))
    body: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)

    unit: Mapped[Unit] = relationship()


class ChannelKind(str, enum.Enum):
    hotline = "hotline"            # 12345 政务服务便民热线
    discipline = "discipline"      # 12388 纪检监察举报电话
    supervision = "supervision"    # the township's own 监督电话
    opinion_box = "opinion_box"    # 意见箱: a place, not a number


PHONE_CHANNELS = (ChannelKind.hotline, ChannelKind.discipline, ChannelKind.supervision)


class ContactChannel(db.Model):
    """One complaint or supervision channel of a township, shown on every notice page."""

    __tablename__ = "contact_channel"
    __table_args__ = (UniqueConstraint("unit_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    kind: Mapped[ChannelKind] = mapped_column(Enum(ChannelKind, native_enum=False, length=16))
    label: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(String(120), default="")    # the number, or where the box hangs
    note: Mapped[str] = mapped_column(String(200), default="")     # hours, who answers

    unit: Mapped[Unit] = relationship()

    @property
    def is_phone(self) -> bool:
        return self.kind in PHONE_CHANNELS


class VisitedPage(str, enum.Enum):
    catalogue = "catalogue"   # 公开目录: / and its filters
    notice = "notice"         # a notice's page or one of its earlier versions
    document = "document"     # a full document opened or saved
    guide = "guide"           # the disclosure guide or the supervision page


class PageVisit(db.Model):
    """How many times the public opened a kind of page of a unit on a local day, and whether they came
    through a QR code. Only counts: nothing about the visitor (no address, browser or cookie)."""

    __tablename__ = "page_visit"

    day: Mapped[date] = mapped_column(Date, primary_key=True)   # Asia/Shanghai
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True)
    page: Mapped[VisitedPage] = mapped_column(Enum(VisitedPage, native_enum=False, length=16), primary_key=True)
    scanned: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)

    unit: Mapped[Unit] = relationship()
