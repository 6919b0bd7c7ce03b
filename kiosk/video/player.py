"""What a screen's browser fetches of videos: the public copy (HTTP Range, ETag, streamed from disk),
its poster, and its report of what it keeps for offline play."""
from flask import Blueprint, jsonify, request, send_file
from flask_babel import gettext as _

from kiosk.core.errors import NotFound, Unauthorized
from kiosk.extensions import csrf, db, socketio
from kiosk.screens.devices import HEADER, screen_for_token, screen_required
from kiosk.video.models import Video
from kiosk.video.operations import poster_path, public_path, record_cache_report

video_player_bp = Blueprint("video_player", __name__, url_prefix="/display/videos")
csrf.exempt(video_player_bp)    # screens send their device token in a header (see screens/player.py)
WEEK = 7 * 86400


def send_stored(path, mimetype: str):
    """A stored file as it lies on disk: Range requests get 206 and the bytes asked for, If-None-Match
    and If-Range use its ETag (size, time, name), and the body is a file wrapper read a block at a
    time by the server (gevent writes each block as the socket takes it): never a whole video in
    memory. Our stored files never change (a new one gets a new random name)."""
    response = send_file(path, mimetype=mimetype, conditional=True, etag=True, max_age=WEEK)
    response.headers["Accept-Ranges"] = "bytes"
    response.cache_control.public = None     # a screen's own copy: no proxy on the way keeps it
    response.cache_control.private = True
    response.response = _taking_turns(response.response)
    return response


def _taking_turns(blocks):
    """The file's blocks, giving the event loop a turn after each: a socket that always takes more
    (a screen on the LAN) would otherwise keep the process from the screens' pushes for the whole
    video (bench/video_range.py: pushes' p99 2.7 s under 50 players without it)."""
    try:
        for block in blocks:
            yield block
            socketio.sleep(0)
    finally:
        getattr(blocks, "close", lambda: None)()


def playable_video(video_id: int) -> Video:
    video = db.session.get(Video, video_id)
    if video is None or not video.playable:
        raise NotFound(_("No such video."))
    return video


@video_player_bp.get("/<int:video_id>.mp4")
@screen_required()
def video_file(video_id, screen):
    """Only an approved video's checked public copy is served; never the upload."""
    return send_stored(public_path(playable_video(video_id)), "video/mp4")


@video_player_bp.get("/<int:video_id>/poster.jpg")
@screen_required()
def poster(video_id, screen):
    return send_stored(poster_path(playable_video(video_id)), "image/jpeg")


@video_player_bp.post("/cache")
def cache_report():
    screen = screen_for_token(request.headers.get(HEADER))
    if screen is None:
        raise Unauthorized(_("This screen is not registered."), code="screen_not_registered")
    record_cache_report(screen, request.get_json(silent=True))
    db.session.commit()
    return jsonify({"ok": True})
