"""Shared set-up: the demo township, its staff, and filing/decision helpers at pinned instants."""
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from kiosk.accounts.models import User
from kiosk.applications import operations as ops
from kiosk.applications.models import Channel
from kiosk.core import clock
from kiosk.extensions import db
from kiosk.org.models import Unit

SHANGHAI = ZoneInfo("Asia/Shanghai")
APPLICANT = "欧阳明远"   # a name the demo holds nowhere else, searched for on every public surface


def at(day: date, hour: int = 10) -> None:
    """Pin the app's clock to `day` at `hour` in Shanghai."""
    clock.set_now(datetime.combine(day, time(hour), SHANGHAI))


def user(name: str) -> User:
    return db.session.scalar(select(User).where(User.username == name))


def township(code: str = "jinjia") -> Unit:
    return db.session.scalar(select(Unit).where(Unit.code == code))


def fields(**overrides) -> dict:
    return {"applicant_kind": "natural_person", "applicant_name": APPLICANT, "id_proof": "居民身份证",
            "phone": "13800138000", "description": "2026年村道修缮工程施工合同", "form_wanted": "paper",
            "delivery": "pickup", **overrides}


def file_on(day: date, *, by: str = "window1", channel: Channel = Channel.in_person, unit: str = "jinjia",
            **overrides):
    """An application filed at the window on `day` (its day of receipt)."""
    at(day)
    application = ops.file_application(user(by), township(unit), fields(**overrides), channel)
    db.session.commit()
    return application


@pytest.fixture
def ctx(demo_app):
    with demo_app.app_context():
        yield demo_app
