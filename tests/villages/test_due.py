"""The village disclosure list: seeded with the common items, what each village owes and when (the
20th of a quarter's first month across the National Day week, a due date on a day off), what a
published notice clears, the reminders and overdue list as conditions, and who may edit the list."""
from datetime import date

from sqlalchemy import select

from kiosk.core import clock
from kiosk.extensions import db
from kiosk.incidents.conditions import CONDITIONS
from kiosk.org.models import UnitKind
from kiosk.org.operations import create_unit, get_unit_by_code
from kiosk.villages import due
from kiosk.villages.items import COMMON_ITEMS, list_items
from kiosk.villages.models import ListItem
from tests.villages.conftest import local


def status_of(app, village: str, item_id: int, today: date):
    with app.app_context():
        found = [s for s in due.statuses(get_unit_by_code(village), today) if s.item.id == item_id]
        return [(s.state, s.due) for s in found]


def test_a_new_township_gets_the_common_items_on_first_use(demo_app, clients):
    with demo_app.app_context():
        township = create_unit(UnitKind.township, "银河镇", "yinhe", get_unit_by_code("county"))
        db.session.commit()
        assert db.session.scalar(select(ListItem.id).where(ListItem.township_id == township.id)) is None
    page = clients("admin").get("/staff/villages/list?township=yinhe")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "银河镇" in html
    assert all(name in html for name, *_rest in COMMON_ITEMS)
    with demo_app.app_context():
        items = list_items(get_unit_by_code("yinhe"))
        assert [item.name for item in items] == [name for name, *_rest in COMMON_ITEMS]
        quarterly = next(item for item in items if item.name == "低保名单")
        assert quarterly.cadence.value == "quarterly" and quarterly.due_day == 20
        assert quarterly.basis and quarterly.responsible and "screen" in quarterly.channels


def test_a_quarter_item_is_due_by_the_20th_whatever_the_national_day_week(demo_app, items, clients):
    """The 20th is a calendar date: the holiday of 1–7 October does not move it; 20 October 2026 is a Tuesday."""
    dibao = items["低保名单"]
    assert status_of(demo_app, "zhang", dibao, date(2026, 10, 8)) == [("due", date(2026, 10, 20))]
    assert status_of(demo_app, "zhang", dibao, date(2026, 10, 20)) == [("due", date(2026, 10, 20))]
    assert status_of(demo_app, "zhang", dibao, date(2026, 10, 21)) == [("overdue", date(2026, 10, 20))]
    # the quarter before: due on 20 July (a Monday), overdue all through August
    assert status_of(demo_app, "zhang", dibao, date(2026, 8, 3)) == [("overdue", date(2026, 7, 20))]


def test_a_due_date_on_a_day_off_moves_to_the_next_working_day(demo_app, items, clients):
    admin = clients("admin")
    dibao = items["低保名单"]
    # The township makes 20 October a day off (a staff-made holiday): the item is due on the 21st.
    assert admin.api("put", "/api/v1/holidays", json={"day": "2026-10-20", "kind": "holiday",
                                                       "name": "镇庆"}).status_code in (200, 201)
    assert status_of(demo_app, "zhang", dibao, date(2026, 10, 20)) == [("due", date(2026, 10, 21))]
    assert status_of(demo_app, "zhang", dibao, date(2026, 10, 22)) == [("overdue", date(2026, 10, 21))]
    # An item due by the 3rd falls inside the National Day week: due on Thursday 8 October.
    with demo_app.app_context():
        db.session.get(ListItem, dibao).due_day = 3
        db.session.commit()
    assert status_of(demo_app, "zhang", dibao, date(2026, 10, 2)) == [("due", date(2026, 10, 8))]
    assert status_of(demo_app, "zhang", dibao, date(2026, 10, 9)) == [("overdue", date(2026, 10, 8))]
    # By the 10th: Saturday 10 October 2026 is a make-up working day (调休), so it stays.
    with demo_app.app_context():
        db.session.get(ListItem, dibao).due_day = 10
        db.session.commit()
    assert status_of(demo_app, "zhang", dibao, date(2026, 10, 9)) == [("due", date(2026, 10, 10))]


