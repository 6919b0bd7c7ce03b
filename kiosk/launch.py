"""What `kiosk serve` does before anything else is imported: under gevent (the default) it patches
the standard library (socket, ssl, threading, time), which has to happen before Flask, SQLAlchemy,
Redis and the rest import them. Only the serving command patches: the other commands, and any
process merely importing `kiosk` (the test suite: Playwright's driver runs on real threads), stay
unpatched. Imports nothing of the app."""
import os
import sys
from pathlib import Path

DEFAULT_ASYNC_MODE = "gevent"


def is_serving(argv: list[str]) -> bool:
    """`kiosk serve ...` or `python -m kiosk serve ...`, without --dev."""
    program = Path(argv[0]) if argv else Path()
    is_kiosk = program.name == "kiosk" or (program.name == "__main__.py" and program.parent.name == "kiosk")
    return is_kiosk and argv[1:2] == ["serve"] and "--dev" not in argv[2:]


def patch_for_serving(argv: list[str] = sys.argv) -> None:
    if not is_serving(argv) or os.environ.get("KIOSK_ASYNC_MODE", DEFAULT_ASYNC_MODE) != "gevent":
        return
    try:
        from gevent import monkey
    except ImportError:
        sys.stderr.write("kiosk: error: serving needs gevent (pip install kiosk); "
                         "or `kiosk serve --dev` for Werkzeug's development server\n")
        raise SystemExit(2)
    monkey.patch_all()


def is_patched() -> bool:
    if "gevent" not in sys.modules:
        return False
    from gevent import monkey
    return monkey.is_module_patched("socket")


def socketio_mode(configured: str) -> str:
    """The Socket.IO driver this process can run: gevent's only once patched. A process that does
    not serve (`kiosk db`, `kiosk scheduler`, the test suite) only emits, which threading does
    without waiting on a gevent hub nobody runs; `serving.serve` refuses to serve such an app."""
    return "gevent" if configured == "gevent" and is_patched() else "threading"


def off_the_event_loop(function, *args):
    """Run CPU-bound work (OCR) on a real thread under gevent, so every screen's socket keeps
    being served meanwhile; a plain call otherwise."""
    if not is_patched():
        return function(*args)
    import gevent
    return gevent.get_hub().threadpool.apply(function, args)
