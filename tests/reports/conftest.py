"""A year of a second township, 柳河镇, in the demo county, made through the app's own operations at
pinned instants of 2026 (notices across Spring Festival and National Day, comments, the hall's
tickets and ratings), kept in one SQLite file for the module's tests, with the tally the tests
hold the report to. The demo's own 金家镇 holds the demo data; 柳河镇 holds only this year.

Table 三 comes from the applications register (kiosk.applications.figures.table_three), built on
another branch: the tests install a module with figures they choose (`register_figures`)."""
import shutil
import sys
import types
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from kiosk.applications.outcomes import APPLICANT_KINDS, TABLE_THREE_COLUMNS, TABLE_THREE_ROWS
from kiosk.core import clock
from kiosk.extensions import db, socketio
from kiosk.screens.hours import every_day
from kiosk.screens.power import set_screen_hours
from tests.conftest import _checkpoint, build_app

PASSWORD = "jinjia-demo"


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone(timedelta(hours=8)))


@dataclass
class Tally:
    """What the test made, counted by the test."""
    published: int = 0
    on_time: int = 0
    late: int = 0
    normative_issued: int = 0
    normative_repealed: int = 0
    normative_in_force: int = 0
    rules_issued: int = 0
    rules_in_force: int = 0
    comments: int = 0
    objections: int = 0
    answered: int = 0
    answer_days: list = field(default_factory=list)
    tickets: int = 0
    served: int = 0
    ratings: int = 0
    bad: int = 0
    followed_up_in_time: int = 0
    screen_heard_hours: float = 0.0
    screen_shown_hours: float = 0.0
    notice_ids: dict = field(default_factory=dict)


def _notice(editor, reviewer, fields: dict, approve_at: str, tally: Tally, on_time: bool | None):
    from kiosk.disclosures import operations as ops
    clock.set_now(local(approve_at) - timedelta(hours=1))
    notice = ops.create_notice(editor, fields)
    ops.submit_notice(editor, notice)
    clock.set_now(local(approve_at))
    ops.approve_notice(reviewer, notice)
    ops.advance_due_notices(clock.now())
    db.session.commit()
    tally.published += 1
    tally.on_time += on_time is True
    tally.late += on_time is False
    return notice


