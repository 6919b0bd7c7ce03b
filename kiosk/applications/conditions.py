"""What someone must be told about applications (the incidents engine acts on it): the handler, as an
application's due date nears (within 3 working days) and once it has passed; the township's reviewer
sees the same on the dashboard."""
from collections.abc import Iterator
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from kiosk.applications.operations import due_soon_or_overdue
from kiosk.incidents.conditions import Finding, condition


@condition("applications.deadline", label=_l("Application for information due soon or overdue"),
           roles=("reviewer",))
def deadlines(now: datetime) -> Iterator[Finding]:
    for item in due_soon_or_overdue(now):
        application = item.application
        if item.overdue:
            title = _("%(reference)s is overdue: the answer was due on %(day)s",
                      reference=application.reference, day=application.due_on.isoformat())
        else:
            title = _("%(reference)s is due on %(day)s (%(count)s working days left)",
                      reference=application.reference, day=application.due_on.isoformat(),
                      count=item.working_days_left)
        yield Finding(key=f"application:{application.id}:{'overdue' if item.overdue else 'due'}",
                      unit_id=application.unit_id, title=title,
                      link=f"/staff/applications/{application.id}",
                      user_ids=(application.handler_id,) if application.handler_id else ())
