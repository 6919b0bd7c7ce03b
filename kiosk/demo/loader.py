"""Builds the demo township step by step. Each feature adds its demo content as a step:
a module with `load(township) -> str` listed in STEPS; every step is idempotent."""
import importlib

from sqlalchemy import func, select

from kiosk.core.errors import Conflict
from kiosk.core.migrate import is_current
from kiosk.core.settings import get_setting, set_setting
from kiosk.extensions import db
from kiosk.demo.township import accounts_summary
from kiosk.org.models import Unit

DEMO_MARKER = "demo_township"
STEPS = (
    "kiosk.demo.township",
    "kiosk.disclosures.demo",
    "kiosk.queue.demo",
    "kiosk.screens.demo",
    "kiosk.screens.demo_hours",
    "kiosk.public.demo",
    "kiosk.proof.demo",
    "kiosk.touch.demo",
    "kiosk.broadcast.demo",
    "kiosk.applications.demo",
    "kiosk.reports.demo",
    "kiosk.villages.demo",
    "kiosk.surveys.demo",
)


def load_demo(if_empty: bool = False) -> str:
    if not is_current():
        raise Conflict("the database schema is not current: run `kiosk db upgrade` first")
    has_units = db.session.scalar(select(func.count()).select_from(Unit)) > 0
    if has_units and if_empty:
        if get_setting(DEMO_MARKER) is not None:
            return f"demo township already loaded\n{accounts_summary()}"
        return "the database already holds data; demo not loaded"
    if has_units and get_setting(DEMO_MARKER) is None:
        raise Conflict("this database holds real data; the demo only loads into an empty or demo database")
    set_setting(DEMO_MARKER, "金家镇")
    township = importlib.import_module(STEPS[0]).load(None)
    lines = [f"demo township {township.name} ready"]
    for step in STEPS[1:]:
        lines.append(importlib.import_module(step).load(township))
    db.session.commit()
    lines.append(accounts_summary())
    return "\n".join(lines)
