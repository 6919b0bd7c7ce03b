"""Disclosures (政务公开 / 村务公开): categories, the notice lifecycle from draft to archive,
review, schedule, publicity periods, the privacy gate, attachments and timeliness.

The public pages (catalogue, notice page, comments) build on these models and on `feed.py`.
"""


def register(app):
    from kiosk.disclosures import api, jobs  # noqa: F401  (operations; the show/expire job)
    from kiosk.disclosures.views import disclosures_bp, files_bp
    app.register_blueprint(disclosures_bp)
    app.register_blueprint(files_bp)
    _name_values_for_the_audit_log()


def _name_values_for_the_audit_log():
    from kiosk.audit.sentences import name_values
    from kiosk.disclosures import operations as ops
    from kiosk.disclosures.models import Audience, Category, NoticeState, PeriodUnit, RevisionState
    from kiosk.extensions import db
    from kiosk.org.models import Unit

    def unit_names(ids):
        return "、".join(unit.name for unit in (db.session.get(Unit, i) for i in ids) if unit)

    name_values(state=lambda v: ops.state_label(NoticeState(v)),
                revision_state=lambda v: ops.revision_label(RevisionState(v)),
                audience=lambda v: ops.audience_label(Audience(v)), period_unit=lambda v: ops.unit_label(PeriodUnit(v)),
                min_period_unit=lambda v: ops.unit_label(PeriodUnit(v)),
                category_id=lambda v: db.session.get(Category, v).name, audience_unit_ids=unit_names)
