"""The append-only record of every staff change."""


def register(app):
    from kiosk.audit import api  # noqa: F401  (listAuditEntries)
    from kiosk.audit.views import audit_bp
    app.register_blueprint(audit_bp)
