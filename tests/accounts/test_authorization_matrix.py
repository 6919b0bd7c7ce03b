"""Every API operation × every demo role × three places, against a table a reviewer can read.

The places are 李庄村 (the village clerk `lizhuang`'s own village, in 金家镇), 王家村 (another
village of 金家镇) and 白水村 of 银河镇 (another township of the county, added for this test). Queue
operations act on the hall of the place's township. Each cell says whether the caller gets past
the permission checks: "+" (any answer but 401, 403 or 404: done, or refused by a rule such as a
ticket in the wrong state) or "-" (401, 403 or 404: the caller may not, or may not even see it).
Objects are created fresh for every call by the county administrator, so no cell depends on another.
"""
import io
import itertools
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image
from sqlalchemy import select

from kiosk.accounts.models import Role
from kiosk.accounts.operations import create_user
from kiosk.api.registry import OPERATIONS
from kiosk.core import clock
from kiosk.demo.township import DEMO_PASSWORD
from kiosk.extensions import db
from kiosk.org.models import UnitKind
from kiosk.queue.models import FollowUp, Rating, Ticket
from kiosk.queue.operations import rating_code
from kiosk.org.operations import create_unit, get_unit_by_code
from kiosk.workdays.calendar import is_working_day

ROLES = ("admin", "editor", "reviewer", "screens", "window1", "lizhuang", "anonymous")
PLACES = ("their village", "another village", "another township")

