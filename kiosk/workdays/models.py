import enum
from datetime import date

from sqlalchemy import Date, Enum, String
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.extensions import db


class DayKind(str, enum.Enum):
    holiday = "holiday"   # a public holiday (or a weekday given off for one)
    workday = "workday"   # 调休: a weekend day worked to make up for a holiday
    ordinary = "ordinary"  # staff undid the official arrangement for this day: the weekday rule applies


class DaySource(str, enum.Enum):
    official = "official"  # the State Council's arrangement, from the chinesecalendar package
    staff = "staff"        # entered or changed on the holidays page; a refresh never overwrites it


class Holiday(db.Model):
    """An exception to the Monday–Friday working week: the State Council's arrangement, filled in
    by `kiosk holidays refresh`, and administrators' own edits, which win over it."""

    __tablename__ = "holiday"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    kind: Mapped[DayKind] = mapped_column(Enum(DayKind, native_enum=False, length=16))
    name: Mapped[str] = mapped_column(String(40), default="")
    source: Mapped[DaySource] = mapped_column(Enum(DaySource, native_enum=False, length=16),
                                              default=DaySource.staff, server_default=DaySource.staff.value)
