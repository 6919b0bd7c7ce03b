"""Official warnings (预警信息): every CAP alert received is kept with what became of it.

An alert is read by `cap.parse`; its areas' administrative division codes (行政区划代码) are matched
to units (`Unit.division_code`: a code covers every code that starts with it, so a county's code
covers its townships and villages); in each matched unit it becomes a placement: Extreme and
Severe alerts a full-screen urgent notice (kiosk/screens/urgent.py), Moderate and Minor ones an
urgent ticker line, on the screen groups of the unit and the units below it, until `expires`.
A unit may want one touch of approval first (`WarningPolicy`); a warning whose text trips the
privacy gate always waits for it, and is then shown masked. Update and Cancel messages end the
alerts named in `references` (an Update then shows itself in their place)."""
import hashlib
import secrets
from datetime import datetime, timezone

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from kiosk import privacy
from kiosk.accounts.models import Role, User
from kiosk.accounts.permissions import ensure_can_act_on, ensure_role
from kiosk.audit.operations import audited, record_change
from kiosk.broadcast import cap, tickers
from kiosk.broadcast.models import (AlertOutcome, PlacementState, WarningAlert, WarningPlacement, WarningPolicy,
                                    WarningSource)
from kiosk.core import clock
from kiosk.core.errors import Conflict, InvalidInput, NotFound
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.screens.models import ScreenGroup
from kiosk.screens.operations import ensure_manager
from kiosk.screens.urgent import end_urgent, push_urgent

OUTCOME_LABELS = {
    AlertOutcome.placed: _l("placed"), AlertOutcome.malformed: _l("rejected: malformed"),
    AlertOutcome.unknown_area: _l("unknown area"), AlertOutcome.expired: _l("expired on arrival"),
    AlertOutcome.not_actual: _l("not shown (test, exercise or system message)"),
    AlertOutcome.duplicate: _l("duplicate"), AlertOutcome.cancel: _l("cancellation"),
    AlertOutcome.unknown_reference: _l("names no alert we have"), AlertOutcome.ended: _l("ended at its expiry"),
    AlertOutcome.replaced: _l("replaced by an update"), AlertOutcome.cancelled: _l("cancelled")}
PLACEMENT_LABELS = {PlacementState.awaiting: _l("awaiting approval"), PlacementState.shown: _l("shown"),
                    PlacementState.rejected: _l("not shown (rejected by staff)"), PlacementState.ended: _l("ended")}
# The segments of a 12-digit division code: province, city, county, township, village.
SEGMENTS = (2, 2, 2, 3, 3)
MAX_TEXT = 2000


# --- division codes ------------------------------------------------------------------------------------

def division_prefix(code: str | None) -> str | None:
    """A division code (6, 9 or 12 digits) as the prefix every code inside it starts with:
    "330102" → "330102", "330102001000" → "330102001", "330100000000" → "3301"; None if not one."""
    code = (code or "").strip()
    if not code.isdigit() or not code.isascii() or len(code) not in (6, 9, 12):
        return None
    code = code.ljust(12, "0")
    cuts, at = [], 0
    for size in SEGMENTS:
        at += size
        cuts.append(at)
    kept = 0
    for cut, size in zip(cuts, SEGMENTS):
        if code[cut - size:cut] != "0" * size:
            kept = cut
    return code[:kept] if kept else None


def set_division_code(user: User, unit: Unit, code: str) -> Unit:
    """An administrator of the unit sets its 行政区划代码 (empty clears it)."""
    ensure_role(user, Role.administrator)
    ensure_can_act_on(user, unit)
    code = code.strip()
    if code and division_prefix(code) is None:
        raise InvalidInput(_("A division code is 6, 9 or 12 digits (e.g. 330102 or 330102001000)."),
                           details={"field": "division_code"})
    if code:
        taken = db.session.scalar(select(Unit).where(Unit.division_code == code, Unit.id != unit.id))
        if taken is not None:
            raise Conflict(_("%(unit)s already has the division code %(code)s.", unit=taken.name, code=code))
    with audited("unit.division_code", unit):
        unit.division_code = code or None
    return unit


def units_for(codes: list[str], within: Unit) -> list[Unit]:
    """The units inside `within` whose division codes lie in the areas `codes` name, without any
    unit below another found one (its screens are already in the upper one's groups)."""
    prefixes = {p for p in (division_prefix(code) for code in codes) if p}
    if not prefixes:
        return []
    coded = db.session.scalars(select(Unit).where(Unit.division_code.is_not(None),
                                                  Unit.path.startswith(within.path)).order_by(Unit.path))
    found = [unit for unit in coded if any((division_prefix(unit.division_code) or "").startswith(p)
                                           for p in prefixes)]
    return [unit for unit in found if not any(other is not unit and other.contains(unit) for other in found)]


