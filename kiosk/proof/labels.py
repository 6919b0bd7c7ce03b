"""Words for statuses and gap reasons, shared by the page and the CSV export."""
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from kiosk.proof.certificate import GapReason, Status

STATUS_LABELS = {
    Status.honoured: _l("Period honoured"),
    Status.gaps: _l("Gaps in the period"),
    Status.never_shown: _l("Never shown"),
    Status.never_online: _l("Screen never came online"),
    Status.pending: _l("Period not started"),
}

REASON_LABELS = {
    GapReason.offline: _l("Offline or switched off"),
    GapReason.not_shown: _l("Screen ran without this notice"),
    GapReason.silent: _l("Connected but not reporting"),
}


def hours(delta: timedelta) -> str:
    return f"{delta.total_seconds() / 3600:.2f}"


def duration(delta: timedelta) -> str:
    """6 h 05 min, 45 min, or 30 s for short ones."""
    seconds = round(delta.total_seconds())
    if seconds < 60:
        return _("%(seconds)d s", seconds=seconds)
    h, m = divmod(seconds // 60, 60)
    return _("%(h)d h %(m)02d min", h=h, m=m) if h else _("%(minutes)d min", minutes=m)


def percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"
