"""The append-only record of every staff change."""


def register(app):
    from kiosk.audit import anchor, api  # noqa: F401  (the daily head job; listAuditEntries)
    from kiosk.audit.views import audit_bp
    app.register_blueprint(audit_bp)
