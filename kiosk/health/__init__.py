"""GET /healthz: is the database reachable, is the event bus up, where does the scheduler run."""
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from kiosk import __version__
from kiosk.extensions import db
from kiosk.scheduling import running_scheduler

health_bp = Blueprint("health", __name__)


@health_bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = {"ok": True, "dialect": db.engine.dialect.name}
    except Exception as error:  # any failure to reach the database is what we report
        database = {"ok": False, "dialect": db.engine.dialect.name, "message": str(error.__class__.__name__)}
    bus = current_app.extensions["kiosk_bus"].health()
    scheduler = running_scheduler()
    body = {
        "version": __version__,
        "database": database,
        "event_bus": bus,
        "scheduler": {"mode": current_app.config["KIOSK_SCHEDULER"],
                      "running_here": bool(scheduler and scheduler.running)},
    }
    ok = database["ok"] and bus["ok"]
    return jsonify(body | {"ok": ok}), 200 if ok else 503


def register(app):
    app.register_blueprint(health_bp)