# operationId: one string per role in ROLES order, one character per place in PLACES order.
#                          admin  editor reviewer screens window1 lizhuang anonymous
EXPECTED = {
    # accounts and tokens
    "createToken":          ("+++", "+++", "+++", "+++", "+++", "+++", "+++"),  # public: logs in
    "changeOwnPassword":    ("+++", "+++", "+++", "+++", "+++", "+++", "---"),  # one's own, anywhere
    "listTokens":           ("+++", "---", "---", "---", "---", "---", "---"),  # of an account at the place
    "revokeToken":          ("+++", "---", "---", "---", "---", "---", "---"),
    "listUsers":            ("+++", "---", "---", "---", "---", "---", "---"),
    "createUser":           ("+++", "---", "---", "---", "---", "---", "---"),
    "updateUser":           ("+++", "---", "---", "---", "---", "---", "---"),
    "listAuditEntries":     ("+++", "+++", "+++", "+++", "+++", "+++", "---"),  # filtered, never refused
    # county-wide data: only the county administrator changes it
    "listCategories":       ("+++", "+++", "+++", "+++", "+++", "+++", "---"),
    "saveCategory":         ("+++", "---", "---", "---", "---", "---", "---"),
    "listHolidays":         ("+++", "+++", "+++", "+++", "+++", "+++", "---"),
    "setHoliday":           ("+++", "---", "---", "---", "---", "---", "---"),
    "deleteHoliday":        ("+++", "---", "---", "---", "---", "---", "---"),
    # notices
    "createNotice":         ("+++", "++-", "---", "---", "---", "+--", "---"),
    "listNotices":          ("+++", "+++", "+++", "+++", "+++", "+++", "---"),  # filtered, never refused
    "getNotice":            ("+++", "++-", "++-", "++-", "---", "+--", "---"),
    "updateNotice":         ("+++", "++-", "---", "---", "---", "+--", "---"),
    "submitNotice":         ("+++", "++-", "---", "---", "---", "+--", "---"),
    "approveNotice":        ("---", "---", "++-", "---", "---", "---", "---"),
    "returnNotice":         ("---", "---", "++-", "---", "---", "---", "---"),
    "withdrawNotice":       ("+++", "++-", "++-", "---", "---", "+--", "---"),
    "archiveNotice":        ("+++", "++-", "---", "---", "---", "+--", "---"),
    "maskNoticeFindings":   ("+++", "++-", "---", "---", "---", "+--", "---"),
    "uploadAttachment":     ("+++", "++-", "---", "---", "---", "+--", "---"),
    "removeAttachment":     ("+++", "++-", "---", "---", "---", "+--", "---"),
    "redactAttachment":     ("+++", "++-", "---", "---", "---", "+--", "---"),  # the privacy gate
    "checkAttachmentAgain": ("+++", "++-", "---", "---", "---", "+--", "---"),
    "getDisplayCertificate": ("+++", "++-", "++-", "++-", "---", "+--", "---"),
    "listPublicNotices":    ("+++", "+++", "+++", "+++", "+++", "+++", "+++"),  # public
    "createComment":        ("+++", "+++", "+++", "+++", "+++", "+++", "+++"),  # public
    "listComments":         ("+++", "+++", "+++", "---", "---", "+++", "---"),  # filtered, never refused
    "answerComment":        ("+++", "++-", "++-", "---", "---", "+--", "---"),
    # screens
    "listScreens":          ("+++", "---", "---", "+++", "---", "---", "---"),  # filtered, never refused
    "createScreen":         ("+++", "---", "---", "++-", "---", "---", "---"),
    "getScreen":            ("+++", "---", "---", "++-", "---", "---", "---"),
    "revokeScreen":         ("+++", "---", "---", "++-", "---", "---", "---"),
    "pairScreen":           ("+++", "---", "---", "++-", "---", "---", "---"),
    "listScreenGroups":     ("+++", "---", "---", "+++", "---", "---", "---"),
    "createScreenGroup":    ("+++", "---", "---", "++-", "---", "---", "---"),
    "listRotations":        ("+++", "---", "---", "+++", "---", "---", "---"),
    "createRotation":       ("+++", "---", "---", "++-", "---", "---", "---"),
    "updateRotation":       ("+++", "---", "---", "++-", "---", "---", "---"),
    "deleteRotation":       ("+++", "---", "---", "++-", "---", "---", "---"),
    "createUrgentNotice":   ("+++", "---", "---", "++-", "---", "---", "---"),
    "getUrgentNotice":      ("+++", "---", "---", "++-", "---", "---", "---"),
    "clearUrgentNotice":    ("+++", "---", "---", "++-", "---", "---", "---"),
    "uploadSlideImage":     ("+++", "---", "---", "++-", "---", "---", "---"),
    # queue (the hall of the place's township)
    "listServices":         ("+++", "+++", "+++", "+++", "+++", "+++", "+++"),  # public
    "getHallStatus":        ("+++", "+++", "+++", "+++", "+++", "+++", "+++"),  # public
    "createService":        ("+++", "---", "---", "---", "---", "---", "---"),
    "updateService":        ("+++", "---", "---", "---", "---", "---", "---"),
    "listWindows":          ("+++", "---", "---", "---", "++-", "---", "---"),
    "createWindow":         ("+++", "---", "---", "---", "---", "---", "---"),
    "updateWindow":         ("+++", "---", "---", "---", "---", "---", "---"),
    "getWindow":            ("+++", "---", "---", "---", "++-", "---", "---"),
    "pauseWindow":          ("+++", "---", "---", "---", "++-", "---", "---"),
    "callNext":             ("+++", "---", "---", "---", "++-", "---", "---"),
    "issueTicket":          ("+++", "---", "---", "---", "++-", "---", "---"),
    "getTicket":            ("+++", "---", "---", "---", "++-", "---", "---"),
    "cancelTicket":         ("+++", "---", "---", "---", "++-", "---", "---"),
    "reprintTicket":        ("+++", "---", "---", "---", "++-", "---", "---"),
    "startTicket":          ("+++", "---", "---", "---", "++-", "---", "---"),
    "finishTicket":         ("+++", "---", "---", "---", "++-", "---", "---"),
    "recallTicket":         ("+++", "---", "---", "---", "++-", "---", "---"),
    "markNoShow":           ("+++", "---", "---", "---", "++-", "---", "---"),
    "transferTicket":       ("+++", "---", "---", "---", "++-", "---", "---"),
    "rateTicket":           ("+++", "---", "---", "---", "++-", "---", "---"),  # without the ticket's link
    # The visitor proves the ticket is theirs by the rating code printed on it (touch), but the call
    # still comes from the hall's own kiosk or its clerks (issuing_caller), and the number and code
    # are looked up in that hall only: holding a code does not let anyone rate from elsewhere.
    "rateAtKiosk":          ("+++", "---", "---", "---", "++-", "---", "---"),
    "getQueueStats":        ("+++", "---", "++-", "---", "++-", "---", "---"),
    "closeFollowUp":        ("+++", "---", "++-", "---", "---", "---", "---"),
    # rendering
    "renderNotice":         ("+++", "+++", "+++", "+++", "+++", "+++", "+++"),  # public: a published notice
    "renderScreenNow":      ("+++", "+++", "+++", "+++", "+++", "+++", "+++"),  # by the board's device token
    "renderScreenThumbnail": ("+++", "---", "---", "++-", "---", "---", "---"),
    "renderPrintSheet":     ("+++", "+++", "+++", "+++", "+++", "+++", "---"),  # staff, of a published notice
    "previewRotation":      ("+++", "---", "---", "++-", "---", "---", "---"),
    "previewUrgentNotice":  ("+++", "---", "---", "++-", "---", "---", "---"),
    "renderTicket":         ("+++", "+++", "+++", "+++", "+++", "+++", "+++"),  # by the ticket's secret token
}


