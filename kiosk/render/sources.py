"""What a slide draws besides its dict, looked up once per render: the complaint channels of the
notice's township, the picture of an image slide (a video slide's poster), the township logo, the
player's words."""
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app
from PIL import Image
from werkzeug.exceptions import HTTPException

from kiosk.core import clock
from kiosk.disclosures.models import Notice
from kiosk.extensions import db
from kiosk.public.operations import channels
from kiosk.render.slides import Context
from kiosk.screens.images import image_path
from kiosk.screens.models import SlideImage
from kiosk.screens.state import player_strings
from kiosk.video.models import Video
from kiosk.video.operations import playable_poster


def notice_channels(notice_id: int | None) -> tuple[tuple[str, str], ...]:
    notice = db.session.get(Notice, notice_id) if notice_id else None
    if notice is None:
        return ()
    return tuple((channel.label, channel.value) for channel in channels(notice.unit.township))


def context_for(entry: dict | None = None, screen: dict | None = None, moment: datetime | None = None,
                ticker: list[str] | tuple[str, ...] = ()) -> Context:
    """The context of one slide: `screen` is the state's "screen" part (its place), `moment` the instant,
    `ticker` the ticker lines in effect (drawn as a static strip)."""
    local = clock.to_local(moment or clock.now())
    screen = screen or {}
    return Context(today=local.date(), now=local, unit=screen.get("unit", ""), township=screen.get("township", ""),
                   channels=notice_channels((entry or {}).get("notice_id")), words=player_strings(),
                   logo=current_app.config.get("KIOSK_QR_LOGO"), ticker=tuple(ticker))


def slide_picture(entry: dict) -> Image.Image | None:
    """The uploaded picture behind an image slide's URL (the player's /display/images/<id>), or the
    poster of a video slide's approved video (/display/videos/<id>/poster.jpg)."""
    try:
        link = urlsplit(entry.get("image") or entry.get("poster") or "").path
        endpoint, values = current_app.url_map.bind("").match(link)
    except HTTPException:
        return None
    path = None
    if endpoint == "screen_player.image":
        picture = db.session.get(SlideImage, values.get("image_id"))
        path = image_path(picture) if picture is not None else None
    elif endpoint == "video_player.poster":
        path = playable_poster(db.session.get(Video, values.get("video_id")))
    if path is None or not path.exists():
        return None
    with Image.open(path) as opened:
        return opened.convert("RGB")
