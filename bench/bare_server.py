"""The reference: a bare Flask-SocketIO server that only broadcasts, in the same async mode as the
kiosk server under test. `screens_push.py` starts it, connects the same simulated screens and asks
it to broadcast (POST /broadcast); what that costs is the platform's floor on this machine.

    python bench/bare_server.py PORT threading|gevent
"""
import sys

if sys.argv[2] == "gevent":
    from gevent import monkey
    monkey.patch_all()

from flask import Flask, request  # noqa: E402
from flask_socketio import SocketIO  # noqa: E402

app = Flask(__name__)
socketio = SocketIO(app, async_mode=sys.argv[2], cors_allowed_origins="*")


@app.post("/broadcast")
def broadcast():
    # `bytes`: padding, for a message the size of a screen's state
    socketio.emit("changed", {"reason": "bare", "round": request.json["round"],
                              "padding": "x" * request.json.get("bytes", 0)})
    return {"ok": True}


@app.get("/healthz")
def healthz():
    return {"ok": True}


if __name__ == "__main__":
    socketio.run(app, host="127.0.0.1", port=int(sys.argv[1]), allow_unsafe_werkzeug=True, log_output=False)
