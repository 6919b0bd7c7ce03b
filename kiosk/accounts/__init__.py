"""Staff accounts, roles, login sessions and API tokens."""


def register(app):
    from kiosk.accounts import api  # noqa: F401  (createToken)
    from kiosk.accounts.views import accounts_bp
    app.register_blueprint(accounts_bp)