def build_year(app) -> Tally:
    from kiosk.accounts.models import Role
    from kiosk.accounts.operations import create_user
    from kiosk.org.models import Unit, UnitKind
    from kiosk.org.operations import create_unit
    from kiosk.public.models import CommentKind
    from kiosk.public.operations import answer_comment, create_comment
    from kiosk.queue import operations as queue
    from kiosk.reports.models import NormativeKind
    from kiosk.reports.operations import set_normative
    from kiosk.screens.models import ScreenKind
    from kiosk.screens.operations import create_screen

    tally = Tally()
    with app.app_context():
        clock.set_now(local("2026-01-02T09:00"))
        county = db.session.scalar(select(Unit).where(Unit.code == "county"))
        town = create_unit(UnitKind.township, "柳河镇", "liuhe", county)
        hall = create_unit(UnitKind.hall, "柳河镇便民服务中心", "liuhe-hall", town)
        create_unit(UnitKind.village, "上村", "shangcun", town)
        create_unit(UnitKind.village, "下村", "xiacun", town)
        editor = create_user("lh-editor", PASSWORD, {Role.editor}, town, "柳河镇 编辑", demo=True)
        reviewer = create_user("lh-reviewer", PASSWORD, {Role.reviewer}, town, "柳河镇 审核", demo=True)
        admin = create_user("lh-admin", PASSWORD, {Role.administrator}, town, "柳河镇 管理员", demo=True)
        clerk = create_user("lh-window", PASSWORD, {Role.window_clerk}, hall, "柳河镇 窗口", demo=True)
        db.session.commit()

        def fields(category, title, formed_on, **more):
            return {"category": category, "title": title, "summary": title, "body": f"{title}全文。",
                    "formed_on": datetime.fromisoformat(formed_on).date(), "audience": "township", **more}

        # Formed in 2025, published in January 2026, repealed in August: not issued in 2026, not in force.
        old = _notice(editor, reviewer, fields("normative_documents", "关于村级公益事业建设的管理办法", "2025-05-06"),
                      "2026-01-05T10:00", tally, on_time=False)
        # Formed 30 January, shown 2 March: 31 days, 17 working days once Spring Festival (15-23 February,
        # with the make-up Saturdays 14 and 28 February) is left out: on time.
        _notice(editor, reviewer, fields("normative_documents", "柳河镇农村人居环境整治实施办法", "2026-01-30"),
                "2026-03-02T10:00", tally, on_time=True)
        tally.normative_issued += 1
        tally.normative_in_force += 1
        rule = _notice(editor, reviewer, fields("normative_documents", "柳河镇集镇管理规定", "2026-04-01"),
                       "2026-04-08T10:00", tally, on_time=True)
        tally.rules_issued += 1
        tally.rules_in_force += 1
        # Formed 1 June, shown 15 July: late.
        _notice(editor, reviewer, fields("budgets", "柳河镇2026年财政预算", "2026-06-01"), "2026-07-15T10:00",
                tally, on_time=False)
        # The 低保 list under publicity across National Day: formed 24 September, shown 29 September.
        dibao = _notice(editor, reviewer, fields("dibao", "柳河镇2026年第三批低保名单公示", "2026-09-24"),
                        "2026-09-29T10:00", tally, on_time=True)
        clock.set_now(local("2026-09-29T15:00"))
        set_normative(editor, old.id, NormativeKind.normative, datetime(2026, 8, 1).date())
        set_normative(editor, rule.id, NormativeKind.rule, None)
        tally.normative_repealed += 1
        db.session.commit()
        tally.notice_ids = {"dibao": dibao.id, "old": old.id, "rule": rule.id}

        # Comments: an objection on 29 September answered 9 October (National Day between: 3 working
        # days, 30 September, 8 and 9 October), a comment on 30 September answered 12 October (4: the 8th,
        # 9th, the make-up Saturday 10th, and the 12th).
        for kind, asked, answered, days in ((CommentKind.objection, "2026-09-29T16:00", "2026-10-09T10:00", 3),
                                            (CommentKind.comment, "2026-09-30T11:00", "2026-10-12T10:00", 4)):
            clock.set_now(local(asked))
            comment = create_comment(dibao, kind, "请核实第三组的名单情况。")
            db.session.commit()
            clock.set_now(local(answered))
            answer_comment(editor, comment, "已核实，名单无误。", public=True)
            db.session.commit()
            tally.objections += kind == CommentKind.objection
            tally.comments += kind == CommentKind.comment
            tally.answered += 1
            tally.answer_days.append(days)

        # The hall on Friday 9 October: three tickets, two served and rated (非常满意, 不满意), one no-show;
        # the bad rating followed up on Wednesday 14 October, the 4th working day after it (Saturday 10
        # October is a make-up working day).
        clock.set_now(local("2026-10-09T08:30"))
        service = queue.save_service(admin, hall, prefix="A", name="社会保险", daily_cap=None, hours={},
                                     materials="")
        window = queue.save_window(admin, hall, number=1, service_ids=[service.id])
        db.session.commit()
        tickets = [queue.issue_ticket(service) for _n in range(3)]
        db.session.commit()
        tally.tickets = 3
        for minute, (ticket, level) in enumerate(zip(tickets, (5, 2, None)), start=1):
            clock.set_now(local("2026-10-09T09:00") + timedelta(minutes=20 * minute))
            called = queue.call_next(clerk, window.id)
            if level is None:
                queue.mark_no_show(clerk, window.id, called.id)
                db.session.commit()
                continue
            queue.start(clerk, window.id, called.id)
            clock.set_now(clock.now() + timedelta(minutes=8))
            queue.finish(clerk, window.id, called.id)
            queue.rate(called, level, "window")
            db.session.commit()
            tally.served += 1
            tally.ratings += 1
            tally.bad += level <= 2
        clock.set_now(local("2026-10-14T10:00"))
        follow_up = queue.follow_ups(hall)[0]
        queue.close_follow_up(admin, follow_up.id, "已电话回访，当面致歉并办结。")
        db.session.commit()
        tally.followed_up_in_time = 1

        # 上村's noticeboard on Monday 12 October, on from 09:00: connected 08:00 to 12:00, showing slides 08:00 to
        # 10:00; only on-hours count, for both (09:00-12:00 heard, 09:00-10:00 shown).
        clock.set_now(local("2026-10-12T08:00"))
        village = db.session.scalar(select(Unit).where(Unit.code == "shangcun"))
        screen, token = create_screen(admin, village, ScreenKind.noticeboard_portrait, "上村公开栏", [])
        set_screen_hours(admin, screen, every_day("09:00", "21:00"))   # so 08:00-09:00 online is not counted
        db.session.commit()
        board = socketio.test_client(app, namespace="/screens", auth={"token": token})
        assert board.is_connected("/screens")
        start = local("2026-10-12T08:00")
        reports = [{"key": "s2", "kind": "qr", "start": int((start + timedelta(minutes=5 * n)).timestamp() * 1000),
                    "end": int((start + timedelta(minutes=5 * (n + 1))).timestamp() * 1000), "offline": False}
                   for n in range(24)]
        clock.set_now(local("2026-10-12T10:00"))
        board.emit("heartbeat", {"version": "test"}, namespace="/screens", callback=True)
        response = app.test_client().post("/display/reports", json={"reports": reports},
                                          headers={"X-Screen-Token": token})
        assert response.status_code == 200, response.get_json()
        clock.set_now(local("2026-10-12T12:00"))
        board.emit("heartbeat", {"version": "test"}, namespace="/screens", callback=True)
        board.disconnect(namespace="/screens")
        db.session.remove()
        tally.screen_heard_hours, tally.screen_shown_hours = 3.0, 1.0
    return tally


