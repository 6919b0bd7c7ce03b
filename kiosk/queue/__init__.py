"""The service-hall queue: numbers, windows, the called-number board with voice, ratings, statistics."""
import os


def register(app):
    from kiosk.queue import api  # noqa: F401  (the API operations)
    from kiosk.queue.realtime import register_handlers
    from kiosk.queue.public import queue_public_bp
    from kiosk.queue.views import queue_bp

    app.config.setdefault("KIOSK_QUEUE_PRINTER", os.environ.get("KIOSK_QUEUE_PRINTER") or None)
    dots = os.environ.get("KIOSK_QUEUE_PRINTER_DOTS", "576")
    if dots not in ("384", "576"):
        raise ValueError(f"KIOSK_QUEUE_PRINTER_DOTS must be 384 (58 mm paper) or 576 (80 mm), not {dots!r}")
    app.config.setdefault("KIOSK_QUEUE_PRINTER_DOTS", int(dots))
    app.register_blueprint(queue_bp)
    app.register_blueprint(queue_public_bp)
    register_handlers()
