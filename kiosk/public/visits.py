"""Counting visits to the public pages, and the visits that came through a QR code (whose address
carries `kiosk.qr.SCAN_MARKER`), for the annual report and the statements. One counter row per local
day, unit, kind of page and way in, raised by one upsert: never read and written back. Nothing about
the visitor is kept."""
import logging
import re
from datetime import datetime

from flask import g, request
from flask_login import current_user
from sqlalchemy import select

from kiosk.core import clock
from kiosk.core.locking import upsert
from kiosk.extensions import db
from kiosk.org.models import Unit, UnitKind
from kiosk.public.models import PageVisit, VisitedPage
from kiosk.qr import SCAN_MARKER
from kiosk.screens.devices import request_token

log = logging.getLogger(__name__)

# The usual rule of web statistics: a browser naming itself a bot, spider or crawler is a robot
# (Baiduspider, Googlebot, bingbot, Bytespider, YisouSpider...), not a visitor.
CRAWLER = re.compile(r"bot|spider|crawl", re.IGNORECASE)


def count_visit(unit_id: int, page: VisitedPage, scanned: bool, at: datetime | None = None) -> None:
    """One more visit of `page` of the unit on the local day of `at` (now by default), in the
    caller's transaction."""
    statement = upsert(PageVisit).values(day=clock.to_local(at or clock.now()).date(), unit_id=unit_id,
                                         page=page, scanned=scanned, count=1)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=[PageVisit.day, PageVisit.unit_id, PageVisit.page, PageVisit.scanned],
        set_={"count": PageVisit.count + 1}))


def note(page: VisitedPage, unit_id: int) -> None:
    """Called by a public view: this request shows `page` of the unit; counted if it succeeds."""
    g.public_visit = (page, unit_id)


def _is_visitor() -> bool:
    """A person on a phone or computer: not a HEAD, not staff, not a screen fetching a notice's
    pictures (its device token or cookie), not a crawler."""
    return (request.method == "GET" and not current_user.is_authenticated and not request_token()
            and not CRAWLER.search(request.user_agent.string or ""))


def count_noted(response):
    """After a public view: count the visit it noted if the page was served whole (200; a 206 is a
    piece of a document already counted, a 304 a page the browser kept). Counting runs in its own
    short transaction and never fails the page."""
    noted = g.pop("public_visit", None)
    if noted is None or response.status_code != 200 or not _is_visitor():
        return response
    try:
        count_visit(noted[1], noted[0], scanned=SCAN_MARKER in request.args)
        db.session.commit()
    except Exception:   # noqa: BLE001  (a lost count is better than a lost page)
        db.session.rollback()
        log.warning("a public visit could not be counted", exc_info=True)
    return response


def catalogue_unit(named: Unit | None) -> int:
    """Whose catalogue a visitor opened: the unit or village filtered on, else the only township, else
    the county (the top of the tree)."""
    if named is not None:
        return named.id
    townships = db.session.scalars(select(Unit.id).where(Unit.kind == UnitKind.township).limit(2)).all()
    if len(townships) == 1:
        return townships[0]
    return db.session.scalar(select(Unit.id).where(Unit.parent_id.is_(None)).order_by(Unit.id).limit(1))

