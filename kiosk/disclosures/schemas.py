"""The fields of a notice as staff send them, shared by the API and the edit form."""
from datetime import date, datetime
from typing import ClassVar

from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, ConfigDict, Field

from kiosk.disclosures.models import Audience, PeriodUnit


class NoticeFields(BaseModel):
    """Every field is optional so that the same model serves creating (where the operation
    insists on the required ones) and partial updates."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    # What the edit form calls each field (kiosk.core.validation names errors by these).
    field_labels: ClassVar[dict] = {
        "category": _l("Category"), "unit": _l("Publishing unit"), "title": _l("Title"), "summary": _l("Summary"),
        "body": _l("Text"), "doc_number": _l("Document number"), "formed_on": _l("Date formed"),
        "audience": _l("Where it shows"), "villages": _l("Villages"), "show_from": _l("Show from"),
        "show_until": _l("Show until"), "period_length": _l("Publicity period"), "period_unit": _l("counted in"),
        "pre_disclosure": _l("Pre-disclosure"), "supersedes": _l("Final decision of the pre-disclosure draft"),
        "list_item": _l("Village disclosure list item"),
        "comment_from": _l("Comments from"), "comment_until": _l("Comments until")}

    category: str | None = Field(None, max_length=40, description="category code")
    unit: str | None = Field(None, max_length=40, description="publishing unit code; default: your unit")
    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = Field(None, max_length=500)
    body: str | None = Field(None, max_length=100_000, description="Markdown")
    doc_number: str | None = Field(None, max_length=80, description="文号")
    formed_on: date | None = Field(None, description="形成日期")
    audience: Audience | None = None
    villages: list[str] | None = Field(None, max_length=200, description="village unit codes, for audience=villages")
    show_from: datetime | None = Field(None, description="naive times are local (KIOSK_TIMEZONE)")
    show_until: datetime | None = None
    period_length: int | None = Field(None, ge=1, le=366)
    period_unit: PeriodUnit | None = None
    pre_disclosure: bool | None = Field(None, description="预公开: a draft decision shown for comment")
    supersedes: str | None = Field(None, max_length=16, description="slug of the 预公开 draft this finalises")
    list_item: int | None = Field(None, ge=0, le=2**31 - 1, description="the item of the township's village "
                                  "disclosure list it is filed under (its id; 0: none)")
    comment_from: datetime | None = Field(None, description="a draft for comment: when comments open "
                                                            "(default: when it shows)")
    comment_until: datetime | None = Field(None, description="a draft for comment: when comments close "
                                                             "(required for a draft for comment)")


REQUIRED_ON_CREATE = ("category", "title", "formed_on", "audience")


class NoticeCreate(NoticeFields):
    """createNotice's body: the fields REQUIRED_ON_CREATE must be there (the OpenAPI document says so)."""

    category: str = Field(min_length=1, max_length=40, description="category code")
    title: str = Field(min_length=1, max_length=200)
    formed_on: date = Field(description="形成日期")
    audience: Audience
