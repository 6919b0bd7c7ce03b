"""The broadcast API: ticker lines, and official warnings (received from a warning source's
platform, listed, approved or rejected, and the units' division codes and approval policy)."""
from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, Field

from kiosk.accounts.models import Role
from kiosk.api import operation
from kiosk.broadcast import tickers, warnings
from kiosk.broadcast.models import AlertOutcome
from kiosk.broadcast.schemas import TickerIn, TickerOut
from kiosk.core.errors import Unauthorized
from kiosk.extensions import db
from kiosk.org.operations import get_unit_by_code
from kiosk.screens.operations import MANAGERS

TAG = "broadcast"


class TickerList(BaseModel):
    tickers: list[TickerOut]


@operation("/tickers", method="GET", operation_id="listTickers", tag=TAG, roles=MANAGERS, response=TickerList,
           summary="Ticker lines (滚动字幕) of your units, current first")
def list_tickers():
    return TickerList(tickers=[tickers.ticker_out(t) for t in tickers.tickers_visible_to(current_user)])


@operation("/tickers", method="POST", operation_id="createTicker", tag=TAG, roles=MANAGERS, body=TickerIn,
           response=TickerOut, status=201, errors=(400, 403, 404, 409),
           summary="Add a ticker line to screen groups (an urgent one is pushed at once and crawls alone); "
                   "its text passes the privacy gate (409 privacy)")
def create_ticker(body: TickerIn):
    ticker = tickers.create_ticker(current_user, body)
    db.session.commit()
    return tickers.ticker_out(ticker)


@operation("/tickers/<int:ticker_id>", method="PUT", operation_id="updateTicker", tag=TAG, roles=MANAGERS,
           body=TickerIn, response=TickerOut, errors=(400, 403, 404, 409),
           summary="Replace a ticker line's text, groups, times, priority and speed")
def update_ticker(ticker_id: int, body: TickerIn):
    ticker = tickers.update_ticker(current_user, tickers.get_ticker_for(current_user, ticker_id), body)
    db.session.commit()
    return tickers.ticker_out(ticker)


@operation("/tickers/<int:ticker_id>/end", method="POST", operation_id="endTicker", tag=TAG, roles=MANAGERS,
           response=TickerOut, errors=(403, 404, 409), summary="End a ticker line now; its screens drop it at once")
def end_ticker(ticker_id: int):
    ticker = tickers.end_ticker(current_user, tickers.get_ticker_for(current_user, ticker_id))
    db.session.commit()
    return tickers.ticker_out(ticker)


# --- official warnings ---------------------------------------------------------------------------------

class PlacementOut(BaseModel):
    id: int
    unit: str
    state: str
    held_for_privacy: bool
    urgent_notice: int | None
    ticker: int | None


class WarningOut(BaseModel):
    id: int
    received_at: str
    received_via: str
    outcome: str
    reason: str
    identifier: str
    sender: str
    msg_type: str
    event: str
    headline: str
    severity: str
    expires: str | None
    area: str
    findings: list[dict]
    placements: list[PlacementOut]


class WarningList(BaseModel):
    warnings: list[WarningOut]


def warning_out(row, user) -> WarningOut:
    return WarningOut(
        id=row.id, received_at=row.received_at.isoformat(), received_via=row.received_via, outcome=row.outcome.value,
        reason=row.reason, identifier=row.identifier, sender=row.sender, msg_type=row.msg_type, event=row.event,
        headline=row.headline, severity=row.severity, expires=row.expires.isoformat() if row.expires else None,
        area=row.area, findings=row.findings or [],
        placements=[PlacementOut(id=p.id, unit=p.unit.code, state=p.state.value, held_for_privacy=p.held_for_privacy,
                                 urgent_notice=p.urgent_id, ticker=p.ticker_id)
                    for p in (row.placements if user is None else warnings.placements_for(user, row))])


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    return header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else None


@operation("/warnings/cap", method="POST", operation_id="receiveWarning", tag=TAG, public=True,
           response=WarningOut, status=201, errors=(401, 413, 422),
           summary="Receive one CAP 1.2 alert (XML body, Content-Type application/cap+xml or application/xml) "
                   "from a warning source's platform, authenticated by the source's own bearer token (not a "
                   "staff token). Every alert is kept and audited: 201 with what became of it, or 422 with the "
                   "reason when it is not a usable CAP alert")
def receive_warning():
    source = warnings.source_for_token(_bearer())
    if source is None:
        raise Unauthorized(_("Send the warning source's bearer token."), code="warning_source")
    limit = current_app.config["KIOSK_WARNING_MAX_BYTES"]
    if (request.content_length or 0) > limit:
        return {"error": "too_large", "message": _("An alert is at most %(n)d bytes.", n=limit)}, 413
    data = request.get_data(cache=False)
    if len(data) > limit:
        return {"error": "too_large", "message": _("An alert is at most %(n)d bytes.", n=limit)}, 413
    row = warnings.receive(data, source, "post")
    db.session.commit()
    if row.outcome == AlertOutcome.malformed:
        return {"error": "cap_invalid", "message": row.reason, "id": row.id}, 422
    return warning_out(row, None)   # the platform sees every unit its alert reached