def test_a_published_notice_filed_under_an_item_counts_for_its_period(demo_app, items, clients, notice, at):
    finances = items["财务收支"]
    # The demo's October ledger of 李庄村 was first shown in November: it counted for November.
    assert status_of(demo_app, "lizhuang", finances, date(2026, 11, 23)) == [("done", date(2026, 11, 10))]
    at("2026-12-11 09:00")   # past the 10th: December's finances are overdue in every village
    assert status_of(demo_app, "lizhuang", finances, clock.local_today())[0][0] == "overdue"
    filed = notice(title="李庄村11月财务收支公开", list_item=finances, approve=True)
    assert filed["list_item"] == finances and filed["state"] == "showing"
    assert status_of(demo_app, "lizhuang", finances, clock.local_today()) == [("done", date(2026, 12, 10))]
    assert status_of(demo_app, "wangjia", finances, clock.local_today())[0][0] == "overdue"
    # It counted for December only: January's finances are owed again (due Monday 11 January 2027).
    assert status_of(demo_app, "lizhuang", finances, date(2027, 1, 12)) == [("overdue", date(2027, 1, 11))]
    page = clients("lizhuang").get("/staff/villages/").get_data(as_text=True)
    assert f'data-status="lizhuang-{finances}-done"' in page and "王家村" not in page
    township = clients("editor").get("/staff/villages/").get_data(as_text=True)
    assert f'data-overdue="wangjia-{finances}"' in township and f'data-overdue="lizhuang-{finances}"' not in township


def test_an_unfiled_or_unpublished_notice_counts_for_nothing(demo_app, items, notice, at):
    finances = items["财务收支"]
    at("2026-12-11 09:00")
    notice(title="未归类的财务公开", approve=True)                       # published, but filed under nothing
    notice(title="李庄村财务草稿", list_item=finances, submit=True)       # filed, not yet published
    assert status_of(demo_app, "lizhuang", finances, clock.local_today())[0][0] == "overdue"


def test_a_matter_is_due_within_days_of_its_approval(demo_app, items, notice, clients, at):
    approval = items["需审批事项"]
    at("2026-11-23 09:00")
    # The demo's 王家村 宅基地 approval, formed 15 days before the demo was loaded and never published.
    overdue = status_of(demo_app, "wangjia", approval, clock.local_today())
    assert overdue and overdue[0][0] == "overdue"
    fresh = notice(title="李庄村宅基地审批结果", category="homestead", formed_on="2026-11-20", list_item=approval)
    # formed Friday 20 November + 5 days = Wednesday 25 November
    assert status_of(demo_app, "lizhuang", approval, clock.local_today()) == [("due", date(2026, 11, 25))]
    clients("lizhuang").api("post", f"/api/v1/notices/{fresh['id']}/submit", json={})
    clients("reviewer").api("post", f"/api/v1/notices/{fresh['id']}/approve", json={})
    assert status_of(demo_app, "lizhuang", approval, clock.local_today()) == [("done", date(2026, 11, 25))]


def test_the_clerk_is_reminded_before_the_due_date_and_the_township_told_when_overdue(demo_app, items, clients):
    finances = items["财务收支"]
    with demo_app.app_context():
        lizhuang, jinjia = get_unit_by_code("lizhuang"), get_unit_by_code("jinjia")
        supervisor = db.session.scalar(select(db.Model.registry._class_registry["User"]).where(
            db.Model.registry._class_registry["User"].username == "lizhuang-jd"))
        before = list(CONDITIONS["villages.item_due"].find(local("2026-12-04 09:00")))
        assert not [f for f in before if f.key.startswith(f"village-item:{lizhuang.id}:{finances}:")]   # 6 days ahead
        soon = list(CONDITIONS["villages.item_due"].find(local("2026-12-07 09:00")))
        reminder = next(f for f in soon if f.key == f"village-item:{lizhuang.id}:{finances}:2026-12")
        assert reminder.unit_id == lizhuang.id and "2026-12-10" in reminder.title and "李庄村" in reminder.title
        late = list(CONDITIONS["villages.item_overdue"].find(local("2026-12-11 09:00")))
        told = next(f for f in late if f.key == f"village-item:{lizhuang.id}:{finances}:2026-12")
        assert told.unit_id == jinjia.id and supervisor.id in told.user_ids
        assert not [f for f in CONDITIONS["villages.item_due"].find(local("2026-12-11 09:00"))
                    if f.key == reminder.key]
        assert CONDITIONS["villages.item_overdue"].roles and CONDITIONS["villages.item_due"].roles == ("editor",)
    # The village's supervision committee sees its own village's overdue list on the dashboard.
    committee = clients("lizhuang-jd").get("/staff/").get_data(as_text=True)
    panel = committee[committee.index('id="panel-overdue"'):]
    assert "李庄村 · 残疾人补贴名单" in panel and "王家村" not in panel


