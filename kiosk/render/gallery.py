"""The gallery in assets/gallery/: two demo notices (one with a table) at every size, drawn by the
renderer from a fresh demo township at a pinned instant.

    .venv/bin/python -m kiosk.render.gallery [DIR]      # default: assets/gallery

The pictures are committed, so they are reduced to a small palette (they are flat colour and
text) and the A4 sheet to 150 dpi.
"""
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.paths import ASSETS_DIR

PINNED = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SIZES = ("portrait", "landscape", "epaper-800x480", "epaper-1200x825", "a4")
PALETTE_COLOURS = 24


def _compact(image):
    if image.mode == "1":
        return image
    if image.width > 2000:   # the A4 sheet: 150 dpi is plenty to look at
        image = image.resize((image.width // 2, image.height // 2))
    return image.convert("RGB").quantize(PALETTE_COLOURS) if image.mode == "RGB" else image


def build(target: Path) -> list[Path]:
    instance = Path(tempfile.mkdtemp(prefix="kiosk-gallery-"))
    os.environ["KIOSK_INSTANCE_PATH"] = str(instance)
    from kiosk import create_app
    from kiosk.core import clock
    from kiosk.core.migrate import upgrade
    from kiosk.demo import load_demo
    from kiosk.disclosures.feed import showing_notices
    from kiosk.org.operations import get_unit_by_code
    from kiosk.render.api import notice_entry
    from kiosk.render.formats import FORMATS
    from kiosk.render.rendering import draw
    from kiosk.render.sources import context_for
    from kiosk.disclosures.models import Notice
    from kiosk.extensions import db

    app = create_app({"KIOSK_PUBLIC_URL": "https://jinjia.example.gov.cn"})
    written = []
    with app.app_context(), app.test_request_context():
        clock.set_now(PINNED)
        upgrade()
        load_demo()
        shown = showing_notices(get_unit_by_code("lizhuang"))
        with_table = next(n for n in shown if "<table>" in n["body_html"])
        plain = next(n for n in shown if "<table>" not in n["body_html"])
        target.mkdir(parents=True, exist_ok=True)
        for name, data in (("table", with_table), ("text", plain)):
            entry = notice_entry(db.session.get(Notice, data["id"]))
            for size in SIZES:
                fmt = FORMATS[size]
                path = target / f"{name}-{size}.png"
                _compact(draw(entry, fmt, fmt.default_mode, context_for(entry))).save(path, optimize=True)
                written.append(path)
    return written


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else ASSETS_DIR / "gallery"):
        print(f"{path}  {path.stat().st_size // 1024} KB")
