"""Every feature's conditions, evaluated together by the engine on the demo township: none fails (the
engine would log it and go on, so only this test notices), and the demo's overdue village item is told."""
import logging

from sqlalchemy import select

from kiosk.extensions import db
from kiosk.incidents.conditions import CONDITIONS
from kiosk.incidents.engine import evaluate
from kiosk.incidents.models import Incident

DECLARED = {"applications.deadline", "broadcast.feed_failing", "broadcast.warning_awaiting", "reports.annual_late",
            "screens.error", "screens.offline", "screens.stuck", "villages.item_due", "villages.item_overdue",
            "villages.question_due", "villages.question_overdue"}


def test_every_declared_condition_runs_on_the_demo_and_opens_what_is_due(demo_app, caplog):
    assert DECLARED <= set(CONDITIONS)
    with demo_app.app_context(), caplog.at_level(logging.ERROR):
        evaluate()
        db.session.commit()
        failed = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
        assert failed == []
        opened = {incident.kind for incident in db.session.scalars(select(Incident))}
    assert "villages.item_overdue" in opened
