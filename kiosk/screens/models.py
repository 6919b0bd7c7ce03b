"""Screens, their groups, rotations of slides, urgent notices, and what each screen reported showing.

Notices belong to the disclosures feature; slides refer to them by id inside their JSON
configuration, so this schema does not depend on the notice table.
"""
import enum
from datetime import date, datetime, time

from sqlalchemy import (JSON, BigInteger, Boolean, CheckConstraint, Date, Enum, Float, ForeignKey, Integer, String, Text,
                        Time, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.core import clock
from kiosk.core.db import UTCDateTime
from kiosk.extensions import db
from kiosk.org.models import Unit


class ScreenKind(str, enum.Enum):
    noticeboard_portrait = "noticeboard_portrait"
    noticeboard_landscape = "noticeboard_landscape"
    hall_board = "hall_board"
    touch_kiosk = "touch_kiosk"
    image_board = "image_board"      # shows pictures it polls (e-paper, a TV that opens a URL): kiosk/render


class Screen(db.Model):
    """A display device. Only the SHA-256 of its device token is stored."""

    __tablename__ = "screen"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    kind: Mapped[ScreenKind] = mapped_column(Enum(ScreenKind, native_enum=False, length=32))
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    paired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime | None] = mapped_column(UTCDateTime)
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    offline_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    software_version: Mapped[str] = mapped_column(String(40), default="")
    screen_width: Mapped[int | None] = mapped_column(Integer)
    screen_height: Mapped[int | None] = mapped_column(Integer)
    # What the player reports of itself beside its version and size.
    browser: Mapped[str] = mapped_column(String(120), default="", server_default="")
    pixel_ratio: Mapped[float | None] = mapped_column(Float)
    storage_free: Mapped[int | None] = mapped_column(BigInteger)     # bytes left for offline media
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the player said it shows, e.g. {"slide": "notice:12:1", "title": "...", "urgent": null}.
    now_showing: Mapped[dict | None] = mapped_column(JSON)

    unit: Mapped[Unit] = relationship()
    memberships: Mapped[list["ScreenGroupMember"]] = relationship(back_populates="screen",
                                                                  cascade="all, delete-orphan")

    @property
    def groups(self) -> list["ScreenGroup"]:
        return [m.group for m in self.memberships]

    @property
    def registered(self) -> bool:
        return self.token_hash is not None and self.revoked_at is None

    @property
    def awaiting_browser(self) -> bool:
        """Paired by a manager; the browser takes its token within seconds (operations.pair_screen)."""
        return self.token_hash is None and self.revoked_at is None and self.paired_at is not None

    def __repr__(self) -> str:
        return f"<Screen {self.id} {self.name}>"


