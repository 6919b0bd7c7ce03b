"""The service-hall queue: numbers, windows, the called-number board with voice, ratings, statistics."""
import os


def register(app):
    from kiosk.queue import api  # noqa: F401  (the API operations)
    from kiosk.queue.realtime import register_handlers
    from kiosk.queue.public import queue_public_bp
    from kiosk.queue.views import queue_bp

    app.config.setdefault("KIOSK_QUEUE_PRINTER", os.environ.get("KIOSK_QUEUE_PRINTER") or None)
    app.register_blueprint(queue_bp)
    app.register_blueprint(queue_public_bp)
    register_handlers()
