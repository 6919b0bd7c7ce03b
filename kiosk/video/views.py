"""Staff pages for videos: upload, the check's progress, findings, preview and approval, groups'
video settings and what each screen keeps for offline play."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from kiosk.accounts.permissions import staff_page
from kiosk.core.errors import KioskError
from kiosk.extensions import db
from kiosk.org.forms import choices_by_unit, unit_choices
from kiosk.org.models import Unit
from kiosk.screens import operations as screens
from kiosk.screens.operations import MANAGERS
from kiosk.staff import NavItem, add_nav
from kiosk.video import operations as videos
from kiosk.video.models import VideoState
from kiosk.video.operations import MB, REVIEWERS
from kiosk.video.player import send_stored

video_bp = Blueprint("video", __name__, url_prefix="/staff/videos", template_folder="templates")
READERS = (*MANAGERS, *REVIEWERS)
UPLOADS = ("video.index", "api.uploadVideo")
STATE_LABELS = {VideoState.pending: _l("Waiting for its check"), VideoState.running: _l("Being checked"),
                VideoState.refused: _l("Refused"), VideoState.failed: _l("Check failed"),
                VideoState.checked: _l("Awaiting approval"), VideoState.approved: _l("Approved")}
STAGE_LABELS = {"probe": _l("reading its format"), "convert": _l("converting"), "read": _l("reading its frames")}


class UploadForm(FlaskForm):
    unit = SelectField(_l("Unit"), validators=[DataRequired()])
    name = StringField(_l("Name (default: the file's)"), validators=[Optional(), Length(max=120)])
    video = FileField(_l("Video (MP4 or WebM)"), validators=[FileRequired()])


class ApproveForm(FlaskForm):
    privacy_override = TextAreaField(_l("Why the findings may stay public (only if there are findings)"),
                                     validators=[Optional(), Length(max=2000)])


class GroupSettingsForm(FlaskForm):
    group = SelectField(_l("Screen group"), coerce=int)
    sound = BooleanField(_l("Play videos with sound"))
    cache_mb = IntegerField(_l("Storage for videos on each screen (MB, empty: default)"),
                            validators=[Optional(), NumberRange(0, 1_000_000)])


def upload_limit(endpoint, values) -> None:
    """Video uploads may be larger than other requests (MAX_CONTENT_LENGTH): set before any hook reads the body."""
    if endpoint in UPLOADS and request.method == "POST":
        request.max_content_length = current_app.config["KIOSK_VIDEO_MAX_MB"] * MB + MB


@video_bp.route("/", methods=["GET", "POST"])
@staff_page(*READERS)
def index():
    form = UploadForm()
    form.unit.choices = unit_choices(current_user.unit)
    settings = GroupSettingsForm(prefix="group")
    groups = screens.groups_visible_to(current_user) if current_user.has_role(*MANAGERS) else []
    settings.group.choices = choices_by_unit(groups)
    if request.form.get("form") == "upload" and form.validate_on_submit():
        upload = form.video.data
        try:
            video = videos.upload_video(current_user, db.session.scalar(select(Unit).where(Unit.code == form.unit.data)),
                                        upload.stream, upload.filename, form.name.data or "")
            db.session.commit()
            flash(_("Video uploaded; it is checked and converted in the background."))
            return redirect(url_for(".detail", video_id=video.id))
        except KioskError as error:
            db.session.rollback()
            form.video.errors.append(error.message)
    elif request.form.get("form") == "group" and settings.validate_on_submit():
        try:
            videos.set_group_setting(current_user, screens.get_group_for(current_user, settings.group.data),
                                     settings.sound.data, settings.cache_mb.data)
            db.session.commit()
            flash(_("Saved; the screens were told."))
            return redirect(url_for(".index"))
        except KioskError as error:
            db.session.rollback()
            settings.cache_mb.errors.append(error.message)
    status = 400 if request.method == "POST" else 200
    return render_template("video/index.html", form=form, settings=settings, videos=videos.videos_visible_to(current_user),
                           groups=[(g, videos.group_setting(g.id)) for g in groups], states=STATE_LABELS,
                           stages=STAGE_LABELS, caches=videos.cache_reports_visible_to(current_user),
                           names={v.id: v.name for v in videos.videos_visible_to(current_user)}, MB=MB,
                           default_mb=current_app.config["KIOSK_VIDEO_CACHE_MB"],
                           may_upload=current_user.has_role(*MANAGERS)), status


@video_bp.route("/<int:video_id>", methods=["GET", "POST"])
@staff_page(*READERS)
def detail(video_id):
    video = videos.get_video_for(current_user, video_id)
    form = ApproveForm()
    if request.form.get("form") == "approve" and form.validate_on_submit():
        try:
            videos.approve_video(current_user, video, form.privacy_override.data or "")
            db.session.commit()
            flash(_("Approved: the screens whose rotations hold it play it now."))
            return redirect(url_for(".detail", video_id=video.id))
        except KioskError as error:
            db.session.rollback()
            form.privacy_override.errors.append(error.message)
    elif request.form.get("form") == "delete" and form.validate_on_submit():
        try:
            videos.delete_video(current_user, video)
            db.session.commit()
            flash(_("Video deleted."))
            return redirect(url_for(".index"))
        except KioskError as error:
            db.session.rollback()
            flash(error.message, "error")
    plays, last_play = videos.plays_of(video)
    status = 400 if request.method == "POST" else 200
    return render_template("video/detail.html", video=video, form=form, findings=videos.findings(video),
                           rotations=videos.rotations_playing(video), plays=plays, last_play=last_play,
                           states=STATE_LABELS, stages=STAGE_LABELS, may_approve=current_user.has_role(*REVIEWERS),
                           may_delete=current_user.has_role(*MANAGERS)), status


@video_bp.get("/<int:video_id>/preview.mp4")
@staff_page(*READERS)
def preview(video_id):
    """The public copy for the reviewer to watch before approving it."""
    video = videos.get_video_for(current_user, video_id)
    return send_stored(videos.public_path(video), "video/mp4")


@video_bp.get("/<int:video_id>/poster.jpg")
@staff_page(*READERS)
def poster(video_id):
    return send_stored(videos.poster_path(videos.get_video_for(current_user, video_id)), "image/jpeg")


add_nav(NavItem("video.index", _l("Videos"), roles=READERS, order=43))
