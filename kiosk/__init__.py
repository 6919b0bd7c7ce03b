"""Township kiosk and noticeboard server."""
import os

if os.environ.get("KIOSK_ASYNC_MODE") == "gevent":
    # gevent has to patch the standard library before anything imports socket, ssl or threading.
    from gevent import monkey
    monkey.patch_all()

from kiosk.app import create_app  # noqa: E402

__all__ = ["create_app"]
__version__ = "0.1.0"
