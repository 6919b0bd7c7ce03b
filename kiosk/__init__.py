"""Township kiosk and noticeboard server."""
import os

if os.environ.get("KIOSK_ASYNC_MODE") == "gevent":
    # gevent has to patch the standard library before anything imports socket, ssl or threading.
    try:
        from gevent import monkey
    except ImportError:
        import sys
        sys.stderr.write("kiosk: error: KIOSK_ASYNC_MODE=gevent needs gevent: pip install 'kiosk[gevent]'\n")
        raise SystemExit(2)
    monkey.patch_all()

from kiosk.app import create_app  # noqa: E402

__all__ = ["create_app"]
__version__ = "0.1.0"
