"""Categories, notices, their versions and attachments."""
import enum
from datetime import date, datetime

from sqlalchemy import (JSON, Boolean, Date, Enum, ForeignKey, Integer, String, Text, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.accounts.models import User
from kiosk.core import clock
from kiosk.core.db import UTCDateTime
from kiosk.extensions import db
from kiosk.org.models import Unit


class CategoryGroup(str, enum.Enum):
    art20 = "art20"                        # 政府信息公开条例 第二十条
    art21 = "art21"                        # 第二十一条: what townships add
    village_affairs = "village_affairs"    # 村民委员会组织法 第三十条


class PeriodUnit(str, enum.Enum):
    calendar_days = "calendar_days"
    working_days = "working_days"


class Audience(str, enum.Enum):
    township = "township"    # the publishing unit's whole township: hall and every village
    villages = "villages"    # the villages chosen in audience_unit_ids
    hall = "hall"            # the township's service hall(s)
    internal = "internal"    # staff only, never on a screen or the public site


class NoticeState(str, enum.Enum):
    draft = "draft"
    submitted = "submitted"
    returned = "returned"
    approved = "approved"
    scheduled = "scheduled"
    showing = "showing"
    expired = "expired"
    withdrawn = "withdrawn"
    archived = "archived"


# States in which an approved version exists and may be (or become) public.
LIVE_STATES = (NoticeState.approved, NoticeState.scheduled, NoticeState.showing)


class RevisionState(str, enum.Enum):
    """Where an edit of an already approved notice stands; the public keeps seeing the approved version."""
    draft = "draft"
    submitted = "submitted"
    returned = "returned"


class CheckState(str, enum.Enum):
    """Where an attachment's privacy check stands; its notice is held from approval and from
    every public surface unless it is done."""
    pending = "pending"    # pages or an image wait for OCR (the `disclosures.checks` job)
    running = "running"    # a process has claimed it
    done = "done"          # every text of the file is in `check_pieces`
    failed = "failed"      # unreadable: replace the file, or check it again


class Category(db.Model):
    """A kind of disclosure. Data: administrators add their own."""

    __tablename__ = "notice_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    group: Mapped[CategoryGroup] = mapped_column(Enum(CategoryGroup, native_enum=False, length=20))
    colour: Mapped[str] = mapped_column(String(7), default="#b3261e")
    icon: Mapped[str] = mapped_column(String(40), default="notice")
    # A notice showing longer than this is flagged as stale; None = never stale.
    freshness_days: Mapped[int | None] = mapped_column(Integer)
    # The legal minimum publicity period (公示期), if the category has one.
    min_period_length: Mapped[int | None] = mapped_column(Integer)
    min_period_unit: Mapped[PeriodUnit | None] = mapped_column(Enum(PeriodUnit, native_enum=False, length=16))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __repr__(self) -> str:
        return f"<Category {self.code}>"


class IndexCounter(db.Model):
    """The last 索引号 sequence number issued per unit and year (claimed with one UPDATE)."""

    __tablename__ = "notice_index_counter"
    __table_args__ = (UniqueConstraint("unit_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    year: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer, default=0)


class NoticeContent:
    """The editable fields, shared by the working copy (Notice) and each kept version."""

    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")          # Markdown; rendered through the sanitiser
    doc_number: Mapped[str] = mapped_column(String(80), default="")   # 文号
    formed_on: Mapped[date] = mapped_column(Date)                # 形成日期
    audience: Mapped[Audience] = mapped_column(Enum(Audience, native_enum=False, length=16))
    audience_unit_ids: Mapped[list] = mapped_column(JSON, default=list)  # the chosen villages
    show_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    show_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    period_length: Mapped[int | None] = mapped_column(Integer)
    period_unit: Mapped[PeriodUnit | None] = mapped_column(Enum(PeriodUnit, native_enum=False, length=16))
    # A draft for comment (预公开, `pre_disclosure`): when it takes comments (kiosk/consultation).
    comment_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    comment_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


CONTENT_FIELDS = ("title", "summary", "body", "doc_number", "formed_on", "audience", "audience_unit_ids",
                  "show_from", "show_until", "period_length", "period_unit", "category_id", "comment_from",
                  "comment_until")


class Notice(NoticeContent, db.Model):
    """One disclosure. Its columns are the working copy staff edit; `published_version` is what
    the public and the screens see, and `live_from`/`live_until` its window, which the scheduler reads."""

    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(16), unique=True)      # the stable public link /n/<slug>
    index_number: Mapped[str | None] = mapped_column(String(64), unique=True)  # 索引号, issued on first approval
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)    # the publishing unit
    category_id: Mapped[int] = mapped_column(ForeignKey("notice_category.id"), index=True)
    state: Mapped[NoticeState] = mapped_column(Enum(NoticeState, native_enum=False, length=16), index=True,
                                               default=NoticeState.draft)
    revision_state: Mapped[RevisionState | None] = mapped_column(Enum(RevisionState, native_enum=False, length=16))
    pre_disclosure: Mapped[bool] = mapped_column(Boolean, default=False)      # 预公开: draft decision for comment
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("notice.id"))  # the 预公开 draft this finalises
    # The item of the township's village disclosure list (kiosk/villages) the notice is filed under:
    # once shown it counts for that item's period.
    list_item_id: Mapped[int | None] = mapped_column(ForeignKey("village_list_item.id", ondelete="SET NULL"),
                                                     index=True)
    return_reason: Mapped[str] = mapped_column(Text, default="")
    withdraw_reason: Mapped[str] = mapped_column(Text, default="")
    privacy_note: Mapped[str] = mapped_column(Text, default="")  # the editor's word on findings left in place
    # Who changed the working copy (text or attachments) since the last approval: none of them may approve it.
    editor_ids: Mapped[list] = mapped_column(JSON, default=list)
    published_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("notice_version.id", use_alter=True, name="fk_notice_published_version_id_notice_version"))
    live_from: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    live_until: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    first_shown_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)

    unit: Mapped[Unit] = relationship()
    category: Mapped[Category] = relationship()
    created_by: Mapped[User] = relationship()
    supersedes: Mapped["Notice | None"] = relationship(remote_side=[id], foreign_keys=[supersedes_id])
    list_item: Mapped["ListItem | None"] = relationship()   # noqa: F821  (kiosk.villages.models)
    published_version: Mapped["NoticeVersion | None"] = relationship(foreign_keys=[published_version_id],
                                                                     post_update=True)
    versions: Mapped[list["NoticeVersion"]] = relationship(
        back_populates="notice", foreign_keys="NoticeVersion.notice_id", order_by="NoticeVersion.number")
    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="notice", order_by="Attachment.id",
        primaryjoin="and_(Attachment.notice_id == Notice.id, Attachment.removed_at.is_(None))", viewonly=True)

    @property
    def under_review(self) -> bool:
        return self.state == NoticeState.submitted or self.revision_state == RevisionState.submitted

    @property
    def public_attachments(self) -> list["Attachment"]:
        """Attachments that were there when the published version was approved: one added to a
        correction still under review waits for its approval, like the text (public page and screens)."""
        approved_at = self.published_version.approved_at if self.published_version else None
        if approved_at is None:
            return []
        return [item for item in self.attachments if item.uploaded_at <= approved_at]

    @property
    def checks_clear(self) -> bool:
        """No public attachment is waiting for its privacy check or failed it."""
        return all(item.check_state == CheckState.done for item in self.public_attachments)

    def __repr__(self) -> str:
        return f"<Notice {self.id} {self.state.value} {self.title!r}>"


