"""The village's year: the township's disclosure list (村务公开目录) and the notices filed under its
items, the village committee members (村民委员会) beside the supervision committee (村务监督委员会,
the `supervisor` role), the committee's sign-off of a submitted version, and the public days
(政务公开日) with the items due on them."""
import enum
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Column, Date, Enum, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from kiosk.accounts.models import User
from kiosk.core import clock
from kiosk.core.db import UTCDateTime
from kiosk.disclosures.models import Category, NoticeVersion
from kiosk.extensions import db
from kiosk.org.models import Unit


class Cadence(str, enum.Enum):
    monthly = "monthly"                # due by `due_day` of every month
    quarterly = "quarterly"            # due by `due_day` of the quarter's first month (the 20th)
    public_day = "public_day"          # due on each public day that lists the item
    after_approval = "after_approval"  # each matter: `due_day` days after it was approved (formed)
    at_once = "at_once"                # each matter: `due_day` days after it was formed (0: the same day)



class Channel(str, enum.Enum):
    board = "board"          # 村务公开栏 (图板)
    screen = "screen"        # 电子显示屏
    touch = "touch"          # 触摸查询机
    meeting = "meeting"      # 村民(代表)会议
    broadcast = "broadcast"  # 广播
    card = "card"            # 明白卡
    phone = "phone"          # 微信群、短信


class ListItem(db.Model):
    """One item of a township's village disclosure list: what every village publishes, on what
    basis, how often, who answers for it and where it is shown."""

    __tablename__ = "village_list_item"
    __table_args__ = (UniqueConstraint("township_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    basis: Mapped[str] = mapped_column(String(200), default="")
    cadence: Mapped[Cadence] = mapped_column(Enum(Cadence, native_enum=False, length=20))
    # monthly/quarterly: the day of the month it is due by; after_approval/at_once: days allowed.
    due_day: Mapped[int] = mapped_column(Integer, default=0)
    responsible: Mapped[str] = mapped_column(String(40), default="")   # the village role answering for it
    channels: Mapped[list] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The list binds from the day the item was added: a period due before then is not owed.
    since: Mapped[date] = mapped_column(Date, default=clock.local_today)

    township: Mapped[Unit] = relationship()

    @property
    def unit_id(self) -> int:
        return self.township_id


class CommitteeMember(db.Model):
    """The marker 'member of the village committee (村民委员会)' of an account in a village: such a
    person may not sit on the same village's supervision committee (村民委员会组织法 第三十二条)."""

    __tablename__ = "village_committee_member"
    __table_args__ = (UniqueConstraint("village_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)

    village: Mapped[Unit] = relationship()
    user: Mapped[User] = relationship()

    @property
    def unit_id(self) -> int:
        return self.village_id


class SignOffCategory(db.Model):
    """A category whose village notices the supervision committee signs before the township reviews."""

    __tablename__ = "village_sign_off_category"
    __table_args__ = (UniqueConstraint("township_id", "category_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(ForeignKey("notice_category.id", ondelete="CASCADE"))

    category: Mapped[Category] = relationship()

    @property
    def unit_id(self) -> int:
        return self.township_id


class SignOff(db.Model):
    """The supervision committee's sign-off (经村务监督委员会审核) of one submitted version."""

    __tablename__ = "village_sign_off"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("notice_version.id", ondelete="CASCADE"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    note: Mapped[str] = mapped_column(Text, default="")

    version: Mapped[NoticeVersion] = relationship(backref=backref("sign_off", uselist=False, passive_deletes=True))
    user: Mapped[User] = relationship()

    @property
    def unit_id(self) -> int:
        return self.version.notice.unit_id


public_day_item = Table(
    "village_public_day_item", db.metadata,
    Column("public_day_id", ForeignKey("village_public_day.id", ondelete="CASCADE"), primary_key=True),
    Column("item_id", ForeignKey("village_list_item.id", ondelete="CASCADE"), primary_key=True))


class PublicDay(db.Model):
    """A township's fixed public day (政务公开日, e.g. 3月1日) and the list items due on it."""

    __tablename__ = "village_public_day"
    __table_args__ = (UniqueConstraint("township_id", "month", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    month: Mapped[int] = mapped_column(Integer)
    day: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(40))

    items: Mapped[list[ListItem]] = relationship(secondary=public_day_item, order_by="ListItem.position")

    @property
    def unit_id(self) -> int:
        return self.township_id
