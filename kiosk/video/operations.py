"""Video rules: uploading, approving and removing videos, groups' video settings, and what the
screens keep for offline play.

An upload is judged by its first bytes (MP4 or WebM) and written to disk a chunk at a time; the
rest of its check (ffprobe, the public copy, poster, frames read by the privacy gate) runs in the
background (`checks.py`). Only a checked video can be approved, by a reviewer who did not upload it;
findings of the privacy gate block approval unless the reviewer writes why they may stay, as for a
notice's attachments. Screens play only approved videos (`screens/state.py`)."""
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from kiosk import privacy
from kiosk.accounts.models import Role, User
from kiosk.accounts.permissions import ensure_can_act_on, ensure_role
from kiosk.audit.operations import audited, record_change, snapshot
from kiosk.core import clock
from kiosk.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from kiosk.extensions import db
from kiosk.files import discard_on_commit, stored_path
from kiosk.files.storage import store_stream
from kiosk.files.validation import VIDEO_HEAD_BYTES, clean_display_name, video_kind
from kiosk.org.models import Unit
from kiosk.screens.models import DisplayReport, Rotation, Screen, ScreenGroup, ScreenKind, Slide, SlideKind
from kiosk.screens.operations import ensure_manager, tell_groups
from kiosk.video.models import Video, VideoCacheReport, VideoGroupSetting, VideoState

AREA = "videos"
REVIEWERS = (Role.reviewer,)
MIN_REASON = 4
MB = 1024 * 1024


def video_snapshot(video: Video) -> dict:
    """What the audit log keeps of a video: everything but what was read from its frames."""
    return {key: value for key, value in snapshot(video).items() if key != "check_pieces"}


# --- finding -------------------------------------------------------------------------------------------

def videos_visible_to(user: User) -> list[Video]:
    return list(db.session.scalars(select(Video).join(Unit).where(Unit.path.startswith(user.unit.path))
                                   .order_by(Video.id.desc())))


def get_video_for(user: User, video_id: int) -> Video:
    video = db.session.get(Video, video_id)
    if video is None or not user.unit.contains(video.unit):
        raise NotFound(_("No such video."))
    return video


def usable_by(video: Video, unit: Unit) -> bool:
    """A rotation of `unit` may play a video of its own unit, of a unit above it or below it."""
    return video.unit.contains(unit) or unit.contains(video.unit)


def public_path(video: Video):
    """The public copy on disk (NotFound before the check has made it)."""
    return stored_path(video.public_name or "", AREA)


def poster_path(video: Video):
    return stored_path(video.poster_name or "", AREA)


def playable_poster(video: Video | None):
    """The poster on disk of an approved video (what image-only boards draw), or None."""
    if video is None or not video.playable:
        return None
    try:
        return poster_path(video)
    except NotFound:
        return None


# --- uploading -----------------------------------------------------------------------------------------

def upload_video(user: User, unit: Unit, stream, filename: str | None, name: str = "") -> Video:
    """Store an uploaded video (checked in the background); refuses what is not an MP4 or WebM file."""
    ensure_manager(user, unit)
    head = stream.read(VIDEO_HEAD_BYTES)
    if not head:
        raise InvalidInput(_("The file is empty."))
    media_type, extension = video_kind(head)
    title = (name or "").strip()[:120] or clean_display_name(filename)[:120]
    privacy.ensure_clean({_("Video name"): title})     # listed on staff pages and in reports
    max_bytes = current_app.config["KIOSK_VIDEO_MAX_MB"] * MB
    source_name, size = store_stream(stream, extension, AREA, max_bytes, head=head)
    video = Video(unit=unit, name=title, media_type=media_type, source_name=source_name, upload_bytes=size,
                  state=VideoState.pending, created_by=user.id)
    db.session.add(video)
    db.session.flush()
    record_change("video.upload", video, after=video_snapshot(video))
    return video


# --- approving -----------------------------------------------------------------------------------------

def findings(video: Video) -> list:
    """What the privacy gate found in the video's public copy (frames and poster), and its name."""
    return (privacy.find_in_text(video.name, "video_name")
            + privacy.find_in_pieces(video.check_pieces or [], f"video:{video.id}"))


def approve_video(user: User, video: Video, override_reason: str = "") -> Video:
    ensure_role(user, *REVIEWERS)
    ensure_can_act_on(user, video.unit)
    if user.id == video.created_by:
        raise Forbidden(_("You cannot approve a video you uploaded yourself."))
    if video.state == VideoState.approved:
        raise Conflict(_("The video is approved already."))
    if video.state in (VideoState.pending, VideoState.running):
        raise Conflict(_("The video is still being checked and converted (%(percent)s%%). Approve it when the "
                         "check has finished.", percent=video.progress), code="privacy_check_pending")
    if video.state != VideoState.checked:
        raise Conflict(_("The video did not pass its check: %(reason)s", reason=video.error),
                       code="privacy_check_failed")
    found, override_reason = findings(video), override_reason.strip()
    if found and len(override_reason) < MIN_REASON:
        raise privacy.findings_conflict(found, _(
            "The video shows personal data (%(count)s findings, e.g. %(examples)s). It cannot be approved unless "
            "you write why the findings may stay public; better, upload a copy without them.",
            count=len(found), examples=", ".join(f"{f.masked} ({f.where})" for f in found[:3])))
    before = video_snapshot(video)
    video.state, video.approved_by, video.approved_at = VideoState.approved, user.id, clock.now()
    video.privacy_override = override_reason if found else ""
    db.session.flush()
    record_change("video.approve", video, before=before, after=video_snapshot(video),
                  reason=override_reason if found else "")
    tell_groups(groups_playing(video), "video")
    return video