@dataclass
class Place:
    unit: str
    township: str
    hall: str
    reviewer: str


PLACE_UNITS = {
    "their village": Place("lizhuang", "jinjia", "jinjia-hall", "reviewer"),
    "another village": Place("wangjia", "jinjia", "jinjia-hall", "reviewer"),
    "another township": Place("baishui", "yinhe", "yinhe-hall", "yinhe-reviewer"),
}


class World:
    """The demo plus 银河镇, with the county administrator creating whatever a call needs."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.serial = itertools.count(1)
        with app.app_context():
            county = get_unit_by_code("county")
            yinhe = create_unit(UnitKind.township, "银河镇", "yinhe", county)
            create_unit(UnitKind.village, "白水村", "baishui", yinhe)
            create_unit(UnitKind.hall, "银河镇便民服务中心", "yinhe-hall", yinhe)
            create_user("yinhe-reviewer", DEMO_PASSWORD, {Role.reviewer}, yinhe, demo=True)
            db.session.commit()
        self.tokens = {name: self.token(name) for name in ROLES if name != "anonymous"}
        self.tokens["yinhe-reviewer"] = self.token("yinhe-reviewer")
        self.admin("POST", "/api/v1/queue/halls/yinhe-hall/services", {"prefix": "A", "name": "社会保险"})
        self.admin("POST", "/api/v1/queue/halls/yinhe-hall/windows", {"number": 1, "services": ["A"]})

    def token(self, username: str, password: str = DEMO_PASSWORD) -> str:
        response = self.client.post("/api/v1/tokens", json={"username": username, "password": password})
        assert response.status_code == 201, username
        return response.get_json()["token"]

    def call(self, who: str, method: str, url: str, body=None, files=None):
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who != "anonymous" else {}
        if files is not None:
            return self.client.open(url, method=method, data=files, headers=headers,
                                    content_type="multipart/form-data")
        return self.client.open(url, method=method, json=body, headers=headers)

    def admin(self, method: str, url: str, body=None, files=None, who: str = "admin") -> dict:
        response = self.call(who, method, url, body, files)
        assert response.status_code in (200, 201), (method, url, response.get_json())
        return response.get_json()

    def name(self) -> str:
        return f"t{next(self.serial)}"

    # --- objects at a place -------------------------------------------------------------------
    def notice(self, place: Place, state: str = "draft") -> dict:
        notice = self.admin("POST", "/api/v1/notices", {
            "unit": place.unit, "category": "village_finances", "title": f"财务公开 {self.name()}",
            "body": "收支明细", "formed_on": clock.local_today().isoformat(), "audience": "villages",
            "villages": [place.unit]})
        if state in ("submitted", "approved"):
            self.admin("POST", f"/api/v1/notices/{notice['id']}/submit", {})
        if state == "approved":
            notice = self.admin("POST", f"/api/v1/notices/{notice['id']}/approve", {}, who=place.reviewer)
        return notice

    def attachment(self, notice_id: int) -> dict:
        return self.admin("POST", f"/api/v1/notices/{notice_id}/attachments", files={"file": (io.BytesIO(png()), "a.png")})

    def comment(self, place: Place) -> int:
        notice = self.notice(place, "approved")
        response = self.call("anonymous", "POST", f"/api/v1/public/notices/{notice['slug']}/comments",
                             {"message": "请问这笔支出的用途？"})
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    def group(self, place: Place) -> dict:
        return self.admin("POST", "/api/v1/screen-groups", {"unit": place.unit, "code": self.name(), "name": "组"})

    def screen(self, place: Place) -> dict:
        return self.admin("POST", "/api/v1/screens", {"unit": place.unit, "kind": "noticeboard_portrait",
                                                      "name": self.name(), "groups": []})

    def pairing_code(self) -> str:
        """The code a fresh browser at /display/ shows, waiting to be paired."""
        page = self.app.test_client().get("/display/").get_data(as_text=True)
        return "".join(re.search(r'id="code">(\d{3}) (\d{3})<', page).groups())

    def rotation_body(self, place: Place) -> dict:
        return {"name": self.name(), "unit": place.unit, "group": self.group(place)["code"],
                "slides": [{"kind": "clock"}]}

    def rotation(self, place: Place) -> dict:
        return self.admin("POST", "/api/v1/rotations", self.rotation_body(place))

    def urgent_body(self, place: Place) -> dict:
        return {"unit": place.unit, "title": "寒潮预警", "groups": [self.group(place)["id"]],
                "ends_at": (clock.now() + timedelta(hours=1)).isoformat()}

    def urgent(self, place: Place) -> dict:
        return self.admin("POST", "/api/v1/urgent-notices", self.urgent_body(place))

    def screen_token(self, place: Place) -> str:
        """The device token of a new image-only board at the place (in the link it polls)."""
        screen = self.admin("POST", "/api/v1/screens", {"unit": place.unit, "kind": "image_board",
                                                        "name": self.name(), "groups": []})
        return parse_qs(urlsplit(screen["player_url"]).query)["token"][0]

    def account(self, place: Place) -> dict:
        return self.admin("POST", "/api/v1/users", {"username": self.name(), "password": "a-long-Passw0rd",
                                                    "unit": place.unit, "roles": ["editor"]})

    def account_token_id(self, place: Place) -> tuple[str, int]:
        username = self.account(place)["username"]
        self.tokens[username] = self.token(username, "a-long-Passw0rd")
        # The administrator chose its password: its holder changes it before anything else.
        self.admin("POST", "/api/v1/account/password", {"current_password": "a-long-Passw0rd",
                                                        "new_password": "My-own-passw0rd"}, who=username)
        return username, self.admin("GET", "/api/v1/tokens", who=username)["tokens"][0]["id"]

    def service(self, place: Place) -> dict:
        return self.admin("GET", f"/api/v1/queue/halls/{place.hall}/services")[0]

    def window(self, place: Place) -> dict:
        return self.admin("GET", f"/api/v1/queue/halls/{place.hall}/windows")[0]

    def ticket(self, place: Place) -> dict:
        return self.admin("POST", f"/api/v1/queue/halls/{place.hall}/tickets",
                          {"service": self.service(place)["prefix"]})

    def free_window(self, place: Place) -> dict:
        """The place's first window, open, with whatever an earlier call left at it closed."""
        window = self.window(place)
        self.admin("POST", f"/api/v1/queue/windows/{window['id']}/pause", {"paused": False})
        current = window["current"]
        if current is not None:
            action = "finish" if current["status"] == "serving" else "no-show"
            self.admin("POST", f"/api/v1/queue/windows/{window['id']}/tickets/{current['id']}/{action}")
        return window

    def called_ticket(self, place: Place) -> tuple[int, int]:
        """A window of the place's hall with a fresh ticket called to it: (window id, ticket id)."""
        window = self.free_window(place)
        ticket = self.ticket(place)
        while True:
            called = self.admin("POST", f"/api/v1/queue/windows/{window['id']}/call-next")["ticket"]
            if called["id"] == ticket["id"]:
                return window["id"], ticket["id"]
            self.admin("POST", f"/api/v1/queue/windows/{window['id']}/tickets/{called['id']}/no-show")

    def finished_ticket(self, place: Place) -> dict:
        """A ticket of the place's hall served and finished today: its number and rating code."""
        window_id, ticket_id = self.called_ticket(place)
        self.admin("POST", f"/api/v1/queue/windows/{window_id}/tickets/{ticket_id}/start")
        self.admin("POST", f"/api/v1/queue/windows/{window_id}/tickets/{ticket_id}/finish")
        with self.app.app_context():
            ticket = db.session.get(Ticket, ticket_id)
            return {"ticket": ticket.code, "code": rating_code(ticket)}

    def follow_up(self, place: Place) -> int:
        window_id, ticket_id = self.called_ticket(place)
        self.admin("POST", f"/api/v1/queue/windows/{window_id}/tickets/{ticket_id}/start")
        self.admin("POST", f"/api/v1/queue/windows/{window_id}/tickets/{ticket_id}/finish")
        self.admin("POST", f"/api/v1/queue/tickets/{ticket_id}/rating", {"level": 1, "comment": "太慢"})
        with self.app.app_context():
            return db.session.scalar(select(FollowUp.id).join(Rating, Rating.id == FollowUp.rating_id)
                                     .where(Rating.ticket_id == ticket_id))


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#2e7d32").save(buffer, format="PNG")
    return buffer.getvalue()