def test_the_township_administrator_edits_the_list(demo_app, clients, items):
    admin, editor = clients("admin"), clients("editor")
    created = admin.post_form("/staff/villages/list?township=jinjia", {
        "item": "0", "name": "集体资产出租", "basis": "本镇村务公开目录", "cadence": "quarterly", "due_day": "15",
        "responsible": "村报账员", "channels": ["board", "screen"], "active": "on"})
    assert created.status_code == 302
    with demo_app.app_context():
        item = db.session.scalar(select(ListItem).where(ListItem.name == "集体资产出租"))
        assert item.due_day == 15 and item.channels == ["board", "screen"] and item.since == clock.local_today()
    bad = admin.post_form("/staff/villages/list?township=jinjia", {
        "item": "0", "name": "村级公益项目", "cadence": "monthly", "due_day": "31", "active": "on"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400 and 'data-error-for="due_day"' in html and 'value="村级公益项目"' in html
    duplicate = admin.post_form("/staff/villages/list?township=jinjia", {"item": "0", "name": "财务收支",
                                                                         "cadence": "monthly", "due_day": "5"})
    assert duplicate.status_code == 400 and 'data-error-for="name"' in duplicate.get_data(as_text=True)
    personal = admin.post_form("/staff/villages/list?township=jinjia", {
        "item": "0", "name": "联系人 13812345678", "cadence": "at_once", "due_day": "0"})
    assert personal.status_code == 400
    changed = admin.post_form("/staff/villages/list?township=jinjia", {
        "item": str(items["财务收支"]), "name": "财务收支", "cadence": "monthly", "due_day": "15", "active": "on"})
    assert changed.status_code == 302
    assert editor.post_form("/staff/villages/list", {"item": "0", "name": "x", "cadence": "at_once",
                                                     "due_day": "0"}).status_code == 403
    assert clients("lizhuang").get("/staff/villages/list").status_code == 200   # read by every village
    created_entries = admin.api("get", "/api/v1/audit?action=village_list_item.create").get_json()["entries"]
    changed_entries = admin.api("get", "/api/v1/audit?action=village_list_item.update").get_json()["entries"]
    assert len(created_entries) == 1 and changed_entries[0]["after"]["due_day"] == 15


def test_a_notice_is_filed_only_under_an_item_of_its_township(demo_app, clients, notice, items):
    with demo_app.app_context():
        yinhe = create_unit(UnitKind.township, "银河镇", "yinhe", get_unit_by_code("county"))
        foreign = list_items(yinhe)[0].id
        db.session.commit()
    refused = clients("lizhuang").api("post", "/api/v1/notices", json={
        "category": "village_finances", "title": "财务", "formed_on": "2026-11-20", "audience": "villages",
        "villages": ["lizhuang"], "list_item": foreign})
    assert refused.status_code == 400 and refused.get_json()["field"] == "list_item"
    filed = notice(list_item=items["财务收支"])
    form = clients("lizhuang").get(f"/staff/notices/{filed['id']}").get_data(as_text=True)
    assert f'<option value="{items["财务收支"]}" selected>' in form
    unfiled = clients("lizhuang").api("patch", f"/api/v1/notices/{filed['id']}", json={"list_item": 0})
    assert unfiled.status_code == 200 and unfiled.get_json()["list_item"] == 0


def test_the_village_api_says_what_is_owed_within_the_callers_units(demo_app, clients, items, at):
    at("2026-12-11 09:00")
    owed = clients("lizhuang").api("get", "/api/v1/villages/lizhuang/disclosures")
    assert owed.status_code == 200
    rows = {row["item"]: row for row in owed.get_json()["items"]}
    assert rows["财务收支"]["state"] == "overdue" and rows["财务收支"]["due_on"] == "2026-12-10"
    assert clients("lizhuang").api("get", "/api/v1/villages/wangjia/disclosures").status_code == 404
    assert clients("editor").api("get", "/api/v1/villages/wangjia/disclosures").status_code == 200


def test_the_list_binds_from_the_day_it_was_set_up(demo_app):
    """The demo's list was set up on 23 November: November's finances, due on the 10th, are owed only
    where something was published for them; December's are owed everywhere."""
    from kiosk.villages.public_days import checklists
    with demo_app.app_context():
        jinjia = get_unit_by_code("jinjia")
        november = {(s.village.code, s.item.name): s.state for s in due.statuses(jinjia, date(2026, 11, 23))}
        assert november[("lizhuang", "财务收支")] == "done" and ("wangjia", "财务收支") not in november
        december = {(s.village.code, s.item.name): s.state for s in due.statuses(jinjia, date(2026, 12, 11))}
        assert december[("wangjia", "财务收支")] == "overdue"
        # The 村务公开日 of 7 December counts what December owes, with what was published until now.
        [checklist] = [c for c in checklists(jinjia, date(2026, 11, 23)) if c.public_day.name == "村务公开日"]
        finances = next(row for row in checklist.rows if row.item.name == "财务收支")
        assert checklist.days_left == 14 and len(finances.villages) == 11 and finances.done == 0
