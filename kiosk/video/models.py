"""Videos for video slides, the video settings of screen groups, and what each screen keeps offline."""
import enum
from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, Enum, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.core import clock
from kiosk.core.db import UTCDateTime
from kiosk.extensions import db
from kiosk.org.models import Unit


class VideoState(str, enum.Enum):
    pending = "pending"      # uploaded, waiting for its check
    running = "running"      # probed, converted and read by a contained child process (`progress`)
    refused = "refused"      # not a video we accept: `error` says why, in words for the clerk
    failed = "failed"        # the check could not finish (over its time or memory): `error`
    checked = "checked"      # the public copy is made and read: a reviewer may approve it
    approved = "approved"    # screens play it


class Video(db.Model):
    """An uploaded video and the public copy made of it. The upload (`source_name`) is kept only until
    its public copy exists; screens get the public copy (`public_name`) and image-only boards its
    poster, once approved."""

    __tablename__ = "video"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    media_type: Mapped[str] = mapped_column(String(20))
    source_name: Mapped[str | None] = mapped_column(String(64))
    upload_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    state: Mapped[VideoState] = mapped_column(Enum(VideoState, native_enum=False, length=16),
                                              default=VideoState.pending, index=True)
    stage: Mapped[str] = mapped_column(String(20), default="")      # probe, convert, read: while running
    progress: Mapped[int] = mapped_column(Integer, default=0)       # percent of the whole check
    error: Mapped[str] = mapped_column(Text, default="")
    public_name: Mapped[str | None] = mapped_column(String(64))
    poster_name: Mapped[str | None] = mapped_column(String(64))
    duration: Mapped[float | None] = mapped_column(Float)        # seconds
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    bytes: Mapped[int | None] = mapped_column(BigInteger)         # of the public copy
    converted: Mapped[bool] = mapped_column(Boolean, default=False)  # re-encoded (else only re-muxed)
    frames_read: Mapped[int] = mapped_column(Integer, default=0)
    check_pieces: Mapped[list] = mapped_column(JSON, default=list)   # kiosk.privacy.files.Piece dicts
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    privacy_override: Mapped[str] = mapped_column(Text, default="")

    unit: Mapped[Unit] = relationship()

    @property
    def playable(self) -> bool:
        return self.state == VideoState.approved and self.public_name is not None


class VideoGroupSetting(db.Model):
    """A screen group's video settings: sound allowed, and the storage each of its screens keeps."""

    __tablename__ = "video_group_setting"

    group_id: Mapped[int] = mapped_column(ForeignKey("screen_group.id", ondelete="CASCADE"), primary_key=True)
    sound: Mapped[bool] = mapped_column(Boolean, default=False)
    cache_mb: Mapped[int | None] = mapped_column(Integer)        # None: KIOSK_VIDEO_CACHE_MB


class VideoCacheReport(db.Model):
    """What a screen's player last said it keeps for offline play, and what did not fit its budget."""

    __tablename__ = "video_cache_report"

    screen_id: Mapped[int] = mapped_column(ForeignKey("screen.id", ondelete="CASCADE"), primary_key=True)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    budget_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    used_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    kept: Mapped[list] = mapped_column(JSON, default=list)       # video ids
    missing: Mapped[list] = mapped_column(JSON, default=list)    # video ids that did not fit