def groups_for(unit: Unit) -> list[ScreenGroup]:
    """The screen groups of the unit and the units below it: where its warnings show."""
    return list(db.session.scalars(select(ScreenGroup).join(Unit).where(Unit.path.startswith(unit.path))
                                   .order_by(ScreenGroup.id)))


# --- the approval policy -------------------------------------------------------------------------------

def approval_required(unit: Unit) -> bool:
    """The unit's own choice, else the nearest unit above it that made one; else show at once."""
    current = unit
    while current is not None:
        policy = db.session.get(WarningPolicy, current.id)
        if policy is not None:
            return policy.approval_required
        current = current.parent
    return False


def set_policy(user: User, unit: Unit, required: bool) -> WarningPolicy:
    ensure_manager(user, unit)
    policy = db.session.get(WarningPolicy, unit.id)
    if policy is None:
        policy = WarningPolicy(unit_id=unit.id, approval_required=required)
        db.session.add(policy)
        db.session.flush()
        record_change("warning.policy", policy)
    else:
        with audited("warning.policy", policy):
            policy.approval_required = required
    return policy


# --- sources -------------------------------------------------------------------------------------------

def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_source(user: User, unit: Unit, name: str, feed_url: str | None, poll_seconds: int = 60
                  ) -> tuple[WarningSource, str]:
    """A platform that may send warnings for `unit` and below; returns it and its token (shown once)."""
    ensure_role(user, Role.administrator)
    ensure_can_act_on(user, unit)
    name = name.strip()
    if not name:
        raise InvalidInput(_("Give the source a name."), details={"field": "name"})
    if feed_url and not feed_url.startswith(("https://", "http://")):
        raise InvalidInput(_("A feed address starts with https:// or http://."), details={"field": "feed_url"})
    token = secrets.token_urlsafe(32)
    source = WarningSource(unit=unit, name=name[:80], token_hash=token_digest(token), feed_url=feed_url or None,
                           poll_seconds=poll_seconds, enabled=True, seen=[])
    db.session.add(source)
    db.session.flush()
    record_change("warning.source.create", source)
    return source, token


def disable_source(user: User, source: WarningSource) -> WarningSource:
    ensure_role(user, Role.administrator)
    ensure_can_act_on(user, source.unit)
    if not source.enabled:
        raise Conflict(_("This warning source is already switched off."))
    with audited("warning.source.disable", source):
        source.enabled = False
    return source


def source_for_token(token: str | None) -> WarningSource | None:
    if not token or len(token) > 200:
        return None
    return db.session.scalar(select(WarningSource).where(WarningSource.token_hash == token_digest(token),
                                                         WarningSource.enabled.is_(True)))


def sources_visible_to(user: User) -> list[WarningSource]:
    return list(db.session.scalars(select(WarningSource).join(Unit).where(Unit.path.startswith(user.unit.path))
                                   .order_by(WarningSource.id)))


def get_source_for(user: User, source_id: int) -> WarningSource:
    source = db.session.get(WarningSource, source_id)
    if source is None or not user.unit.contains(source.unit):
        raise NotFound(_("No such warning source."))
    return source


# --- receiving -----------------------------------------------------------------------------------------

def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(timezone.utc)


def receive(data: bytes, source: WarningSource, via: str) -> WarningAlert:
    """Record an alert and act on it; whatever becomes of it is in its `outcome` and `reason`."""
    row = WarningAlert(source=source, received_via=via, received_at=clock.now(),
                       digest=hashlib.sha256(data).hexdigest(), outcome=AlertOutcome.malformed)
    db.session.add(row)
    try:
        alert = cap.parse(data)
    except cap.CapError as error:
        row.reason = str(error)
        db.session.flush()
        record_change("warning.receive", row, reason=row.reason)
        return row
    _copy(row, alert)
    row.outcome, row.reason = _act(row, alert, source)
    db.session.flush()
    record_change("warning.receive", row, reason=row.reason)
    return row


def _copy(row: WarningAlert, alert: cap.Alert) -> None:
    row.identifier, row.sender, row.sent = alert.identifier[:255], alert.sender[:255], _utc(alert.sent)
    row.status, row.msg_type, row.scope = alert.status, alert.msg_type, alert.scope
    row.references = " ".join(f"{sender},{identifier}" for sender, identifier in alert.references)
    row.event, row.headline = alert.event[:255], alert.headline[:255]
    row.description, row.instruction = alert.description[:MAX_TEXT], alert.instruction[:MAX_TEXT]
    row.sender_name = alert.sender_name[:255]
    row.severity, row.urgency, row.certainty = alert.severity, alert.urgency, alert.certainty
    row.expires, row.area = _utc(alert.expires), alert.area
    row.geocodes = [list(pair) for pair in alert.geocodes]