class ScreenGroup(db.Model):
    """A set of screens a rotation or an urgent notice is aimed at (the hall, a village, all villages...)."""

    __tablename__ = "screen_group"
    __table_args__ = (UniqueConstraint("unit_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    # A screen of the group that should be on and is not heard from for this long opens an incident.
    offline_alert_minutes: Mapped[int] = mapped_column(Integer, default=10, server_default="10")

    unit: Mapped[Unit] = relationship()
    members: Mapped[list["ScreenGroupMember"]] = relationship(back_populates="group", cascade="all, delete-orphan")

    @property
    def screens(self) -> list[Screen]:
        return [m.screen for m in self.members]


class ScreenGroupMember(db.Model):
    __tablename__ = "screen_group_member"
    __table_args__ = (UniqueConstraint("group_id", "screen_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("screen_group.id", ondelete="CASCADE"), index=True)
    screen_id: Mapped[int] = mapped_column(ForeignKey("screen.id", ondelete="CASCADE"), index=True)

    group: Mapped[ScreenGroup] = relationship(back_populates="members")
    screen: Mapped[Screen] = relationship(back_populates="memberships")


class PairingRequest(db.Model):
    """A browser at /display waiting for a screen manager to enter its six-digit code.

    The browser holds a claim secret (its SHA-256 is stored); once a manager pairs the code with
    a screen, the browser trades the secret for the screen's device token.
    """

    __tablename__ = "screen_pairing"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), index=True)
    claim_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    screen_id: Mapped[int | None] = mapped_column(ForeignKey("screen.id", ondelete="CASCADE"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    screen: Mapped[Screen | None] = relationship()


class OnHours(db.Model):
    """When a group's screens (or one screen, overriding its groups) should show: hours.py reads it."""

    __tablename__ = "screen_on_hours"
    __table_args__ = (CheckConstraint("(group_id IS NULL) <> (screen_id IS NULL)", name="on_hours_one_owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("screen_group.id", ondelete="CASCADE"), unique=True)
    screen_id: Mapped[int | None] = mapped_column(ForeignKey("screen.id", ondelete="CASCADE"), unique=True)
    week: Mapped[dict] = mapped_column(JSON)     # {"mon": [["07:00", "21:00"]], ..., "holiday": [], "makeup": [...]}


class ScreenConnection(db.Model):
    """One online period of a screen: from its socket connecting to its disconnecting (or going silent)."""

    __tablename__ = "screen_connection"

    id: Mapped[int] = mapped_column(primary_key=True)
    screen_id: Mapped[int] = mapped_column(ForeignKey("screen.id", ondelete="CASCADE"), index=True)
    sid: Mapped[str] = mapped_column(String(64), index=True)
    connected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    last_heartbeat: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    disconnected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    address: Mapped[str] = mapped_column(String(64), default="")


class DisplayReport(db.Model):
    """One slide the player says it showed, from when to when (sent in batches, kept while offline)."""

    __tablename__ = "display_report"
    __table_args__ = (UniqueConstraint("screen_id", "slide_key", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    screen_id: Mapped[int] = mapped_column(ForeignKey("screen.id", ondelete="CASCADE"), index=True)
    slide_key: Mapped[str] = mapped_column(String(80))
    slide_kind: Mapped[str] = mapped_column(String(20))
    notice_id: Mapped[int | None] = mapped_column(Integer, index=True)
    urgent_id: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime] = mapped_column(UTCDateTime)
    offline: Mapped[bool] = mapped_column(Boolean, default=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class Daypart:
    """When a rotation or a slide may show: weekdays (ISO 1-7 as a string like "12345"), a local time
    window (ending before it starts means it crosses midnight) and a date range, all optional."""

    weekdays: Mapped[str] = mapped_column(String(7), default="1234567")
    time_from: Mapped[time | None] = mapped_column(Time)
    time_until: Mapped[time | None] = mapped_column(Time)
    date_from: Mapped[date | None] = mapped_column(Date)
    date_until: Mapped[date | None] = mapped_column(Date)


class Rotation(Daypart, db.Model):
    __tablename__ = "rotation"
    __table_args__ = (UniqueConstraint("unit_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("screen_group.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    priority: Mapped[int] = mapped_column(Integer, default=0)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)

    unit: Mapped[Unit] = relationship()
    group: Mapped[ScreenGroup] = relationship()
    slides: Mapped[list["Slide"]] = relationship(back_populates="rotation", cascade="all, delete-orphan",
                                                 order_by="Slide.position")


class SlideKind(str, enum.Enum):
    notice = "notice"
    image = "image"
    qr = "qr"
    queue = "queue"
    clock = "clock"
    video = "video"


class Slide(Daypart, db.Model):
    __tablename__ = "slide"

    id: Mapped[int] = mapped_column(primary_key=True)
    rotation_id: Mapped[int] = mapped_column(ForeignKey("rotation.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[SlideKind] = mapped_column(Enum(SlideKind, native_enum=False, length=16))
    duration: Mapped[int] = mapped_column(Integer, default=15)  # seconds per page
    # notice: {"categories": [...]} or {"notice_ids": [...]}; image: {"image_id", "caption"};
    # qr: {"link", "caption"}; queue: {"hall": code or null}; clock: {"welcome": text};
    # video: {"video_id", "plays", "caption"} (kiosk/video; the slide lasts the video × plays)
    config: Mapped[dict] = mapped_column(JSON, default=dict)

    rotation: Mapped[Rotation] = relationship(back_populates="slides")


class SlideImage(db.Model):
    """An uploaded picture for image slides; the file lives under KIOSK_UPLOAD_PATH/screens."""

    __tablename__ = "slide_image"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    unit: Mapped[Unit] = relationship()


class UrgentNotice(db.Model):
    """A full-screen 紧急通知 pushed to chosen groups, until cleared or until its end."""

    __tablename__ = "urgent_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    unit: Mapped[Unit] = relationship()
    targets: Mapped[list["UrgentTarget"]] = relationship(cascade="all, delete-orphan")
    deliveries: Mapped[list["UrgentDelivery"]] = relationship(cascade="all, delete-orphan")

    def active_at(self, moment: datetime) -> bool:
        return (self.cleared_at is None and self.starts_at <= moment
                and (self.ends_at is None or moment < self.ends_at))


class UrgentTarget(db.Model):
    __tablename__ = "urgent_target"
    __table_args__ = (UniqueConstraint("urgent_id", "group_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    urgent_id: Mapped[int] = mapped_column(ForeignKey("urgent_notice.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("screen_group.id", ondelete="CASCADE"))

    group: Mapped[ScreenGroup] = relationship()


class UrgentDelivery(db.Model):
    """A screen confirming it put the urgent notice on screen (the staff page watches these arrive)."""

    __tablename__ = "urgent_delivery"
    __table_args__ = (UniqueConstraint("urgent_id", "screen_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    urgent_id: Mapped[int] = mapped_column(ForeignKey("urgent_notice.id", ondelete="CASCADE"), index=True)
    screen_id: Mapped[int] = mapped_column(ForeignKey("screen.id", ondelete="CASCADE"))
    shown_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class CommandKind(str, enum.Enum):
    reload = "reload"                     # the player reloads its page
    restart_browser = "restart_browser"   # the launcher restarts Chromium (where its config allows)
    reboot = "reboot"                     # the launcher restarts the machine (where its config allows)
    identify = "identify"                 # name, unit, screen number and server address in large type for 30 s
    screenshot = "screenshot"             # what the browser shows (launcher), else the server's rendering


class ScreenCommand(db.Model):
    """A command sent to one screen (a group's command is one row per screen), with when it was
    sent, delivered (the player received it) and answered, and the answer (screens/commands.py)."""

    __tablename__ = "screen_command"

    id: Mapped[int] = mapped_column(primary_key=True)
    screen_id: Mapped[int] = mapped_column(ForeignKey("screen.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("screen_group.id", ondelete="SET NULL"))
    kind: Mapped[CommandKind] = mapped_column(Enum(CommandKind, native_enum=False, length=20))
    sent_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ok: Mapped[bool | None] = mapped_column(Boolean)
    result: Mapped[dict | None] = mapped_column(JSON)     # e.g. {"launcher": true, "power": "xset"}
    error: Mapped[str | None] = mapped_column(Text)
    screenshot: Mapped[str | None] = mapped_column(String(80))          # file name under KIOSK_UPLOAD_PATH/screenshots
    screenshot_source: Mapped[str | None] = mapped_column(String(20))   # "browser" or "thumbnail"

    screen: Mapped[Screen] = relationship()
    group: Mapped[ScreenGroup | None] = relationship()
