"""The append-only record of every staff change."""


def register(app):
    from kiosk.accounts.permissions import confine_auditors
    from kiosk.audit import anchor, api, archive  # noqa: F401  (the daily head and archive jobs; listAuditEntries)
    from kiosk.audit.views import audit_bp
    app.register_blueprint(audit_bp)
    app.before_request(confine_auditors)

    @app.context_processor
    def public_audit_head():
        """The chain's head for the public guide page, when the township chose to show it."""
        from kiosk.audit.anchor import current_head
        return {"public_audit_head": current_head if app.config["KIOSK_AUDIT_HEAD_PUBLIC"] else None}