def _act(row: WarningAlert, alert: cap.Alert, source: WarningSource) -> tuple[AlertOutcome, str]:
    earlier = db.session.scalar(select(WarningAlert.id).where(
        WarningAlert.sender == row.sender, WarningAlert.identifier == row.identifier, WarningAlert.id != row.id,
        WarningAlert.outcome != AlertOutcome.malformed))
    if earlier is not None:
        return AlertOutcome.duplicate, _("The same alert (sender and identifier) arrived before as no. %(id)s.",
                                         id=earlier)
    if alert.status != "Actual" or alert.msg_type in ("Ack", "Error"):
        return AlertOutcome.not_actual, _("Status %(status)s, message type %(type)s: not for the screens.",
                                          status=alert.status, type=alert.msg_type)
    notes = []
    if alert.msg_type in ("Update", "Cancel"):
        referenced = _referenced(alert)
        if not referenced and alert.msg_type == "Cancel":
            return AlertOutcome.unknown_reference, _("It cancels %(refs)s, which never arrived here.",
                                                     refs=row.references)
        outcome = AlertOutcome.replaced if alert.msg_type == "Update" else AlertOutcome.cancelled
        for old in referenced:
            _end_alert(old, outcome, _("%(type)s no. %(id)s", type=alert.msg_type, id=row.id))
        notes.append(_("Ends no. %(ids)s.", ids=", ".join(str(old.id) for old in referenced)) if referenced
                     else _("The alert it updates never arrived here; shown as a new one."))
        if alert.msg_type == "Cancel":
            return AlertOutcome.cancel, " ".join(notes)
    if row.expires is not None and row.expires <= clock.now():
        return AlertOutcome.expired, " ".join(notes + [_("It expired before it arrived.")])
    codes = alert.division_codes
    units = [u for u in units_for(codes, source.unit) if groups_for(u)]
    if not units:
        return AlertOutcome.unknown_area, " ".join(notes + [_(
            "No unit of %(scope)s with screens has the division codes %(codes)s.", scope=source.unit.name,
            codes=", ".join(codes) or _("(none given)"))])
    row.findings = [finding.public_dict() for finding in privacy.find_in_fields(_public_texts(row))]
    for unit in units:
        _place(row, unit)
    return AlertOutcome.placed, " ".join(notes)


def _referenced(alert: cap.Alert) -> list[WarningAlert]:
    found = []
    for sender, identifier in alert.references:
        found += db.session.scalars(select(WarningAlert).where(
            WarningAlert.sender == sender, WarningAlert.identifier == identifier,
            WarningAlert.outcome == AlertOutcome.placed))
    return found


def _public_texts(row: WarningAlert) -> dict[str, str]:
    return {_("Warning title"): warning_title(row), _("Warning text"): warning_body(row), _("Issued by"): row.sender_name}


def warning_title(row: WarningAlert) -> str:
    return (row.headline or row.event)[:120]


def warning_body(row: WarningAlert) -> str:
    return "\n".join(part for part in (row.description, row.instruction) if part)[:MAX_TEXT]


def _place(row: WarningAlert, unit: Unit) -> WarningPlacement:
    held = bool(row.findings)
    waits = held or approval_required(unit)
    placement = WarningPlacement(alert=row, unit=unit, state=PlacementState.awaiting if waits else PlacementState.shown,
                                 held_for_privacy=held)
    db.session.add(placement)
    db.session.flush()
    if not waits:
        _show(placement, None)
    record_change("warning.place", placement, reason=row.reason)
    return placement


def _show(placement: WarningPlacement, by: int | None) -> None:
    """Put the warning on the unit's screens: full screen for Extreme and Severe, else a ticker line.
    Text the gate found personal data in goes out masked."""
    row = placement.alert
    title, body = privacy.mask_text(warning_title(row)), privacy.mask_text(warning_body(row))
    reason = _("Official warning no. %(id)s (%(identifier)s)", id=row.id, identifier=row.identifier)
    groups = groups_for(placement.unit)
    if row.full_screen:
        issued_by = privacy.mask_text(row.sender_name)
        placement.urgent = push_urgent(placement.unit, title, "\n".join(p for p in (body, issued_by) if p), groups,
                                       row.expires, by, reason)
    else:
        line = f"【{row.event}】{title}：{body}" if title != row.event else f"【{row.event}】{body}"
        placement.ticker = tickers.start_official(placement.unit, line.replace("\n", " "), groups, row.expires, by,
                                                  reason)
    placement.state = PlacementState.shown


