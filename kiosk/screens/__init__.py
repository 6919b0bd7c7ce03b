"""Screens: registration and pairing, groups, rotations, urgent notices, live push and the player."""


def register(app):
    from kiosk.events import before_publish
    from kiosk.screens import api  # noqa: F401  (createScreen, listScreens, ... clearUrgentNotice)
    from kiosk.screens.live import register_handlers
    from kiosk.screens.player import player_bp
    from kiosk.screens.push import on_publish
    from kiosk.screens.views import screens_bp

    app.register_blueprint(player_bp)
    app.register_blueprint(screens_bp)
    register_handlers()
    before_publish(app, on_publish)