class NoticeVersion(NoticeContent, db.Model):
    """A submitted state of a notice's content, kept forever. Approved ones form the public history."""

    __tablename__ = "notice_version"
    __table_args__ = (UniqueConstraint("notice_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    category_id: Mapped[int] = mapped_column(ForeignKey("notice_category.id"))
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_correction: Mapped[bool] = mapped_column(Boolean, default=False)   # 更正 of an earlier approved version
    privacy_override: Mapped[str] = mapped_column(Text, default="")       # reviewer's reason, if findings were left
    editor_ids: Mapped[list] = mapped_column(JSON, default=list)          # everyone who edited or submitted it

    notice: Mapped[Notice] = relationship(back_populates="versions", foreign_keys=[notice_id])
    category: Mapped[Category] = relationship()
    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])


class Attachment(db.Model):
    """The full document behind a notice: a PDF or an image, stored under a random name."""

    __tablename__ = "notice_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)   # random; the only name used on disk
    display_name: Mapped[str] = mapped_column(String(200))    # as uploaded, cleaned; shown as text only
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    text_layer: Mapped[str] = mapped_column(Text, default="")  # a PDF's extracted text, for the privacy gate
    # The privacy check (kiosk.privacy.sandbox): the public copy made from the file (the only bytes the
    # public gets; kiosk.privacy.derivatives), every text of that copy (pages, metadata, annotations, form
    # fields, OCR lines and barcodes with their boxes) as kiosk.privacy.files.Piece dicts, the pages read.
    check_state: Mapped[CheckState] = mapped_column(Enum(CheckState, native_enum=False, length=16), index=True,
                                                    default=CheckState.pending)
    public_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    check_pieces: Mapped[list] = mapped_column(JSON, default=list)
    ocr_pages: Mapped[list] = mapped_column(JSON, default=list)
    check_error: Mapped[str] = mapped_column(Text, default="")
    check_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    notice: Mapped[Notice] = relationship(back_populates="attachments")

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")

    @property
    def unit_id(self) -> int:
        """The owning unit, so the audit log files attachment changes under it."""
        return self.notice.unit_id
