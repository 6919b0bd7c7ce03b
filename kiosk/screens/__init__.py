"""Screens: registration and pairing, groups, rotations, urgent notices, live push and the player."""


def register(app):
    from kiosk.events import before_publish
    from kiosk.screens import api  # noqa: F401  (createScreen, listScreens, ... clearUrgentNotice)
    from kiosk.screens import conditions  # noqa: F401  (screens.offline, screens.error, screens.stuck)
    from kiosk.screens.live import register_handlers
    from kiosk.screens.player import player_bp
    from kiosk.screens.push import on_publish
    from kiosk.screens.state import player_version
    from kiosk.screens.uptime_views import uptime_card
    from kiosk.screens.views import screens_bp

    app.register_blueprint(player_bp)
    app.register_blueprint(screens_bp)
    app.jinja_env.globals["screens_uptime_card"] = uptime_card
    app.jinja_env.globals["player_version"] = player_version   # the pages that run display/ code carry it
    register_handlers()
    before_publish(app, on_publish)