# operationId → (World, Place) → (method, url, JSON body or None[, multipart files])
REQUESTS = {
    "createToken": lambda w, p: ("POST", "/api/v1/tokens", {"username": w.account(p)["username"],
                                                            "password": "a-long-Passw0rd"}),
    "listTokens": lambda w, p: ("GET", f"/api/v1/tokens?username={w.account_token_id(p)[0]}", None),
    "revokeToken": lambda w, p: ("DELETE", f"/api/v1/tokens/{w.account_token_id(p)[1]}", None),
    "changeOwnPassword": lambda w, p: ("POST", "/api/v1/account/password", {
        "current_password": "not-the-password", "new_password": "Never-s3t-here"}),  # 400: the check ran
    "listUsers": lambda w, p: ("GET", "/api/v1/users", None),
    "createUser": lambda w, p: ("POST", "/api/v1/users", {"username": w.name(), "password": "a-long-Passw0rd",
                                                          "unit": p.unit, "roles": ["editor"]}),
    "updateUser": lambda w, p: ("PATCH", f"/api/v1/users/{w.account(p)['id']}", {"display_name": "新名字"}),
    "listAuditEntries": lambda w, p: ("GET", "/api/v1/audit", None),
    "listCategories": lambda w, p: ("GET", "/api/v1/categories", None),
    "saveCategory": lambda w, p: ("POST", "/api/v1/categories", {"code": f"cat_{w.name()}", "name": "新类别",
                                                                 "group": "government"}),
    "listHolidays": lambda w, p: ("GET", "/api/v1/holidays", None),
    "setHoliday": lambda w, p: ("PUT", "/api/v1/holidays", {"day": "2026-12-24", "kind": "holiday", "name": "测试"}),
    "deleteHoliday": lambda w, p: ("DELETE", f"/api/v1/holidays/{w.admin('PUT', '/api/v1/holidays', {'day': '2026-12-25', 'kind': 'holiday', 'name': '测试'})['day']}", None),
    "createNotice": lambda w, p: ("POST", "/api/v1/notices", {
        "unit": p.unit, "category": "village_finances", "title": "财务公开", "formed_on": clock.local_today().isoformat(),
        "audience": "villages", "villages": [p.unit]}),
    "listNotices": lambda w, p: ("GET", "/api/v1/notices", None),
    "getNotice": lambda w, p: ("GET", f"/api/v1/notices/{w.notice(p)['id']}", None),
    "updateNotice": lambda w, p: ("PATCH", f"/api/v1/notices/{w.notice(p)['id']}", {"summary": "改过"}),
    "submitNotice": lambda w, p: ("POST", f"/api/v1/notices/{w.notice(p)['id']}/submit", {}),
    "approveNotice": lambda w, p: ("POST", f"/api/v1/notices/{w.notice(p, 'submitted')['id']}/approve", {}),
    "returnNotice": lambda w, p: ("POST", f"/api/v1/notices/{w.notice(p, 'submitted')['id']}/return",
                                  {"reason": "请补充"}),
    "withdrawNotice": lambda w, p: ("POST", f"/api/v1/notices/{w.notice(p, 'approved')['id']}/withdraw",
                                    {"reason": "撤回"}),
    "archiveNotice": lambda w, p: ("POST", f"/api/v1/notices/{w.notice(p)['id']}/archive", None),
    "maskNoticeFindings": lambda w, p: ("POST", f"/api/v1/notices/{w.notice(p)['id']}/mask", None),
    "uploadAttachment": lambda w, p: ("POST", f"/api/v1/notices/{w.notice(p)['id']}/attachments", None,
                                      {"file": (io.BytesIO(png()), "a.png")}),
    "removeAttachment": lambda w, p: (lambda n: ("DELETE", f"/api/v1/notices/{n['id']}/attachments/"
                                                           f"{w.attachment(n['id'])['id']}", None))(w.notice(p)),
    "getDisplayCertificate": lambda w, p: ("GET", f"/api/v1/notices/{w.notice(p, 'approved')['id']}"
                                                  "/display-certificate", None),
    "listPublicNotices": lambda w, p: ("GET", f"/api/v1/public/notices?unit={p.unit}", None),
    "createComment": lambda w, p: ("POST", f"/api/v1/public/notices/{w.notice(p, 'approved')['slug']}/comments",
                                   {"message": "请问用途？"}),
    "listComments": lambda w, p: ("GET", "/api/v1/comments", None),
    "answerComment": lambda w, p: ("POST", f"/api/v1/comments/{w.comment(p)}/answer", {"answer": "已答复"}),
    "listScreens": lambda w, p: ("GET", "/api/v1/screens", None),
    "createScreen": lambda w, p: ("POST", "/api/v1/screens", {"unit": p.unit, "kind": "noticeboard_portrait",
                                                              "name": "新屏", "groups": []}),
    "getScreen": lambda w, p: ("GET", f"/api/v1/screens/{w.screen(p)['id']}", None),
    "revokeScreen": lambda w, p: ("POST", f"/api/v1/screens/{w.screen(p)['id']}/revoke", None),
    "pairScreen": lambda w, p: ("POST", "/api/v1/screens/pair", {"code": w.pairing_code(), "screen": w.screen(p)["id"]}),
    "listScreenGroups": lambda w, p: ("GET", "/api/v1/screen-groups", None),
    "createScreenGroup": lambda w, p: ("POST", "/api/v1/screen-groups", {"unit": p.unit, "code": w.name(),
                                                                         "name": "组"}),
    "listRotations": lambda w, p: ("GET", "/api/v1/rotations", None),
    "createRotation": lambda w, p: ("POST", "/api/v1/rotations", w.rotation_body(p)),
    "updateRotation": lambda w, p: (lambda r: ("PUT", f"/api/v1/rotations/{r['id']}",
                                               {**w.rotation_body(p), "group": r["group"]}))(w.rotation(p)),
    "deleteRotation": lambda w, p: ("DELETE", f"/api/v1/rotations/{w.rotation(p)['id']}", None),
    "createUrgentNotice": lambda w, p: ("POST", "/api/v1/urgent-notices", w.urgent_body(p)),
    "getUrgentNotice": lambda w, p: ("GET", f"/api/v1/urgent-notices/{w.urgent(p)['id']}", None),
    "clearUrgentNotice": lambda w, p: ("POST", f"/api/v1/urgent-notices/{w.urgent(p)['id']}/clear", None),
    "uploadSlideImage": lambda w, p: ("POST", "/api/v1/slide-images", None,
                                      {"picture": (io.BytesIO(png()), "p.png"), "unit": p.unit}),
    "listServices": lambda w, p: ("GET", f"/api/v1/queue/halls/{p.hall}/services", None),
    "getHallStatus": lambda w, p: ("GET", f"/api/v1/queue/halls/{p.hall}/status", None),
    "createService": lambda w, p: ("POST", f"/api/v1/queue/halls/{p.hall}/services", {
        "prefix": "Z", "name": "新业务"}),
    "updateService": lambda w, p: ("PUT", f"/api/v1/queue/services/{w.service(p)['id']}", {
        "prefix": w.service(p)["prefix"], "name": w.service(p)["name"]}),
    "listWindows": lambda w, p: ("GET", f"/api/v1/queue/halls/{p.hall}/windows", None),
    "createWindow": lambda w, p: ("POST", f"/api/v1/queue/halls/{p.hall}/windows", {
        "number": 90 + next(w.serial) % 9, "services": [w.service(p)["prefix"]]}),
    "updateWindow": lambda w, p: (lambda win: ("PUT", f"/api/v1/queue/windows/{win['id']}", {
        "number": win["number"], "services": win["services"]}))(w.window(p)),
    "getWindow": lambda w, p: ("GET", f"/api/v1/queue/windows/{w.window(p)['id']}", None),
    "pauseWindow": lambda w, p: ("POST", f"/api/v1/queue/windows/{w.window(p)['id']}/pause", {"paused": False}),
    "callNext": lambda w, p: ("POST", f"/api/v1/queue/windows/{w.free_window(p)['id']}/call-next", None),
    "issueTicket": lambda w, p: ("POST", f"/api/v1/queue/halls/{p.hall}/tickets", {
        "service": w.service(p)["prefix"]}),
    "getTicket": lambda w, p: ("GET", f"/api/v1/queue/tickets/{w.ticket(p)['id']}", None),
    "cancelTicket": lambda w, p: ("POST", f"/api/v1/queue/tickets/{w.ticket(p)['id']}/cancel", None),
    "reprintTicket": lambda w, p: ("POST", f"/api/v1/queue/tickets/{w.ticket(p)['id']}/print", None),
    "startTicket": lambda w, p: ("POST", "/api/v1/queue/windows/{}/tickets/{}/start".format(*w.called_ticket(p)),
                                 None),
    "finishTicket": lambda w, p: ("POST", "/api/v1/queue/windows/{}/tickets/{}/finish".format(*w.called_ticket(p)),
                                  None),
    "recallTicket": lambda w, p: ("POST", "/api/v1/queue/windows/{}/tickets/{}/recall".format(*w.called_ticket(p)),
                                  None),
    "markNoShow": lambda w, p: ("POST", "/api/v1/queue/windows/{}/tickets/{}/no-show".format(*w.called_ticket(p)),
                                None),
    "transferTicket": lambda w, p: ("POST", "/api/v1/queue/windows/{}/tickets/{}/transfer".format(
        *w.called_ticket(p)), {"service": w.service(p)["prefix"]}),
    "rateTicket": lambda w, p: ("POST", f"/api/v1/queue/tickets/{w.ticket(p)['id']}/rating", {"level": 5}),
    "rateAtKiosk": lambda w, p: ("POST", f"/api/v1/queue/halls/{p.hall}/ratings",
                                 {**w.finished_ticket(p), "level": 5}),
    "getQueueStats": lambda w, p: ("GET", f"/api/v1/queue/halls/{p.hall}/stats", None),
    "closeFollowUp": lambda w, p: ("POST", f"/api/v1/queue/follow-ups/{w.follow_up(p)}/close",
                                   {"action_taken": "已致电回访"}),
    "redactAttachment": lambda w, p: (lambda n: ("POST", f"/api/v1/notices/{n['id']}/attachments/"
                                                         f"{w.attachment(n['id'])['id']}/redact",
                                                 {"boxes": [[0, 0, 10, 10]]}))(w.notice(p)),
    "checkAttachmentAgain": lambda w, p: (lambda n: ("POST", f"/api/v1/notices/{n['id']}/attachments/"
                                                             f"{w.attachment(n['id'])['id']}/check", None))(
        w.notice(p)),
    "renderNotice": lambda w, p: ("GET", f"/api/v1/render/notices/{w.notice(p, 'approved')['id']}?width=200", None),
    "renderScreenNow": lambda w, p: ("GET", f"/api/v1/render/screen-now?token={w.screen_token(p)}&width=200", None),
    "renderScreenThumbnail": lambda w, p: ("GET", f"/api/v1/render/screens/{w.screen(p)['id']}/now", None),
    "renderPrintSheet": lambda w, p: ("GET", f"/api/v1/render/print-sheet?notice={w.notice(p, 'approved')['id']}"
                                             "&format=png&mode=mono", None),
    "previewRotation": lambda w, p: ("POST", "/api/v1/render/rotation-preview",
                                     {"screen": w.screen(p)["id"], "rotation": w.rotation_body(p)}),
    "previewUrgentNotice": lambda w, p: ("GET", f"/api/v1/render/urgent-preview?unit={p.unit}&title=寒潮预警&width=200",
                                         None),
    "renderTicket": lambda w, p: ("GET", f"/api/v1/render/tickets/{w.ticket(p)['token']}", None),
}


