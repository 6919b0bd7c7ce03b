"""Demo: the administrative division codes (行政区划代码) of the county, 金家镇 and its villages, by
which official warnings find them, and one ticker line on every village noticeboard."""
from sqlalchemy import select

from kiosk.audit.operations import record_change
from kiosk.broadcast.models import Ticker, TickerTarget
from kiosk.core import clock
from kiosk.extensions import db
from kiosk.org.models import Unit, UnitKind
from kiosk.screens.models import ScreenGroup

COUNTY_CODE = "330102"            # a county (区县) code as GB/T 2260 writes it
TOWNSHIP_CODE = "330102001000"    # the statistics bureau's 12 digits: the township
DEMO_TICKER = "本周六上午9点在村委会召开村民代表会议，审议2026年村级公益事业建设项目，欢迎村民列席。"


def load(township: Unit) -> str:
    county = township.parent
    if county is not None and county.division_code is None:
        county.division_code = COUNTY_CODE
    township.division_code = township.division_code or TOWNSHIP_CODE
    villages = db.session.scalars(select(Unit).where(Unit.parent_id == township.id, Unit.kind == UnitKind.village)
                                  .order_by(Unit.id))
    for number, village in enumerate(villages, start=1):
        village.division_code = village.division_code or f"{TOWNSHIP_CODE[:9]}{number:03d}"
    group = db.session.scalar(select(ScreenGroup).where(ScreenGroup.unit_id == township.id,
                                                        ScreenGroup.code == "villages"))
    if group is not None and db.session.scalar(select(Ticker.id).where(Ticker.text == DEMO_TICKER)) is None:
        ticker = Ticker(unit=township, text=DEMO_TICKER, priority=0, speed=4.0, pause=3, starts_at=clock.now(),
                        targets=[TickerTarget(group=group)])
        db.session.add(ticker)
        db.session.flush()
        record_change("ticker.create", ticker)
    return "broadcast: division codes on the county, the township and its villages; one ticker line on the villages"
