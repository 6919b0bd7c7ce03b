"""Township kiosk and noticeboard server.

Importing the package imports nothing else, so `kiosk serve` can patch for gevent first (kiosk/launch.py)."""

__all__ = ["create_app"]
__version__ = "0.1.0"


def __getattr__(name):
    if name == "create_app":
        from kiosk.app import create_app
        return create_app
    raise AttributeError(f"module 'kiosk' has no attribute {name!r}")
