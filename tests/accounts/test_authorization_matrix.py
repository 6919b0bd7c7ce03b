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

from kiosk.applications.operations import submit_online
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
from tests.broadcast.conftest import cap_alert

WEEK = {day: [["07:00", "21:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun", "holiday", "makeup")}
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
    # alert channels: administrators of the channel's unit
    "listAlertChannels":    ("+++", "---", "---", "---", "---", "---", "---"),
    "createAlertChannel":   ("+++", "---", "---", "---", "---", "---", "---"),
    "updateAlertChannel":   ("+++", "---", "---", "---", "---", "---", "---"),
    "testAlertChannel":     ("+++", "---", "---", "---", "---", "---", "---"),
    "getAlertChannelTest":  ("+++", "---", "---", "---", "---", "---", "---"),
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
    # the village's year: what a village owes is read within one's units; only the village's own
    # supervision committee (none of these roles) signs its notices
    "getVillageDisclosures": ("+++", "++-", "++-", "++-", "---", "+--", "---"),
    "signOffNotice":        ("---", "---", "---", "---", "---", "---", "---"),
    "refuseSignOff":        ("---", "---", "---", "---", "---", "---", "---"),
    "getCommentHandling":   ("+++", "++-", "++-", "---", "---", "+--", "---"),  # a draft for comment
    "saveCommentHandling":  ("+++", "++-", "---", "---", "---", "+--", "---"),
    "startDecision":        ("+++", "++-", "---", "---", "---", "+--", "---"),
    # 群众评议 surveys: a township's, made and read by its staff (a village clerk reads the list only)
    "listSurveys":          ("+++", "+++", "+++", "---", "---", "+++", "---"),  # filtered, never refused
    "createSurvey":         ("+++", "++-", "---", "---", "---", "---", "---"),
    "getSurvey":            ("+++", "++-", "++-", "---", "---", "---", "---"),
    "updateSurvey":         ("+++", "++-", "---", "---", "---", "---", "---"),
    "getSurveyResults":     ("+++", "++-", "++-", "---", "---", "---", "---"),
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
    "getGroupOnHours":      ("+++", "---", "---", "++-", "---", "---", "---"),
    "setGroupOnHours":      ("+++", "---", "---", "++-", "---", "---", "---"),
    "getScreenOnHours":     ("+++", "---", "---", "++-", "---", "---", "---"),
    "setScreenOnHours":     ("+++", "---", "---", "++-", "---", "---", "---"),
    "clearScreenOnHours":   ("+++", "---", "---", "++-", "---", "---", "---"),
    "sendScreenCommand":    ("+++", "---", "---", "++-", "---", "---", "---"),
    "sendGroupCommand":     ("+++", "---", "---", "++-", "---", "---", "---"),  # an empty group: 400, past the checks
    "listScreenCommands":   ("+++", "---", "---", "++-", "---", "---", "---"),
    "getScreenCommandScreenshot": ("+++", "---", "---", "++-", "---", "---", "---"),
    # videos (kiosk/video): managers upload, reviewers approve, both read
    "uploadVideo":          ("+++", "---", "---", "++-", "---", "---", "---"),
    "listVideos":           ("+++", "---", "+++", "+++", "---", "---", "---"),  # filtered, never refused
    "getVideo":             ("+++", "---", "++-", "++-", "---", "---", "---"),
    "approveVideo":         ("---", "---", "++-", "---", "---", "---", "---"),
    "deleteVideo":          ("+++", "---", "---", "++-", "---", "---", "---"),
    "setVideoGroupSettings": ("+++", "---", "---", "++-", "---", "---", "---"),
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
    "renderHouseholdCards": ("+++", "+++", "+++", "+++", "+++", "+++", "---"),  # the same, as 明白卡
    "previewRotation":      ("+++", "---", "---", "++-", "---", "---", "---"),
    "previewUrgentNotice":  ("+++", "---", "---", "++-", "---", "---", "---"),
    "renderTicket":         ("+++", "+++", "+++", "+++", "+++", "+++", "+++"),  # by the ticket's secret token
    # tickers and official warnings
    "listTickers":          ("+++", "---", "---", "+++", "---", "---", "---"),  # filtered, never refused
    "createTicker":         ("+++", "---", "---", "++-", "---", "---", "---"),
    "updateTicker":         ("+++", "---", "---", "++-", "---", "---", "---"),
    "endTicker":            ("+++", "---", "---", "++-", "---", "---", "---"),
    "receiveWarning":       ("---", "---", "---", "---", "---", "---", "---"),  # only a warning source's own token
    "listWarnings":         ("+++", "---", "---", "+++", "---", "---", "---"),  # filtered, never refused
    "approveWarning":       ("+++", "---", "---", "++-", "---", "---", "---"),
    "rejectWarning":        ("+++", "---", "---", "++-", "---", "---", "---"),
    "setWarningPolicy":     ("+++", "---", "---", "++-", "---", "---", "---"),
    "setDivisionCode":      ("+++", "---", "---", "---", "---", "---", "---"),
    "createWarningSource":  ("+++", "---", "---", "---", "---", "---", "---"),
    "listWarningSources":   ("+++", "---", "---", "---", "---", "---", "---"),
    "disableWarningSource": ("+++", "---", "---", "---", "---", "---", "---"),
    # applications for information (依申请公开): filed at the place's township; the applicant's personal data
    # only to the handler (here the county administrator who filed it), the township's reviewer and administrators
    "listApplications":     ("+++", "+++", "+++", "---", "+++", "+++", "---"),  # filtered, never refused
    "fileApplication":      ("+++", "++-", "++-", "---", "++-", "---", "---"),  # township and hall staff
    "getApplication":       ("+++", "---", "++-", "---", "---", "---", "---"),
    "recordApplicationStep": ("+++", "---", "++-", "---", "---", "---", "---"),
    "decideApplication":    ("+++", "---", "++-", "---", "---", "---", "---"),
    "dismissApplication":   ("+++", "---", "++-", "---", "---", "---", "---"),  # an online one, no handler yet
    "submitApplication":    ("+++", "+++", "+++", "+++", "+++", "+++", "+++"),  # public: the phone form
    "getApplicationStatus": ("+++", "+++", "+++", "+++", "+++", "+++", "+++"),  # public: by the link's token
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

    def draft_for_comment(self, place: Place) -> dict:
        return self.admin("POST", "/api/v1/notices", {
            "unit": place.unit, "category": "village_decisions", "title": f"方案（征求意见稿） {self.name()}",
            "formed_on": clock.local_today().isoformat(), "audience": "villages", "villages": [place.unit],
            "pre_disclosure": True, "comment_until": (clock.now() + timedelta(days=7)).isoformat()})

    def survey_body(self, place: Place) -> dict:
        return {"township": place.township, "title": f"评议问卷 {self.name()}", "opens_at": clock.now().isoformat(),
                "closes_at": (clock.now() + timedelta(days=7)).isoformat(), "published": True,
                "questions": [{"kind": "scale", "text": "总体满意度"}]}

    def survey(self, place: Place) -> dict:
        return self.admin("POST", "/api/v1/surveys", self.survey_body(place))

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

    def video(self, place: Place) -> dict:
        """An uploaded video, waiting for its check (approving it is refused by a rule, 409)."""
        return self.admin("POST", "/api/v1/videos", files={"video": (io.BytesIO(MP4_HEAD), "v.mp4"), "unit": place.unit})

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

    def ticker(self, place: Place) -> dict:
        return self.admin("POST", "/api/v1/tickers", {"unit": place.unit, "text": "冬季防火",
                                                      "groups": [self.group(place)["id"]]})

    def alert_channel_body(self, place: Place) -> dict:
        # a receiver nobody listens on: the matrix only queues test messages, nothing is sent
        return {"unit": place.unit, "kind": "webhook", "name": self.name(), "url": "http://127.0.0.1:9/hook"}

    def alert_channel(self, place: Place) -> dict:
        return self.admin("POST", "/api/v1/alert-channels", self.alert_channel_body(place))

    def tested_alert_channel(self, place: Place) -> int:
        channel_id = self.alert_channel(place)["id"]
        assert self.call("admin", "POST", f"/api/v1/alert-channels/{channel_id}/test").status_code == 202
        return channel_id

    def warning_source(self, place: Place) -> dict:
        return self.admin("POST", "/api/v1/warning-sources", {"unit": place.unit, "name": self.name()})

    def awaiting_warning(self, place: Place) -> int:
        """A warning for the place (its division code) waiting for approval there: its placement id."""
        code = f"330102{900 + next(self.serial) % 99:03d}{next(self.serial) % 999:03d}"
        self.admin("PUT", f"/api/v1/units/{place.unit}/division-code", {"division_code": code})
        self.group(place)
        self.admin("PUT", f"/api/v1/warnings/policies/{place.unit}", {"approval_required": True})
        now = clock.now()
        alert = cap_alert(identifier=self.name(), codes=(code,), sent=now.isoformat(timespec="seconds"),
                          expires=(now + timedelta(hours=1)).isoformat(timespec="seconds"))
        token = self.admin("POST", "/api/v1/warning-sources", {"unit": "county", "name": self.name()})["token"]
        response = self.client.post("/api/v1/warnings/cap", data=alert, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 201, response.get_json()
        return response.get_json()["placements"][0]["id"]

    def screen_token(self, place: Place) -> str:
        """The device token of a new image-only board at the place (in the link it polls)."""
        screen = self.admin("POST", "/api/v1/screens", {"unit": place.unit, "kind": "image_board",
                                                        "name": self.name(), "groups": []})
        return parse_qs(urlsplit(screen["player_url"]).query)["token"][0]

    def screenshot(self, place: Place) -> int:
        """A screenshot command to a new screen at the place, answered by its player with a picture."""
        screen = self.screen(place)
        command = self.admin("POST", f"/api/v1/screens/{screen['id']}/commands", {"kind": "screenshot"})
        token = urlsplit(screen["player_url"]).path.rsplit("/", 1)[1]
        response = self.app.test_client().post(f"/display/commands/{command['id']}/screenshot", data=png(),
                                               headers={"X-Screen-Token": token, "Content-Type": "image/png"})
        assert response.status_code == 200, response.get_json()
        return command["id"]

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

    def application(self, place: Place) -> dict:
        return self.admin("POST", "/api/v1/applications", application_body(place))

    def online_application(self, place: Place) -> int:
        """An application as the phone form files it (not through the form: its rate limit), its receipt
        not confirmed: its id."""
        body = {k: v for k, v in application_body(place).items() if k not in ("township", "channel")}
        with self.app.app_context():
            application = submit_online(get_unit_by_code(place.township), body)
            db.session.commit()
            return application.id

    def application_token(self, place: Place) -> str:
        return self.application(place)["status_url"].rsplit("/", 1)[1]

    def follow_up(self, place: Place) -> int:
        window_id, ticket_id = self.called_ticket(place)
        self.admin("POST", f"/api/v1/queue/windows/{window_id}/tickets/{ticket_id}/start")
        self.admin("POST", f"/api/v1/queue/windows/{window_id}/tickets/{ticket_id}/finish")
        self.admin("POST", f"/api/v1/queue/tickets/{ticket_id}/rating", {"level": 1, "comment": "太慢"})
        with self.app.app_context():
            return db.session.scalar(select(FollowUp.id).join(Rating, Rating.id == FollowUp.rating_id)
                                     .where(Rating.ticket_id == ticket_id))


# The head of an MP4 file: what an upload is judged by (ffprobe reads the rest in the background).
MP4_HEAD = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
def application_body(place: Place) -> dict:
    return {"township": place.township, "channel": "in_person", "applicant_name": "申请人", "id_proof": "居民身份证",
            "phone": "13800138000", "description": "2026年村道修缮工程施工合同"}


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
    "listAlertChannels": lambda w, p: ("GET", "/api/v1/alert-channels", None),
    "createAlertChannel": lambda w, p: ("POST", "/api/v1/alert-channels", w.alert_channel_body(p)),
    "updateAlertChannel": lambda w, p: ("PATCH", f"/api/v1/alert-channels/{w.alert_channel(p)['id']}", {"name": "值班群"}),
    "testAlertChannel": lambda w, p: ("POST", f"/api/v1/alert-channels/{w.alert_channel(p)['id']}/test", None),
    "getAlertChannelTest": lambda w, p: ("GET", f"/api/v1/alert-channels/{w.tested_alert_channel(p)}/test", None),
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
    "getVillageDisclosures": lambda w, p: ("GET", f"/api/v1/villages/{p.unit}/disclosures", None),
    "signOffNotice": lambda w, p: ("POST", f"/api/v1/notices/{w.notice(p, 'submitted')['id']}/sign-off", {}),
    "refuseSignOff": lambda w, p: ("POST", f"/api/v1/notices/{w.notice(p, 'submitted')['id']}/refuse-sign-off",
                                   {"reason": "请补充会议记录"}),
    "getCommentHandling": lambda w, p: ("GET", f"/api/v1/notices/{w.draft_for_comment(p)['id']}/comment-handling",
                                        None),
    "saveCommentHandling": lambda w, p: ("PUT", f"/api/v1/notices/{w.draft_for_comment(p)['id']}/comment-handling",
                                         {"rows": []}),
    "startDecision": lambda w, p: ("POST", f"/api/v1/notices/{w.draft_for_comment(p)['id']}/decision", None),
    "listSurveys": lambda w, p: ("GET", "/api/v1/surveys", None),
    "createSurvey": lambda w, p: ("POST", "/api/v1/surveys", w.survey_body(p)),
    "getSurvey": lambda w, p: ("GET", f"/api/v1/surveys/{w.survey(p)['id']}", None),
    "updateSurvey": lambda w, p: (lambda s: ("PUT", f"/api/v1/surveys/{s['id']}", {
        **w.survey_body(p), "title": "改过的问卷"}))(w.survey(p)),
    "getSurveyResults": lambda w, p: ("GET", f"/api/v1/surveys/{w.survey(p)['id']}/results", None),
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
    "getGroupOnHours": lambda w, p: ("GET", f"/api/v1/screen-groups/{w.group(p)['id']}/on-hours", None),
    "setGroupOnHours": lambda w, p: ("PUT", f"/api/v1/screen-groups/{w.group(p)['id']}/on-hours",
                                     {"week": WEEK, "offline_alert_minutes": 10}),
    "getScreenOnHours": lambda w, p: ("GET", f"/api/v1/screens/{w.screen(p)['id']}/on-hours", None),
    "setScreenOnHours": lambda w, p: ("PUT", f"/api/v1/screens/{w.screen(p)['id']}/on-hours", {"week": WEEK}),
    "clearScreenOnHours": lambda w, p: ("DELETE", f"/api/v1/screens/{w.screen(p)['id']}/on-hours", None),
    "sendScreenCommand": lambda w, p: ("POST", f"/api/v1/screens/{w.screen(p)['id']}/commands", {"kind": "identify"}),
    "sendGroupCommand": lambda w, p: ("POST", f"/api/v1/screen-groups/{w.group(p)['id']}/commands",
                                      {"kind": "reload"}),
    "listScreenCommands": lambda w, p: ("GET", f"/api/v1/screens/{w.screen(p)['id']}/commands", None),
    "getScreenCommandScreenshot": lambda w, p: ("GET", f"/api/v1/screen-commands/{w.screenshot(p)}/screenshot", None),
    "uploadVideo": lambda w, p: ("POST", "/api/v1/videos", None,
                                 {"video": (io.BytesIO(MP4_HEAD), "v.mp4"), "unit": p.unit}),
    "listVideos": lambda w, p: ("GET", "/api/v1/videos", None),
    "getVideo": lambda w, p: ("GET", f"/api/v1/videos/{w.video(p)['id']}", None),
    "approveVideo": lambda w, p: ("POST", f"/api/v1/videos/{w.video(p)['id']}/approve", {}),
    "deleteVideo": lambda w, p: ("DELETE", f"/api/v1/videos/{w.video(p)['id']}", None),
    "setVideoGroupSettings": lambda w, p: ("PUT", f"/api/v1/screen-groups/{w.group(p)['id']}/video-settings",
                                           {"sound": True, "cache_mb": 200}),
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
    "renderHouseholdCards": lambda w, p: ("GET", "/api/v1/render/household-cards?notice="
                                                 f"{w.notice(p, 'approved')['id']}&mode=mono", None),
    "previewRotation": lambda w, p: ("POST", "/api/v1/render/rotation-preview",
                                     {"screen": w.screen(p)["id"], "rotation": w.rotation_body(p)}),
    "previewUrgentNotice": lambda w, p: ("GET", f"/api/v1/render/urgent-preview?unit={p.unit}&title=寒潮预警&width=200",
                                         None),
    "renderTicket": lambda w, p: ("GET", f"/api/v1/render/tickets/{w.ticket(p)['token']}", None),
    "listTickers": lambda w, p: ("GET", "/api/v1/tickers", None),
    "createTicker": lambda w, p: ("POST", "/api/v1/tickers", {"unit": p.unit, "text": "冬季防火",
                                                              "groups": [w.group(p)["id"]]}),
    "updateTicker": lambda w, p: (lambda t: ("PUT", f"/api/v1/tickers/{t['id']}", {
        "unit": p.unit, "text": "冬季防火，人人有责", "groups": t["groups"]}))(w.ticker(p)),
    "endTicker": lambda w, p: ("POST", f"/api/v1/tickers/{w.ticker(p)['id']}/end", None),
    "receiveWarning": lambda w, p: ("POST", "/api/v1/warnings/cap", None),
    "listWarnings": lambda w, p: ("GET", "/api/v1/warnings", None),
    "approveWarning": lambda w, p: ("POST", f"/api/v1/warnings/placements/{w.awaiting_warning(p)}/approve", None),
    "rejectWarning": lambda w, p: ("POST", f"/api/v1/warnings/placements/{w.awaiting_warning(p)}/reject", None),
    "setWarningPolicy": lambda w, p: ("PUT", f"/api/v1/warnings/policies/{p.unit}", {"approval_required": False}),
    "setDivisionCode": lambda w, p: ("PUT", f"/api/v1/units/{p.unit}/division-code", {"division_code": ""}),
    "createWarningSource": lambda w, p: ("POST", "/api/v1/warning-sources", {"unit": p.unit, "name": "县平台"}),
    "listWarningSources": lambda w, p: ("GET", "/api/v1/warning-sources", None),
    "disableWarningSource": lambda w, p: ("POST", f"/api/v1/warning-sources/{w.warning_source(p)['id']}/disable",
                                          None),
    "listApplications": lambda w, p: ("GET", "/api/v1/applications", None),
    "fileApplication": lambda w, p: ("POST", "/api/v1/applications", application_body(p)),
    "getApplication": lambda w, p: ("GET", f"/api/v1/applications/{w.application(p)['id']}", None),
    "recordApplicationStep": lambda w, p: ("POST", f"/api/v1/applications/{w.application(p)['id']}/steps",
                                           {"step": "consult", "text": "征求施工单位意见"}),
    "decideApplication": lambda w, p: ("POST", f"/api/v1/applications/{w.application(p)['id']}/decision",
                                       {"outcome": "disclosed", "provided": "合同复印件"}),
    "dismissApplication": lambda w, p: ("POST", f"/api/v1/applications/{w.online_application(p)}/dismissal",
                                        {"reason": "empty"}),
    "submitApplication": lambda w, p: ("POST", f"/api/v1/public/townships/{p.township}/applications",
                                       {k: v for k, v in application_body(p).items() if k not in ("township", "channel")}),
    "getApplicationStatus": lambda w, p: ("GET", f"/api/v1/public/applications/{w.application_token(p)}", None),
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


@pytest.mark.parametrize("group", ["accounts", "notices", "screens", "queue", "rendering", "broadcast", "applications",
                                   "incidents"])
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
         "screens": {"screens", "videos"}, "queue": {"queue"}, "rendering": {"rendering"}, "broadcast": {"broadcast"},
         "applications": {"applications"}, "incidents": {"incidents"}}