@operation("/warnings", method="GET", operation_id="listWarnings", tag=TAG, roles=MANAGERS, response=WarningList,
           summary="Every official warning received for your units, whatever became of it, newest first")
def list_warnings():
    return WarningList(warnings=[warning_out(row, current_user) for row in warnings.alerts_visible_to(current_user)])


@operation("/warnings/placements/<int:placement_id>/approve", method="POST", operation_id="approveWarning",
           tag=TAG, roles=MANAGERS, response=WarningOut, errors=(403, 404, 409),
           summary="Show a warning awaiting approval on the unit's screens now (masked where the privacy gate "
                   "found personal data)")
def approve_warning(placement_id: int):
    placement = warnings.approve(current_user, warnings.get_placement_for(current_user, placement_id))
    db.session.commit()
    return warning_out(placement.alert, current_user)


@operation("/warnings/placements/<int:placement_id>/reject", method="POST", operation_id="rejectWarning",
           tag=TAG, roles=MANAGERS, response=WarningOut, errors=(403, 404, 409),
           summary="Do not show a warning awaiting approval")
def reject_warning(placement_id: int):
    placement = warnings.reject(current_user, warnings.get_placement_for(current_user, placement_id))
    db.session.commit()
    return warning_out(placement.alert, current_user)


class PolicyIn(BaseModel):
    approval_required: bool = Field(description="true: each warning waits for one touch of approval")


class PolicyOut(BaseModel):
    unit: str
    approval_required: bool


@operation("/warnings/policies/<unit_code>", method="PUT", operation_id="setWarningPolicy", tag=TAG,
           roles=MANAGERS, body=PolicyIn, response=PolicyOut, errors=(403, 404),
           summary="Whether the unit's warnings show at once or wait for approval (units below follow it "
                   "unless they chose for themselves)")
def set_warning_policy(unit_code: str, body: PolicyIn):
    unit = get_unit_by_code(unit_code)
    warnings.set_policy(current_user, unit, body.approval_required)
    db.session.commit()
    return PolicyOut(unit=unit.code, approval_required=warnings.approval_required(unit))


class DivisionCodeIn(BaseModel):
    division_code: str = Field(max_length=12, description="行政区划代码: 6, 9 or 12 digits; empty clears it")


class DivisionCodeOut(BaseModel):
    unit: str
    division_code: str | None


@operation("/units/<unit_code>/division-code", method="PUT", operation_id="setDivisionCode", tag=TAG,
           roles=(Role.administrator,), body=DivisionCodeIn, response=DivisionCodeOut, errors=(400, 403, 404, 409),
           summary="Set a unit's administrative division code (行政区划代码), by which warnings find it")
def set_division_code(unit_code: str, body: DivisionCodeIn):
    unit = warnings.set_division_code(current_user, get_unit_by_code(unit_code), body.division_code)
    db.session.commit()
    return DivisionCodeOut(unit=unit.code, division_code=unit.division_code)


class SourceIn(BaseModel):
    unit: str = Field(min_length=1, max_length=40, description="the unit whose area (and below) it may warn")
    name: str = Field(min_length=1, max_length=80)
    feed_url: str | None = Field(None, max_length=500, description="a CAP alert or an Atom/RSS feed of them to poll",
                                 json_schema_extra={"pattern": "^https?://"})
    poll_seconds: int = Field(60, ge=15, le=86400)


class SourceOut(BaseModel):
    id: int
    unit: str
    name: str
    feed_url: str | None
    poll_seconds: int
    enabled: bool
    last_polled_at: str | None
    last_error: str
    token: str | None = Field(None, description="only when created: the bearer token its platform sends")


class SourceList(BaseModel):
    sources: list[SourceOut]


def source_out(source, token: str | None = None) -> SourceOut:
    return SourceOut(id=source.id, unit=source.unit.code, name=source.name, feed_url=source.feed_url,
                     poll_seconds=source.poll_seconds, enabled=source.enabled,
                     last_polled_at=source.last_polled_at.isoformat() if source.last_polled_at else None,
                     last_error=source.last_error or "", token=token)


@operation("/warning-sources", method="POST", operation_id="createWarningSource", tag=TAG,
           roles=(Role.administrator,), body=SourceIn, response=SourceOut, status=201, errors=(400, 403, 404),
           summary="Register the platform that sends warnings (its token is shown once) and/or a feed to poll")
def create_warning_source(body: SourceIn):
    source, token = warnings.create_source(current_user, get_unit_by_code(body.unit), body.name, body.feed_url,
                                           body.poll_seconds)
    db.session.commit()
    return source_out(source, token)


@operation("/warning-sources", method="GET", operation_id="listWarningSources", tag=TAG,
           roles=(Role.administrator,), response=SourceList, summary="The warning sources of your units")
def list_warning_sources():
    return SourceList(sources=[source_out(s) for s in warnings.sources_visible_to(current_user)])


@operation("/warning-sources/<int:source_id>/disable", method="POST", operation_id="disableWarningSource",
           tag=TAG, roles=(Role.administrator,), response=SourceOut, errors=(403, 404, 409),
           summary="Switch a warning source off: its token and feed are no longer used")
def disable_warning_source(source_id: int):
    source = warnings.disable_source(current_user, warnings.get_source_for(current_user, source_id))
    db.session.commit()
    return source_out(source)
