"""The shape of a ticker line, shared by the API and the staff page."""
from datetime import datetime
from typing import ClassVar

from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, Field

from kiosk.screens.schemas import DaypartIn

MIN_SPEED, MAX_SPEED = 1.0, 12.0


class TickerIn(DaypartIn):
    field_labels: ClassVar[dict] = {
        "unit": _l("Unit"), "text": _l("Text"), "groups": _l("Screen groups"), "priority": _l("Priority"),
        "urgent": _l("Urgent"), "speed": _l("Characters per second"), "pause": _l("Pause between repeats (s)"),
        "ends_at": _l("Show until"), "weekdays": _l("Weekdays"), "time_from": _l("Start time"),
        "time_until": _l("End time"), "date_from": _l("First day"), "date_until": _l("Last day")}
    unit: str = Field(min_length=1, max_length=40, description="code of the unit publishing the line")
    text: str = Field(min_length=1, max_length=500)
    groups: list[int] = Field(min_length=1, max_length=200, description="screen group ids")
    priority: int = Field(0, ge=-1000, le=1000, description="higher crawls first")
    urgent: bool = Field(False, description="pushed at once; while it runs, only urgent lines crawl")
    speed: float | None = Field(None, ge=MIN_SPEED, le=MAX_SPEED,
                                description="characters per second (default KIOSK_TICKER_SPEED, about 4)")
    pause: int = Field(3, ge=0, le=600, description="seconds between repeats")
    ends_at: datetime | None = Field(None, description="with a time zone; none = by its dates, or until ended")


class TickerOut(BaseModel):
    id: int
    unit: str
    text: str
    groups: list[int]
    priority: int
    urgent: bool
    speed: float
    pause: int
    weekdays: str
    time_from: str | None
    time_until: str | None
    date_from: str | None
    date_until: str | None
    starts_at: datetime
    ends_at: datetime | None
    ended_at: datetime | None
    from_warning: int | None = Field(None, description="the warning (CAP alert) that made it")
