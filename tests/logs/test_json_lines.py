"""KIOSK_LOG_FORMAT=json: one JSON object per line with the request id, the user and the unit;
plain text otherwise."""
import io
import json
import logging

from flask_login import login_user
from sqlalchemy import select

from kiosk import logs
from kiosk.accounts.models import User
from kiosk.extensions import db


def logged_in_request(app, stream):
    logs.handler().setStream(stream)
    with app.test_request_context("/staff/", headers={"X-Request-ID": "req-42"}):
        app.preprocess_request()
        login_user(db.session.scalar(select(User).where(User.username == "admin")))
        logging.getLogger("kiosk.test").warning("审核通过 %s", "N-1")


def test_json_lines_carry_the_request_id_user_and_unit(make_app, demo_db):
    app = make_app(demo_db, KIOSK_LOG_FORMAT="json")
    logs.configure(app)   # overrides reach the config after create_app configured the log
    stream = io.StringIO()
    logged_in_request(app, stream)
    line = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert line["message"] == "审核通过 N-1" and line["level"] == "WARNING" and line["logger"] == "kiosk.test"
    assert line["request_id"] == "req-42" and line["user"] == "admin" and line["unit"]
    assert app.test_client().get("/healthz", headers={"X-Request-ID": "abc"}).headers["X-Request-ID"] == "abc"


def test_plain_text_by_default(demo_app):
    stream = io.StringIO()
    logged_in_request(demo_app, stream)
    last = stream.getvalue().strip().splitlines()[-1]
    assert last.endswith("WARNING kiosk.test: 审核通过 N-1") and not last.startswith("{")
