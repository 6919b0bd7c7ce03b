"""A video slide as the player's slide (called by kiosk/screens/state.py, the one place that decides
what a screen shows): only an approved video, lasting the video × its plays, with sound only where
the rotation's group allows it."""
import math

from flask import url_for

from kiosk.extensions import db
from kiosk.screens.models import Slide
from kiosk.video.models import Video
from kiosk.video.operations import group_setting


def video_entries(slide: Slide, base: dict) -> list[dict]:
    config = slide.config or {}
    video = db.session.get(Video, config.get("video_id") or 0)
    if video is None or not video.playable:
        return []
    plays = max(1, int(config.get("plays") or 1))
    setting = group_setting(slide.rotation.group_id)
    version = video.public_name[:8]    # the URL changes only if the copy does: the player caches it for good
    return [{**base, "key": f"s{slide.id}:v{video.id}", "video_id": video.id, "caption": config.get("caption", ""),
             "video": url_for("video_player.video_file", video_id=video.id, v=version),
             "poster": url_for("video_player.poster", video_id=video.id, v=version),
             "length": video.duration, "plays": plays, "duration": math.ceil(video.duration * plays),
             "sound": bool(setting and setting.sound), "bytes": video.bytes}]
