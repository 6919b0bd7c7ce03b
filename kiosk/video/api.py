"""API operations for videos: uploadVideo, listVideos, getVideo, approveVideo, deleteVideo,
setVideoGroupSettings."""
from datetime import datetime

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, Field

from kiosk.api import operation
from kiosk.core.errors import InvalidInput
from kiosk.extensions import db
from kiosk.org.operations import get_unit_by_code
from kiosk.screens.operations import MANAGERS, get_group_for
from kiosk.video import operations as videos
from kiosk.video.models import Video
from kiosk.video.operations import REVIEWERS

READERS = (*MANAGERS, *REVIEWERS)


class Finding(BaseModel):
    kind: str
    masked: str
    where: str


class VideoOut(BaseModel):
    id: int
    name: str
    unit: str
    state: str = Field(description="pending, running, refused, failed, checked (may be approved) or approved")
    stage: str = Field(description="while running: probe, convert or read")
    progress: int = Field(description="percent of the check done")
    error: str = Field(description="why it was refused or failed, in words for the clerk")
    duration: float | None
    width: int | None
    height: int | None
    bytes: int | None = Field(description="size of the public copy")
    converted: bool
    frames_read: int
    findings: list[Finding]
    approved_at: datetime | None


class VideoList(BaseModel):
    videos: list[VideoOut]


class VideoUpload(BaseModel):
    video: bytes = Field(description="MP4 (H.264/AAC) or WebM, judged by its content, then by ffprobe")
    unit: str = Field(min_length=1, max_length=40, description="unit code")
    name: str = Field("", max_length=120, description="a name for the staff pages (default: the file's)")


class ApproveBody(BaseModel):
    privacy_override: str = Field("", max_length=2000, description="the reviewer's written reason to publish findings")


class GroupSettingsIn(BaseModel):
    sound: bool = Field(False, description="videos play with sound on this group's screens (else muted)")
    cache_mb: int | None = Field(None, ge=0, le=1_000_000,
                                 description="storage each screen keeps for offline video (empty: the default)")


class GroupSettingsOut(GroupSettingsIn):
    group: int


def video_out(video: Video) -> VideoOut:
    findings = [Finding(kind=f.kind, masked=f.masked, where=f.where or "") for f in videos.findings(video)] \
        if video.check_pieces else []
    return VideoOut(id=video.id, name=video.name, unit=video.unit.code, state=video.state.value, stage=video.stage,
                    progress=video.progress, error=video.error, duration=video.duration, width=video.width,
                    height=video.height, bytes=video.bytes, converted=video.converted,
                    frames_read=video.frames_read, findings=findings, approved_at=video.approved_at)


@operation("/videos", method="POST", operation_id="uploadVideo",
           summary="Upload a video for video slides (multipart field `video`, form fields `unit`, `name`); it is "
                   "checked and converted in the background",
           tag="videos", response=VideoOut, status=201, roles=MANAGERS, errors=(400, 403, 404, 409, 413, 415),
           form=VideoUpload)
def upload_video():
    upload = request.files.get("video")
    if upload is None or not request.form.get("unit"):
        raise InvalidInput(_("Attach the video file to the upload, with the unit it is for."))
    video = videos.upload_video(current_user, get_unit_by_code(request.form["unit"]), upload.stream,
                                upload.filename, request.form.get("name", ""))
    db.session.commit()
    return video_out(video)


@operation("/videos", method="GET", operation_id="listVideos", summary="Videos of your units, newest first",
           tag="videos", response=VideoList, roles=READERS)
def list_videos():
    return VideoList(videos=[video_out(video) for video in videos.videos_visible_to(current_user)])


@operation("/videos/<int:video_id>", method="GET", operation_id="getVideo",
           summary="A video: its check's progress, findings and approval", tag="videos", response=VideoOut,
           roles=READERS, errors=(404,))
def get_video(video_id: int):
    return video_out(videos.get_video_for(current_user, video_id))


@operation("/videos/<int:video_id>/approve", method="POST", operation_id="approveVideo",
           summary="Approve a checked video (not your own upload; findings need a written override)",
           tag="videos", body=ApproveBody, response=VideoOut, roles=REVIEWERS, errors=(403, 404, 409))
def approve_video(video_id: int, body: ApproveBody):
    video = videos.approve_video(current_user, videos.get_video_for(current_user, video_id), body.privacy_override)
    db.session.commit()
    return video_out(video)


@operation("/videos/<int:video_id>", method="DELETE", operation_id="deleteVideo",
           summary="Delete a video that no rotation plays", tag="videos", status=204, roles=MANAGERS,
           errors=(403, 404, 409))
def delete_video(video_id: int):
    videos.delete_video(current_user, videos.get_video_for(current_user, video_id))
    db.session.commit()
    return "", 204


@operation("/screen-groups/<int:group_id>/video-settings", method="PUT", operation_id="setVideoGroupSettings",
           summary="A screen group's video settings: sound, and the storage each screen keeps for offline video",
           tag="videos", body=GroupSettingsIn, response=GroupSettingsOut, roles=MANAGERS, errors=(400, 403, 404))
def set_group_settings(group_id: int, body: GroupSettingsIn):
    setting = videos.set_group_setting(current_user, get_group_for(current_user, group_id), body.sound, body.cache_mb)
    db.session.commit()
    return GroupSettingsOut(group=setting.group_id, sound=setting.sound, cache_mb=setting.cache_mb)
