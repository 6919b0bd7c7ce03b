"""Running the server: the app, Socket.IO and (in embedded mode) the one scheduler."""
import logging

from kiosk.extensions import socketio

log = logging.getLogger(__name__)

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


def serve(app, host: str, port: int) -> None:
    start_background_services(app)
    base = f"http://{host}:{port}"
    print("\n".join(f"  {name:<18} {base}{path}" for name, path in ENTRY_POINTS.items()), flush=True)
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False, log_output=False)
