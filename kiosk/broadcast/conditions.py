"""What someone must be told (the incidents engine acts on these): an official warning waiting for
approval, and a warning feed that cannot be read."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from kiosk.broadcast.models import PlacementState, WarningAlert, WarningPlacement, WarningSource
from kiosk.broadcast.warnings import warning_title
from kiosk.extensions import db
from kiosk.incidents.conditions import Finding, condition
from kiosk.privacy import mask_text

MANAGERS = ("screen_manager", "administrator")
APPROVAL_PAGE = "/staff/broadcast/warnings/approve"


@condition("broadcast.warning_awaiting", label=_l("Official warning awaiting approval"), roles=MANAGERS,
           digest=False)
def warnings_awaiting(now):
    rows = db.session.scalars(select(WarningPlacement).join(WarningAlert).where(
        WarningPlacement.state == PlacementState.awaiting,
        WarningAlert.expires.is_(None) | (WarningAlert.expires > now)))
    for placement in rows:
        yield Finding(key=f"warning:{placement.id}", unit_id=placement.unit_id,
                      title=_("Official warning awaiting approval: %(title)s",
                              title=mask_text(warning_title(placement.alert))),
                      detail=_("Until it is approved it is not on the screens of %(unit)s.", unit=placement.unit.name),
                      link=APPROVAL_PAGE)


@condition("broadcast.feed_failing", label=_l("Warning feed cannot be read"), roles=("administrator",))
def feeds_failing(now):
    rows = db.session.scalars(select(WarningSource).where(WarningSource.enabled.is_(True),
                                                          WarningSource.feed_url.is_not(None),
                                                          WarningSource.last_error != ""))
    for source in rows:
        yield Finding(key=f"warning-source:{source.id}", unit_id=source.unit_id,
                      title=_("Warning feed %(name)s cannot be read", name=source.name), detail=source.last_error)