def test_the_table_covers_every_operation(app):
    assert set(EXPECTED) == set(OPERATIONS) == set(REQUESTS)
    assert all(len(row) == len(ROLES) and all(len(cell) == len(PLACES) for cell in row)
               for row in EXPECTED.values())


def next_working_morning() -> datetime:
    """10:00 local on the next working day after today, when the hall is open (moving the clock
    forward only, so nothing already created lies in the future)."""
    day = clock.local_today() + timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, time(10), tzinfo=clock.local_zone())


def outcome(status: int) -> str:
    assert status < 500, status
    return "-" if status in (401, 403, 404) else "+"


@pytest.mark.parametrize("group", ["accounts", "notices", "screens", "queue", "rendering"])
def test_every_operation_role_and_place(demo_app, group):
    with demo_app.app_context():
        clock.set_now(next_working_morning())
    world = World(demo_app)
    ids = [op for op in EXPECTED if OPERATIONS[op].tag in _TAGS[group]]
    observed, wrong = {}, []
    for operation_id in ids:
        row = []
        for who in ROLES:
            cell = ""
            for place_name in PLACES:
                request = REQUESTS[operation_id](world, PLACE_UNITS[place_name])
                method, url, body, *files = request
                response = world.call(who, method, url, body, files[0] if files else None)
                cell += outcome(response.status_code)
            row.append(cell)
        observed[operation_id] = tuple(row)
        if observed[operation_id] != EXPECTED[operation_id]:
            wrong.append(f"{operation_id}: expected {EXPECTED[operation_id]}, got {observed[operation_id]}")
    assert not wrong, "\n".join(wrong)


_TAGS = {"accounts": {"accounts", "audit", "workdays"}, "notices": {"notices", "public", "proof"},
         "screens": {"screens"}, "queue": {"queue"}, "rendering": {"rendering"}}