def delete_video(user: User, video: Video) -> None:
    """Remove a video and its files; refused while a rotation plays it."""
    ensure_manager(user, video.unit)
    rotations = rotations_playing(video)
    if rotations:
        raise Conflict(_("The video is in the rotations %(names)s; take it out of them first.",
                         names=_(", ").join(rotation.name for rotation in rotations)), code="video_in_use")
    record_change("video.delete", video, before=video_snapshot(video), after={})
    for name in (video.source_name, video.public_name, video.poster_name):
        if name:
            discard_on_commit(name, AREA)
    db.session.delete(video)


def rotations_playing(video: Video) -> list[Rotation]:
    slides = db.session.scalars(select(Slide).where(Slide.kind == SlideKind.video))
    ids = {slide.rotation_id for slide in slides if (slide.config or {}).get("video_id") == video.id}
    return list(db.session.scalars(select(Rotation).where(Rotation.id.in_(ids)).order_by(Rotation.name))) if ids else []


def groups_playing(video: Video) -> list[int]:
    return [rotation.group_id for rotation in rotations_playing(video)]


def plays_of(video: Video) -> tuple[int, object]:
    """How many plays players reported (proof of display: one report per play), and the last one's
    start; an image-only board showing the poster plays nothing."""
    count, last = db.session.execute(select(func.count(), func.max(DisplayReport.started_at))
                                     .join(Screen, Screen.id == DisplayReport.screen_id).where(
        DisplayReport.slide_kind == "video", DisplayReport.slide_key.like(f"%:v{video.id}"),
        Screen.kind != ScreenKind.image_board)).one()
    return count, last


# --- groups and screens --------------------------------------------------------------------------------

def group_setting(group_id: int) -> VideoGroupSetting | None:
    return db.session.get(VideoGroupSetting, group_id)


def set_group_setting(user: User, group: ScreenGroup, sound: bool, cache_mb: int | None) -> VideoGroupSetting:
    ensure_manager(user, group.unit)
    if cache_mb is not None and not 0 <= cache_mb <= 1_000_000:
        raise InvalidInput(_("The storage for videos is between 0 and 1000000 MB."), details={"field": "cache_mb"})
    setting = group_setting(group.id)
    if setting is None:
        setting = VideoGroupSetting(group_id=group.id, sound=False)
        db.session.add(setting)
        db.session.flush()
    with audited("video.group_setting", setting):
        setting.sound, setting.cache_mb = sound, cache_mb
    tell_groups([group.id], "video")
    return setting


def cache_budget(group_ids: list[int]) -> int:
    """Bytes a screen in these groups keeps for offline play: the smallest its groups set, else the default."""
    settings = db.session.scalars(select(VideoGroupSetting.cache_mb).where(
        VideoGroupSetting.group_id.in_(group_ids), VideoGroupSetting.cache_mb.is_not(None))).all() if group_ids else []
    return (min(settings) if settings else current_app.config["KIOSK_VIDEO_CACHE_MB"]) * MB


def record_cache_report(screen: Screen, payload) -> VideoCacheReport:
    """What a screen's player keeps for offline play and what did not fit (sent when it changes)."""
    payload = payload if isinstance(payload, dict) else {}
    try:
        kept = sorted({int(i) for i in payload.get("kept") or []})[:500]
        missing = sorted({int(i) for i in payload.get("missing") or []})[:500]
        budget, used = int(payload.get("budget") or 0), int(payload.get("used") or 0)
    except (TypeError, ValueError):
        raise InvalidInput(_("The video cache report is malformed."))
    if not (0 <= budget < 2**62 and 0 <= used < 2**62):
        raise InvalidInput(_("The video cache report is malformed."))
    report = db.session.get(VideoCacheReport, screen.id) or VideoCacheReport(screen_id=screen.id)
    report.kept, report.missing, report.budget_bytes, report.used_bytes = kept, missing, budget, used
    report.reported_at = clock.now()
    db.session.add(report)
    return report


def cache_reports_visible_to(user: User) -> list[tuple[Screen, VideoCacheReport]]:
    return list(db.session.execute(select(Screen, VideoCacheReport).join(
        VideoCacheReport, VideoCacheReport.screen_id == Screen.id).join(Unit, Unit.id == Screen.unit_id)
        .where(Unit.path.startswith(user.unit.path)).order_by(Screen.name)).all())
