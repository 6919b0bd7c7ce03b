"""Running the server: the app, Socket.IO and (in embedded mode) the one scheduler."""
import gc
import ipaddress
import logging
import socket
from urllib.parse import urlsplit

from kiosk.extensions import socketio

log = logging.getLogger(__name__)

# Python's defaults are (700, 10, 10): a full pass every 70,000 net allocations or so; this is
# one every 7,000,000 (minutes apart under load). Cycles are still collected young, at gen 0 and 1.
GC_THRESHOLDS = (7000, 10, 100)

# What a person opens, by path; features add theirs (the player, the hall board, the kiosk).
ENTRY_POINTS: dict[str, str] = {
    "Staff pages": "/staff/",
    "API description": "/api/v1/openapi.json",
    "Health": "/healthz",
    "Screen pairing": "/display/",
    "Screen player": "/display/player",
    "Hall board": "/hall/jinjia-hall/board",
    "Hall ticket page": "/hall/jinjia-hall/ticket",
    "Window 1 (clerk)": "/queue/windows/1",
    "Public catalogue": "/",
    "Disclosure guide": "/guide",
    "Complaints (public)": "/supervision",
}


def start_background_services(app) -> None:
    """What a serving process starts besides answering requests."""
    from kiosk.screens.presence import start_heartbeat_writer
    from kiosk.screens.push import start_pushing_in_background
    start_heartbeat_writer(app)
    start_pushing_in_background(app)
    if app.config["KIOSK_SCHEDULER"] == "embedded":
        from kiosk import scheduling
        scheduling.start(app)
    else:
        log.info("scheduler is external: run `kiosk scheduler` once for the whole deployment")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _outward_address() -> str:
    """This machine's address on the network it would reach others through (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


# Why public links may not open on a phone; the staff dashboard shows these in its own words.
PUBLIC_URL_WARNINGS = {
    "loopback_url": "KIOSK_PUBLIC_URL is {url}, a loopback address, but the server listens on {host}: "
                    "phones and screens cannot open the QR codes' links. Set KIOSK_PUBLIC_URL to the address they use.",
    "unset_url": "KIOSK_PUBLIC_URL is not set and the server listens on {host}: QR codes link to {url}. "
                 "Set KIOSK_PUBLIC_URL if phones and screens reach this server by another name or address.",
}


def settle_public_url(app, host: str, port: int) -> list[str]:
    """Point public links at the address being served when KIOSK_PUBLIC_URL is unset, and say
    (as warning codes) when the links and the listening address disagree."""
    listening_publicly = not is_loopback(host)
    if app.config["KIOSK_PUBLIC_URL_SET"]:
        configured_host = urlsplit(app.config["KIOSK_PUBLIC_URL"]).hostname or ""
        warnings = ["loopback_url"] if listening_publicly and is_loopback(configured_host) else []
    else:
        shown_host = _outward_address() if host in ("0.0.0.0", "::", "") else host
        app.config["KIOSK_PUBLIC_URL"] = f"http://{_url_host(shown_host)}:{port}"
        warnings = ["unset_url"] if listening_publicly else []
    app.config["KIOSK_PUBLIC_URL_WARNINGS"] = warnings
    for code in warnings:
        log.warning(PUBLIC_URL_WARNINGS[code].format(url=app.config["KIOSK_PUBLIC_URL"], host=host))
    return warnings


def freeze_startup_heap() -> None:
    """Keep what start-up built (the app, its catalogues, the pinyin dictionaries: some 350,000
    objects living as long as the process) out of the garbage collector's full passes, and make
    those passes rarer: each one holds the whole process, every screen's socket with it (100-300 ms
    at 1,000 screens before, every 10-20 s)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def _start(app, host: str, port: int, server: str) -> None:
    settle_public_url(app, host, port)
    start_background_services(app)
    freeze_startup_heap()
    base = f"http://{_url_host(host)}:{port}"
    print(f"kiosk: serving with {server} on {base}", flush=True)
    print("\n".join(f"  {name:<18} {base}{path}" for name, path in ENTRY_POINTS.items()), flush=True)
    print(f"  {'QR code links':<18} {app.config['KIOSK_PUBLIC_URL']}/", flush=True)


def serve(app, host: str, port: int) -> None:
    """The production server: gevent's WSGI server, WebSockets through simple-websocket."""
    if socketio.server.eio.async_mode != "gevent":
        raise RuntimeError("serving needs the process patched for gevent first: start it with `kiosk serve`")
    import gevent
    _start(app, host, port, f"gevent {gevent.__version__} (production)")
    socketio.run(app, host=host, port=port, use_reloader=False, log_output=False)


def serve_dev(app, host: str, port: int) -> None:
    """`kiosk serve --dev`: Werkzeug's development server, a thread per request and per socket."""
    _start(app, host, port, "Werkzeug's development server (--dev: threads, not for production)")
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False, log_output=False)
