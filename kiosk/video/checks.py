"""The background half of a video's check: probe, refuse or convert, poster, frames read.

As `kiosk.disclosures.checks` does for attachments: the state lives in the video's row; the
`video.checks` job of the one scheduler (or `kiosk videos check`) claims one pending video with a
conditional UPDATE and has `worker.py` do the heavy work in a child process contained by
`kiosk.privacy.sandbox.run_contained` (memory, CPU and wall-clock limits; ffmpeg in the child's
session, killed with it). While it runs, the child's progress is copied into the row every half
second for the staff page; deleting the video stops its check. A claim older than STALE_AFTER (a
process killed mid-check) is taken over."""
import json
import logging
import tempfile
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select, update

from kiosk.core import clock
from kiosk.core.errors import NotFound
from kiosk.extensions import db
from kiosk.files import discard_on_commit, fresh_path, stored_path
from kiosk.privacy.sandbox import run_contained
from kiosk.scheduling import drain
from kiosk.video.models import Video, VideoState
from kiosk.video.operations import AREA

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=75)
CONTAINERS = {"mp4": "MP4", "webm": "WebM"}


def _claimable(now):
    return or_(Video.state == VideoState.pending,
               and_(Video.state == VideoState.running, Video.claimed_at < now - STALE_AFTER))


def claim_next() -> Video | None:
    now = clock.now()
    for video_id in db.session.scalars(select(Video.id).where(_claimable(now)).order_by(Video.id).limit(5)).all():
        claimed = db.session.execute(update(Video).where(Video.id == video_id, _claimable(now)).values(
            state=VideoState.running, claimed_at=now, progress=0, stage="")).rowcount
        db.session.commit()
        if claimed:
            return db.session.get(Video, video_id)
    return None


def refusal_reason(code: str, detail: dict) -> str:
    """Why a video is not taken, in words the clerk can act on (README: how to make one that plays everywhere)."""
    container = CONTAINERS.get(detail.get("container", ""), detail.get("container", ""))
    return {
        "not_video": _("The file is not a video that can be read. Upload an MP4 (H.264/AAC) or WebM file."),
        "video_codec": _("The video is coded as %(codec)s in %(container)s; only H.264 in MP4 or VP8/VP9/AV1 in "
                         "WebM are taken. Convert it first (see the README).",
                         codec=detail.get("codec") or "?", container=container or "?"),
        "audio_codec": _("The sound is coded as %(codec)s in %(container)s; only AAC in MP4 or Opus/Vorbis in "
                         "WebM are taken. Convert it first (see the README).",
                         codec=detail.get("codec") or "?", container=container or "?"),
        "too_long": _("The video lasts %(seconds)s seconds; at most %(limit)s seconds are taken. Shorten it.",
                      seconds=detail.get("seconds"), limit=detail.get("limit")),
        "resolution": _("The picture is %(width)s × %(height)s; it must be at least 16 and at most %(limit)s "
                        "pixels on each side.", width=detail.get("width"), height=detail.get("height"),
                        limit=detail.get("limit")),
        "bitrate": _("The video has %(kbps)s kbit/s; at most %(limit)s kbit/s are taken. Export it with a lower "
                     "bitrate.", kbps=detail.get("kbps"), limit=detail.get("limit")),
    }[code]


def failure_reason(failure: str) -> str:
    config = current_app.config
    return {
        "time": _("Checking and converting the video took longer than %(seconds)s seconds. Upload a shorter or "
                  "smaller video.", seconds=config["KIOSK_VIDEO_CHECK_SECONDS"]),
        "memory": _("Converting the video needed more than %(memory)s MB of memory: it may be damaged. Upload a "
                    "fresh copy.", memory=config["KIOSK_CHECK_MEMORY_MB"]),
        "unreadable": _("The video could not be converted: it may be damaged. Upload a fresh copy."),
    }[failure]


def _job(source: Path, public_copy: Path, poster: Path, progress: Path) -> dict:
    config = current_app.config
    return {"source": str(source), "public_copy": str(public_copy), "poster": str(poster),
            "progress": str(progress), "memory_mb": config["KIOSK_CHECK_MEMORY_MB"],
            "seconds": config["KIOSK_VIDEO_CHECK_SECONDS"], "max_seconds": config["KIOSK_VIDEO_MAX_SECONDS"],
            "max_kbps": config["KIOSK_VIDEO_MAX_KBPS"], "max_side": config["KIOSK_VIDEO_MAX_SIDE"]}


def run_check(video: Video) -> VideoState:
    """Check the claimed video in a contained child process and store the outcome."""
    video_id, source_name = video.id, video.source_name
    db.session.commit()    # no transaction held open while the child works
    public_copy, poster = fresh_path("mp4", AREA), fresh_path("jpg", AREA)
    with tempfile.TemporaryDirectory(prefix="kiosk-video-") as folder:
        progress_file, shown = Path(folder) / "progress.json", {}

        def still_wanted() -> bool:
            """Polled while the child works: copies its progress into the row; False once the video is gone."""
            try:
                now = json.loads(progress_file.read_text())
            except (OSError, ValueError):
                now = None
            with db.engine.begin() as connection:
                if now and now != shown:
                    shown.update(now)
                    connection.execute(update(Video).where(Video.id == video_id, Video.state == VideoState.running)
                                       .values(stage=now["stage"], progress=now["percent"]))
                return connection.execute(select(Video.id).where(
                    Video.id == video_id, Video.source_name == source_name,
                    Video.state == VideoState.running)).first() is not None

        try:
            source = stored_path(source_name or "", AREA)
        except NotFound:
            failure, answer = "unreadable", None
        else:
            failure, answer = run_contained("kiosk.video.worker", _job(source, public_copy, poster, progress_file),
                                            current_app.config["KIOSK_VIDEO_CHECK_SECONDS"],
                                            lambda: not still_wanted())
    failure = failure or (answer or {}).get("failure", "")
    if failure == "cancelled":
        _discard(public_copy, poster)
        return VideoState.pending
    values = {"claimed_at": None, "checked_at": clock.now(), "stage": ""}
    if failure:
        log.warning("video %s: check failed: %s", video_id, failure)
        values.update(state=VideoState.failed, error=failure_reason(failure))
    elif answer["refused"]:
        values.update(state=VideoState.refused, error=refusal_reason(answer["refused"], answer.get("detail", {})))
    else:
        values.update(state=VideoState.checked, error="", progress=100, public_name=public_copy.name,
                      poster_name=poster.name, duration=answer["duration"], width=answer["width"],
                      height=answer["height"], bytes=answer["bytes"], converted=answer["converted"],
                      frames_read=answer["frames"], check_pieces=answer["pieces"], source_name=None)
    finished = db.session.execute(update(Video).where(
        Video.id == video_id, Video.source_name == source_name, Video.state == VideoState.running)
        .values(**values)).rowcount
    if not finished or values["state"] != VideoState.checked:
        _discard(public_copy, poster)
    elif source_name:
        discard_on_commit(source_name, AREA)     # the public copy is what is kept
    video = db.session.get(Video, video_id)
    if video is not None:
        db.session.refresh(video)
    return values["state"] if finished else (video.state if video else VideoState.failed)


def _discard(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def run_pending_checks(budget_seconds: float | None = None) -> int:
    """Check waiting videos one by one until none is left (or the time budget is spent)."""
    return drain(claim_next, run_check, budget_seconds)
