"""Demo: an e-paper board at 王家村 that shows pictures it polls (an image-only board)."""
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.screens.demo import TOWNSHIP_GROUPS, _group, _screen
from kiosk.screens.models import ScreenKind


def load(township: Unit) -> str:
    villages = _group(township, *TOWNSHIP_GROUPS[1])
    wangjia = db.session.scalar(select(Unit).where(Unit.code == "wangjia"))
    if wangjia is None:
        return "render: no 王家村, no e-paper board"
    _screen(wangjia, ScreenKind.image_board, "王家村电子墨水屏", [villages])
    return "render: 王家村电子墨水屏, an image-only board (GET /api/v1/render/screen-now with its token)"