@pytest.fixture(scope="session")
def year_db(tmp_path_factory, demo_db):
    instance = tmp_path_factory.mktemp("year")
    shutil.copy(demo_db, instance / "kiosk.sqlite3")
    app = build_app(instance)
    try:
        tally = build_year(app)
    finally:
        clock.reset()
    _checkpoint(app)
    return instance / "kiosk.sqlite3", tally


@pytest.fixture
def tally(year_db) -> Tally:
    return year_db[1]


@pytest.fixture
def year_app(make_app, year_db):
    clock.set_now(local("2027-01-12T10:00"))   # January: the report on 2026 is written
    return make_app(year_db[0])


def chosen_figures(received: int = 3, carried_in: int = 1) -> dict[str, dict[str, int]]:
    """Table 三 figures a test chooses: natural persons and one company; balanced."""
    rows = {row: {column: 0 for column in TABLE_THREE_COLUMNS} for row in TABLE_THREE_ROWS}

    def put(row, kind, count):
        rows[row][kind] += count
        rows[row]["total"] += count
    put("received", "natural_person", received - 1)
    put("received", "commercial", 1)
    put("carried_in", "natural_person", carried_in)
    put("disclosed", "natural_person", received - 1)
    put("partly", "commercial", 1)
    put("carried_out", "natural_person", carried_in)
    for kind in (*APPLICANT_KINDS, "total"):
        rows["results_total"][kind] = rows["disclosed"][kind] + rows["partly"][kind]
    return rows


@pytest.fixture
def register_figures(monkeypatch):
    """register_figures({township_id: figures}) → installs kiosk.applications.figures.table_three
    answering those figures (and records the calls)."""
    calls = []

    def install(by_first_unit: dict | None = None, default: dict | None = None):
        module = types.ModuleType("kiosk.applications.figures")

        def table_three(unit_ids, year):
            calls.append((sorted(unit_ids), year))
            for unit_id, figures in (by_first_unit or {}).items():
                if unit_id in unit_ids:
                    return figures
            return default if default is not None else chosen_figures()
        module.table_three = table_three
        monkeypatch.setitem(sys.modules, "kiosk.applications.figures", module)
        return calls
    return install
