"""The shape of a rotation, shared by the API, the rotation editor and the `schedules/` files."""
from datetime import date, time
from typing import ClassVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, ConfigDict, Field, field_validator

from kiosk.screens.models import SlideKind


class DaypartIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    weekdays: str | list[int] | None = Field(None, description='ISO weekdays, "12345" or [1,2,3,4,5]; empty = every day')
    time_from: time | None = Field(None, description="local time; an end before the start crosses midnight")
    time_until: time | None = None
    date_from: date | None = None
    date_until: date | None = None


class SlideIn(DaypartIn):
    kind: SlideKind
    duration: int = Field(15, ge=3, le=600, description="seconds per page")
    categories: list[str] = Field(default_factory=list, description="notice: category codes (empty = all)")
    notice_ids: list[int] = Field(default_factory=list, description="notice: these notices only")
    image_id: int | None = Field(None, description="image: an uploaded slide image")
    link: str | None = Field(None, max_length=500, description="qr: the link the QR code opens",
                             json_schema_extra={"pattern": "^https?://"})   # as web_link holds it
    caption: str = Field("", max_length=120)
    hall: str | None = Field(None, max_length=40, description="queue: the hall's unit code (default: the township's hall)")
    welcome: str = Field("", max_length=120, description="clock: a welcome line")
    video_id: int | None = Field(None, ge=1, le=2**63 - 1, description="video: an approved video (kiosk/video)")
    plays: int = Field(1, ge=1, le=20, description="video: how many times it plays (the slide lasts that long)")

    @field_validator("link")
    @classmethod
    def web_link(cls, value):
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError(_("A QR link starts with https:// or http://."))
        return value


class RotationIn(DaypartIn):
    # What the rotation editor calls each field (kiosk.core.validation names errors by these).
    field_labels: ClassVar[dict] = {
        "name": _l("Name"), "unit": _l("Unit"), "group": _l("Screen group"), "priority": _l("Priority"),
        "enabled": _l("In use"), "slides": _l("Slide"), "kind": _l("Kind"), "duration": _l("Seconds per page"),
        "categories": _l("Categories"), "notice_ids": _l("Notices"), "image_id": _l("Picture"),
        "link": _l("Link"), "caption": _l("Caption"), "hall": _l("Hall"), "welcome": _l("Welcome line"),
        "video_id": _l("Video"), "plays": _l("Plays"),
        "weekdays": _l("Weekdays"), "time_from": _l("Start time"), "time_until": _l("End time"),
        "date_from": _l("First day"), "date_until": _l("Last day")}
    name: str = Field(min_length=1, max_length=80)
    unit: str = Field(min_length=1, max_length=40, description="code of the unit owning the rotation and its group")
    group: str = Field(min_length=1, max_length=40, description="code of the screen group it plays on")
    priority: int = Field(0, ge=-1000, le=1000, description="higher wins when several rotations apply")
    enabled: bool = True
    slides: list[SlideIn] = Field(min_length=1, max_length=100)


class RotationUpdate(RotationIn):
    """updateRotation replaces the whole rotation, so the editor and the files stay simple."""


SLIDE_CONFIG_FIELDS: dict[SlideKind, tuple[str, ...]] = {
    SlideKind.notice: ("categories", "notice_ids"),
    SlideKind.image: ("image_id", "caption"),
    SlideKind.qr: ("link", "caption"),
    SlideKind.queue: ("hall",),
    SlideKind.clock: ("welcome",),
    SlideKind.video: ("video_id", "plays", "caption"),
}
