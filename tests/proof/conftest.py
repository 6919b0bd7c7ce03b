"""Journey 2 as the records would hold it: the 低保 list published for 7 days to three villages,
their screens connected and reporting every few hours of simulated time, 王家村's screen off for
6 hours on day 3 and 李庄村's link down for 6 hours on day 2 (its player kept cycling and sent
those showings when the link came back)."""
from datetime import datetime, timedelta, timezone

import shutil
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from kiosk.accounts.models import User
from kiosk.core import clock
from kiosk.extensions import db, socketio
from kiosk.org.models import Unit
from kiosk.screens.models import Screen, ScreenKind
from kiosk.screens.operations import reissue_token
from tests.conftest import DEMO_PASSWORD, StaffClient, build_app

SHANGHAI = timezone(timedelta(hours=8))
START = datetime(2026, 12, 7, 8, 0, tzinfo=SHANGHAI)    # a Monday morning
STEP = timedelta(hours=6)
CYCLE = timedelta(minutes=6)        # one turn of the village rotation
TURN = timedelta(seconds=30)        # the list's slide in each turn
DAY_EIGHT = START + timedelta(days=7, hours=2)        # the list left the screens at midnight
VILLAGES = ("wangjia", "lizhuang", "zhang")
# village → (from, until, the player kept showing from its saved state)
OUTAGES = {"wangjia": (START + timedelta(days=2), START + timedelta(days=2, hours=6), False),
           "lizhuang": (START + timedelta(days=1, hours=6), START + timedelta(days=1, hours=12), True)}


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


class Board:
    """One village screen: its device token, its socket while connected, its unsent showings."""

    def __init__(self, app, code: str, token: str):
        self.app, self.code, self.token = app, code, token
        self.socket, self.unsent = None, []

    def connect(self):
        self.socket = socketio.test_client(self.app, namespace="/screens", auth={"token": self.token})
        assert self.socket.is_connected("/screens")

    def disconnect(self):
        self.socket.disconnect(namespace="/screens")
        self.socket = None

    def heartbeat(self):
        if self.socket is not None:
            self.socket.emit("heartbeat", {"version": "test"}, namespace="/screens", callback=True)

    def show(self, notice_id: int, start: datetime, end: datetime, offline: bool):
        moment = start
        while moment < end:
            self.unsent.append({"key": f"s1:n{notice_id}", "kind": "notice", "notice_id": notice_id,
                                "start": ms(moment), "end": ms(moment + TURN), "offline": offline})
            self.unsent.append({"key": "s2", "kind": "qr", "start": ms(moment + TURN), "end": ms(moment + CYCLE),
                                "offline": offline})
            moment += CYCLE

    def send(self, http):
        if self.socket is None or not self.unsent:
            return
        response = http.post("/display/reports", json={"reports": self.unsent}, headers={"X-Screen-Token": self.token})
        assert response.status_code == 200, response.get_json()
        self.unsent = []


def village_boards(app) -> dict[str, Board]:
    """New device tokens for the demo noticeboards of the three villages (as "New player link" does)."""
    boards = {}
    with app.app_context():
        manager = db.session.scalar(select(User).where(User.username == "screens"))
        for code in VILLAGES:
            screen = db.session.scalar(select(Screen).join(Unit).where(
                Unit.code == code, Screen.kind == ScreenKind.noticeboard_portrait))
            boards[code] = Board(app, code, reissue_token(manager, screen))
        db.session.commit()
    return boards


def publish_dibao(staff) -> int:
    editor, reviewer = staff("editor"), staff("reviewer")
    created = editor.api("post", "/api/v1/notices", json={
        "category": "dibao", "title": "2026年12月新增城乡低保对象公示", "body": "王*明 3人 月保障金1860元",
        "formed_on": "2026-12-06", "audience": "villages", "villages": list(VILLAGES)})
    assert created.status_code == 201, created.get_json()
    notice_id = created.get_json()["id"]
    assert editor.api("post", f"/api/v1/notices/{notice_id}/submit", json={}).status_code == 200
    approved = reviewer.api("post", f"/api/v1/notices/{notice_id}/approve", json={})
    assert approved.status_code == 200, approved.get_json()
    return notice_id


def run_days(app, boards: dict[str, Board], notice_id: int, until: datetime) -> None:
    """Move the clock from START to `until` in steps: screens connect, heartbeat, show and report."""
    http = app.test_client()
    moment = clock.now()
    while moment < until:
        for code, board in boards.items():
            outage = OUTAGES.get(code)
            down = outage is not None and outage[0] <= moment < outage[1]
            if down and board.socket is not None:
                board.disconnect()
            elif not down and board.socket is None:
                board.connect()
                board.send(http)          # what it kept while offline
            board.heartbeat()
            if not down or outage[2]:
                board.show(notice_id, moment, moment + STEP, offline=down)
        moment += STEP
        clock.set_now(moment)
        for board in boards.values():
            board.heartbeat()
            board.send(http)


@dataclass
class Journey:
    app: object
    notice_id: int

    def as_user(self, username: str) -> StaffClient:
        return StaffClient(self.app.test_client(), username)

    def token(self, username: str) -> dict:
        response = self.app.test_client().post("/api/v1/tokens", json={"username": username,
                                                                        "password": DEMO_PASSWORD})
        assert response.status_code == 201, response.get_json()
        return {"Authorization": f"Bearer {response.get_json()['token']}"}


@pytest.fixture(scope="module")
def journey_app(tmp_path_factory, demo_db):
    """The demo township after the 低保 list's 7 days, built once for the module's tests (which only read)."""
    instance = tmp_path_factory.mktemp("proof-journey")
    shutil.copy(demo_db, instance / "kiosk.sqlite3")
    app = build_app(instance, KIOSK_REDIS_URL=None)
    clock.set_now(START)
    try:
        notice_id = publish_dibao(lambda username: StaffClient(app.test_client(), username))
        boards = village_boards(app)
        run_days(app, boards, notice_id, DAY_EIGHT)
        for board in boards.values():
            if board.socket is not None:
                board.disconnect()
    finally:
        clock.reset()
    return Journey(app, notice_id)


@pytest.fixture
def journey(journey_app):
    """The journey, looked at on day 8 at 10:00."""
    clock.set_now(DAY_EIGHT)
    return journey_app
