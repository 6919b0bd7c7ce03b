"""Metrics read from the database (or the backup folder) at each scrape: the same answer from
every process, so they are collected here rather than counted in each process."""
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select

from kiosk.extensions import db
from kiosk.metrics.registry import ALERTS_OPEN, PRIVACY_CHECKS


class DatabaseCollector:
    def __init__(self, app):
        self.app = app

    def collect(self):
        from kiosk.disclosures.models import Attachment, CheckState
        from kiosk.backups.operations import open_alerts
        from kiosk.incidents.conditions import CONDITIONS
        from kiosk.incidents.models import Incident
        with self.app.app_context():
            counts = dict(db.session.execute(select(Attachment.check_state, func.count())
                                             .group_by(Attachment.check_state)).all())
            alerts = open_alerts()
            incidents = dict(db.session.execute(select(Incident.kind, func.count()).where(
                Incident.closed_at.is_(None)).group_by(Incident.kind)).all())
            db.session.remove()
        checks = GaugeMetricFamily(PRIVACY_CHECKS, "Attachments' privacy checks by state", labels=["state"])
        for state in (CheckState.pending, CheckState.running, CheckState.failed):
            checks.add_metric([state.value], counts.get(state, 0))
        yield checks
        open_now = GaugeMetricFamily(ALERTS_OPEN, "Staff alerts open (backups, and incidents by condition)",
                                     labels=["kind"])
        for kind in ("backup",):
            open_now.add_metric([kind], sum(1 for alert in alerts if alert.kind == kind))
        for kind in sorted(set(CONDITIONS) | set(incidents)):     # kiosk/incidents: e.g. screens.offline
            open_now.add_metric([kind], incidents.get(kind, 0))
        yield open_now