def _take_down(placement: WarningPlacement, reason: str) -> None:
    """Off the screens now (what already reached its end left them by itself)."""
    now = clock.now()
    if placement.urgent is not None and placement.urgent.active_at(now):
        end_urgent(placement.urgent, reason)
    if placement.ticker is not None and placement.ticker.live_at(now):
        tickers.finish(placement.ticker, "ticker.end", reason)


def _end_alert(row: WarningAlert, outcome: AlertOutcome, reason: str) -> None:
    for placement in row.placements:
        if placement.state in (PlacementState.shown, PlacementState.awaiting):
            _take_down(placement, reason)
            with audited("warning.end", placement, reason):
                placement.state = PlacementState.ended
    with audited("warning.end", row, reason):
        row.outcome = outcome


# --- approval ------------------------------------------------------------------------------------------

def get_placement_for(user: User, placement_id: int) -> WarningPlacement:
    placement = db.session.get(WarningPlacement, placement_id)
    if placement is None or not user.unit.contains(placement.unit):
        raise NotFound(_("No such warning."))
    return placement


def _awaiting(user: User, placement: WarningPlacement) -> None:
    ensure_manager(user, placement.unit)
    if placement.state != PlacementState.awaiting:
        raise Conflict(_("This warning is no longer awaiting approval (%(state)s).",
                         state=PLACEMENT_LABELS[placement.state]))
    if placement.alert.expires is not None and placement.alert.expires <= clock.now():
        raise Conflict(_("This warning has expired."))


def approve(user: User, placement: WarningPlacement) -> WarningPlacement:
    _awaiting(user, placement)
    with audited("warning.approve", placement):
        placement.decided_by, placement.decided_at = user.id, clock.now()
        _show(placement, user.id)
    return placement


def reject(user: User, placement: WarningPlacement) -> WarningPlacement:
    _awaiting(user, placement)
    with audited("warning.reject", placement):
        placement.decided_by, placement.decided_at = user.id, clock.now()
        placement.state = PlacementState.rejected
    return placement


def awaiting_for(user: User) -> list[WarningPlacement]:
    return list(db.session.scalars(select(WarningPlacement).join(Unit).where(
        Unit.path.startswith(user.unit.path), WarningPlacement.state == PlacementState.awaiting)
        .order_by(WarningPlacement.id.desc())))


def alerts_visible_to(user: User, limit: int = 200) -> list[WarningAlert]:
    """The alerts of the user's units: from a source of theirs, placed in one of them, or from a source
    above them and placed nowhere (malformed, unknown area, expired ...). An alert placed only in
    another township is that township's."""
    below = select(Unit.id).where(Unit.path.startswith(user.unit.path))
    placed_here = select(WarningPlacement.alert_id).where(WarningPlacement.unit_id.in_(below))
    placed = select(WarningPlacement.alert_id)
    above = [unit.id for unit in _chain(user.unit)]
    return list(db.session.scalars(select(WarningAlert).join(WarningSource).where(
        WarningSource.unit_id.in_(below) | WarningAlert.id.in_(placed_here)
        | (WarningSource.unit_id.in_(above) & WarningAlert.id.not_in(placed)))
        .order_by(WarningAlert.id.desc()).limit(limit)))


def placements_for(user: User, row: WarningAlert) -> list[WarningPlacement]:
    return [placement for placement in row.placements if user.unit.contains(placement.unit)]


def _chain(unit: Unit) -> list[Unit]:
    found = []
    while unit is not None:
        found.append(unit)
        unit = unit.parent
    return found


# --- expiry --------------------------------------------------------------------------------------------

def expire_due() -> int:
    """End the placed alerts whose `expires` has passed (their urgent notices and tickers already left
    the screens at that instant, by the state's own end times): the list and the log say so."""
    now = clock.now()
    due = db.session.scalars(select(WarningAlert).where(WarningAlert.outcome == AlertOutcome.placed,
                                                        WarningAlert.expires <= now))
    count = 0
    for row in due:
        _end_alert(row, AlertOutcome.ended, _("expired"))
        count += 1
    return count


def next_expiry() -> datetime | None:
    return db.session.scalar(select(WarningAlert.expires).where(WarningAlert.outcome == AlertOutcome.placed,
                                                                WarningAlert.expires.is_not(None))
                             .order_by(WarningAlert.expires).limit(1))
