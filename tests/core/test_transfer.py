"""`kiosk db backup`, `restore` and `import-sqlite`: round trips on SQLite and PostgreSQL, through the CLI,
and a second township merged into a county database that holds the first."""
import io
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from flask_login import login_user
from sqlalchemy import create_engine, select, text

from kiosk.accounts.models import Role
from kiosk.accounts.operations import create_user
from kiosk.core import clock
from kiosk.core.db import Base
from kiosk.core.transfer import counts
from kiosk.disclosures import operations as notice_ops
from kiosk.disclosures.checks import check_now
from kiosk.disclosures.categories import save_category
from kiosk.disclosures.models import CategoryGroup
from kiosk.extensions import db
from kiosk.files import IMAGE_OR_PDF, check_upload
from kiosk.org.models import UnitKind
from kiosk.org.operations import create_unit
from kiosk.privacy.samples import text_pdf
from kiosk.queue import operations as queue_ops
from kiosk.screens import operations as screen_ops
from kiosk.screens.models import Screen, ScreenKind, SlideImage, SlideKind
from kiosk.screens.reports import record_reports
from kiosk.screens.rotations import create_rotation
from kiosk.screens.schemas import RotationIn, SlideIn
from tests.kiosk_command import KIOSK, kiosk_env

# Every kind of record the issue names, compared row by row (all columns, ids included).
SAMPLED = ("unit", "user_account", "notice", "notice_version", "notice_attachment", "notice_comment", "screen",
           "screen_group_member", "rotation", "slide", "queue_ticket", "queue_rating", "audit_entry")


def kiosk(args, instance, database_url=None, stdin=""):
    environment = kiosk_env(instance)
    if database_url:
        environment["KIOSK_DATABASE_URL"] = database_url
    return subprocess.run(KIOSK + args, input=stdin, env=environment, capture_output=True, text=True, timeout=300)


def rows(url: str, table: str) -> list[dict]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            model = Base.metadata.tables[table]
            return [dict(r) for r in connection.execute(select(model).order_by(*model.primary_key.columns)).mappings()]
    finally:
        engine.dispose()


def assert_same(url_a: str, url_b: str) -> None:
    engine_a, engine_b = create_engine(url_a), create_engine(url_b)
    try:
        assert counts(engine_a) == counts(engine_b)
    finally:
        engine_a.dispose()
        engine_b.dispose()
    for table in SAMPLED:
        copied = rows(url_b, table)
        assert copied, f"the demo has no {table} rows to compare"
        assert rows(url_a, table) == copied, table


def sqlite_url(path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture
def township(tmp_path, demo_db):
    """A township box: an instance folder holding the demo database."""
    instance = tmp_path / "township"
    instance.mkdir()
    shutil.copy(demo_db, instance / "kiosk.sqlite3")
    return instance


def add_user(instance, database_url=None, name="newclerk"):
    added = kiosk(["user", "add", name, "--role", "editor", "--unit", "lizhuang", "--password-stdin"], instance,
                  database_url, stdin="a-long-enough-password-2026\n")
    assert added.returncode == 0, added.stderr


def assert_audit_chain_holds(instance, database_url=None):
    verified = kiosk(["audit", "verify"], instance, database_url)
    assert verified.returncode == 0, verified.stderr
    assert "audit chain holds" in verified.stdout and not verified.stdout.startswith("audit chain holds: 0 ")


def test_sqlite_backup_then_restore_brings_back_exactly_the_backup(township, tmp_path):
    backup = tmp_path / "backup.sqlite3"
    made = kiosk(["db", "backup", str(backup)], township)
    assert made.returncode == 0, made.stderr
    live = sqlite_url(township / "kiosk.sqlite3")
    assert_same(live, sqlite_url(backup))

    add_user(township)  # a change after the backup ...
    assert len(rows(live, "user_account")) == len(rows(sqlite_url(backup), "user_account")) + 1
    restored = kiosk(["db", "restore", str(backup)], township)
    assert restored.returncode == 0, restored.stderr
    assert_same(live, sqlite_url(backup))  # ... is gone again
    assert_audit_chain_holds(township)  # the entries came back with their hashes

    again = kiosk(["db", "backup", str(backup)], township)
    assert again.returncode == 2 and str(backup) in again.stderr


def test_a_backup_is_consistent_while_the_database_is_written(township, tmp_path):
    """SQLite's online backup copies one state of the file, even with a writer holding it open."""
    writer = sqlite3.connect(township / "kiosk.sqlite3")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE setting SET value = value")  # an open write transaction during the backup
    made = kiosk(["db", "backup", str(tmp_path / "during.sqlite3")], township)
    writer.rollback()
    writer.close()
    assert made.returncode == 0, made.stderr
    assert_same(sqlite_url(township / "kiosk.sqlite3"), sqlite_url(tmp_path / "during.sqlite3"))


@pytest.mark.postgres
def test_import_into_postgresql_then_backup_and_restore_there(township, tmp_path, postgres_url):
    county = tmp_path / "county"
    county.mkdir()
    uploads = township / "uploads" / "notices"
    uploads.mkdir(parents=True)
    (uploads / "ledger.pdf").write_bytes(b"%PDF-1.4 ledger")

    imported = kiosk(["db", "import-sqlite", str(township / "kiosk.sqlite3"), "--uploads",
                      str(township / "uploads")], county, postgres_url)
    assert imported.returncode == 0, imported.stderr
    assert "1 uploaded files copied" in imported.stdout
    assert (county / "uploads" / "notices" / "ledger.pdf").read_bytes() == b"%PDF-1.4 ledger"
    assert_same(sqlite_url(township / "kiosk.sqlite3"), postgres_url)
    assert_audit_chain_holds(county, postgres_url)

    refused = kiosk(["db", "import-sqlite", str(township / "kiosk.sqlite3")], county, postgres_url)
    assert refused.returncode == 2 and "kiosk db restore" in refused.stderr  # the way to replace everything

    add_user(county, postgres_url)  # new rows get fresh ids after the imported ones
    users = rows(postgres_url, "user_account")
    assert users[-1]["username"] == "newclerk" and users[-1]["id"] == max(u["id"] for u in users)

    backup = tmp_path / "county-backup.sqlite3"
    made = kiosk(["db", "backup", str(backup)], county, postgres_url)
    assert made.returncode == 0, made.stderr
    assert_same(postgres_url, sqlite_url(backup))

    add_user(county, postgres_url, "another")
    restored = kiosk(["db", "restore", str(backup)], county, postgres_url)
    assert restored.returncode == 0, restored.stderr
    assert_same(postgres_url, sqlite_url(backup))
    assert_audit_chain_holds(county, postgres_url)
    add_user(county, postgres_url, "after-restore")  # the log takes new entries, chained on ...
    assert_audit_chain_holds(county, postgres_url)
    engine = create_engine(postgres_url)
    try:  # ... and its protection is back
        with pytest.raises(Exception, match="append-only"), engine.begin() as connection:
            connection.execute(text("TRUNCATE audit_entry CASCADE"))
        with pytest.raises(Exception, match="append-only"), engine.begin() as connection:
            connection.execute(text("DELETE FROM audit_entry"))
    finally:
        engine.dispose()


def test_a_file_that_is_not_a_kiosk_database_is_refused(township, tmp_path):
    stray = tmp_path / "notes.sqlite3"
    stray.write_text("not a database")
    for command in (["db", "restore", str(stray)], ["db", "import-sqlite", str(stray)],
                    ["db", "restore", str(tmp_path / "missing.sqlite3")]):
        refused = kiosk(command, township)
        assert refused.returncode == 2, command
        assert refused.stderr.startswith("kiosk: error:") and len(refused.stderr.strip().splitlines()) == 1


# -- a second township merged into the county's database ------------------------------------------------

PASSWORD = "a-long-enough-password-2026"


def box_path(app) -> Path:
    with app.app_context():
        db.engine.dispose()
    return Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))


def build_yinxi(app, scratch: Path) -> None:
    """The township 银溪镇 built through the app's own operations, each step by the account that would
    take it (so the audit log names them): the county's administrator (every township's box has one),
    its own staff, a category of its own, a notice for a village with a PDF attached, approved; a screen
    in two groups, a rotation naming the notice and a picture, a display report; a ticket called, served
    and rated."""
    with app.test_request_context():
        county = create_unit(UnitKind.county, "示范县", "county")
        township = create_unit(UnitKind.township, "银溪镇", "yinxi", county)
        hall = create_unit(UnitKind.hall, "银溪镇便民服务中心", "yinxi-hall", township)
        village = create_unit(UnitKind.village, "清水村", "qingshui", township)
        admin = create_user("admin", PASSWORD, {Role.administrator}, county, "县管理员")
        editor, reviewer, manager, clerk = (create_user(name, PASSWORD, {role}, unit, name) for name, role, unit in (
            ("yx-editor", Role.editor, township), ("yx-reviewer", Role.reviewer, township),
            ("yx-screens", Role.screen_manager, township), ("yx-window1", Role.window_clerk, hall)))

        login_user(admin)
        save_category(admin, {"code": "tea_subsidy", "name": "茶园补贴", "group": CategoryGroup.art21})
        service = queue_ops.save_service(admin, hall, prefix="A", name="社会保险", daily_cap=None, hours={},
                                         materials="居民身份证原件")
        window = queue_ops.save_window(admin, hall, number=1, service_ids=[service.id])

        login_user(editor)
        notice = notice_ops.create_notice(editor, {
            "title": "清水村救灾救济补贴发放公示", "category": "village_relief", "summary": "补贴发放名单",
            "body": "清水村本年度救灾救济补贴发放情况见附件。", "formed_on": clock.local_today(),
            "audience": "villages", "villages": ["qingshui"]})
        pdf = text_pdf(scratch / "relief.pdf", ["Qingshui village relief payments, list of households"]).read_bytes()
        check_now(notice_ops.add_attachment(editor, notice, check_upload(io.BytesIO(pdf), "relief.pdf",
                                                                         kinds=IMAGE_OR_PDF, max_bytes=1 << 20)))
        notice_ops.submit_notice(editor, notice)
        login_user(reviewer)
        notice_ops.approve_notice(reviewer, notice)

        login_user(manager)
        everywhere = screen_ops.create_group(manager, township, "villages", "全部村务公开栏")
        board = screen_ops.create_group(manager, village, "board", "清水村公开栏")
        screen, _token = screen_ops.create_screen(manager, village, ScreenKind.noticeboard_portrait, "清水村村务公开栏",
                                                  [everywhere, board])
        # Stands in for an upload (whose privacy check reads the picture by OCR, for seconds).
        picture = SlideImage(unit=township, name="银溪风光", sha256="0" * 64, content_type="image/png", width=1080,
                             height=1920)
        db.session.add(picture)
        db.session.flush()
        rotation = create_rotation(manager, RotationIn(name="银溪镇日常轮播", unit="yinxi", group="villages", slides=[
            SlideIn(kind=SlideKind.notice, notice_ids=[notice.id]),
            SlideIn(kind=SlideKind.image, image_id=picture.id, caption="银溪风光"),
            SlideIn(kind=SlideKind.clock, welcome="欢迎来到银溪镇")]))
        shown = int(clock.now().timestamp() * 1000)
        record_reports(screen, {"reports": [{"key": f"s{rotation.slides[0].id}:n{notice.id}", "kind": "notice",
                                             "notice_id": notice.id, "start": shown - 15_000, "end": shown}]})

        login_user(clerk)
        ticket = queue_ops.issue_ticket(service, user=clerk)
        queue_ops.call_next(clerk, window.id)
        queue_ops.start(clerk, window.id, ticket.id)
        queue_ops.finish(clerk, window.id, ticket.id)
        queue_ops.rate(ticket, 5, "window")
        db.session.commit()


def build_bare(app, county: tuple[str, str], username: str, token_hash: str | None = None) -> None:
    """The township 金水镇 under the county (name, code) with one account, and a screen holding
    `token_hash` if given."""
    with app.app_context():
        top = create_unit(UnitKind.county, *county)
        township = create_unit(UnitKind.township, "金水镇", "jinshui", top)
        create_user(username, PASSWORD, {Role.editor}, township)
        if token_hash:
            db.session.add(Screen(unit=township, kind=ScreenKind.noticeboard_portrait, name="金水镇公开栏",
                                  token_hash=token_hash))
        db.session.commit()


@pytest.fixture
def yinxi(make_app, migrated_db, tmp_path) -> Path:
    """The second township's box (its database file; its uploads beside it in `uploads`)."""
    app = make_app(migrated_db)
    build_yinxi(app, tmp_path)
    return box_path(app)


@pytest.fixture
def bare_box(make_app, migrated_db):
    def make(county=("示范县", "county"), username="js-editor", token_hash=None) -> Path:
        app = make_app(migrated_db)
        build_bare(app, county, username, token_hash)
        return box_path(app)
    return make


def table_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        return counts(engine)
    finally:
        engine.dispose()


def one(url: str, table: str, **where) -> dict:
    found = [row for row in rows(url, table) if all(row[k] == v for k, v in where.items())]
    assert len(found) == 1, (table, where, len(found))
    return found[0]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def county_url(request, tmp_path) -> str:
    """A new, empty county database: a SQLite file, or a scratch PostgreSQL database."""
    if request.param == "postgres":
        return request.getfixturevalue("postgres_url")
    return sqlite_url(tmp_path / "county" / "kiosk.sqlite3")


def test_a_second_township_is_merged_into_the_county_database(township, yinxi, bare_box, tmp_path, county_url):
    county = tmp_path / "county"
    county.mkdir(exist_ok=True)
    first = kiosk(["db", "import-sqlite", str(township / "kiosk.sqlite3")], county, county_url)
    assert first.returncode == 0, first.stderr
    before, box = table_counts(county_url), table_counts(sqlite_url(yinxi))

    merged = kiosk(["db", "import-sqlite", str(yinxi), "--uploads", str(yinxi.parent / "uploads")], county, county_url)
    assert merged.returncode == 0, merged.stderr
    assert "2 uploaded files copied" in merged.stdout     # the upload and its public copy

    # Every row of the box came in, but the rows both held: the county, its administrator (and her role),
    # the categories of the migration, the holiday table; the import adds one audit entry of its own.
    expected = {table: before[table] + box[table] for table in before}
    shared = {"unit": 1, "user_account": 1, "user_role": 1, "notice_category": box["notice_category"] - 1,
              "holiday": box["holiday"], "setting": box["setting"], "scheduler_lease": box["scheduler_lease"],
              "audit_head": box["audit_head"]}
    expected.update({table: expected[table] - n for table, n in shared.items()})
    expected["audit_entry"] += 1
    assert table_counts(county_url) == expected
    for table in SAMPLED:  # the first township's rows stay as they were
        theirs = rows(sqlite_url(township / "kiosk.sqlite3"), table)
        assert rows(county_url, table)[:len(theirs)] == theirs, table

    unit = {code: one(county_url, "unit", code=code)
            for code in ("county", "jinjia", "yinxi", "yinxi-hall", "qingshui")}
    user = {name: one(county_url, "user_account", username=name)
            for name in ("admin", "yx-editor", "yx-reviewer", "yx-screens", "yx-window1")}
    assert user["admin"]["unit_id"] == unit["county"]["id"]  # the demo's, now also 银溪镇's
    assert unit["yinxi"]["parent_id"] == unit["county"]["id"]
    assert unit["qingshui"]["path"] == f"{unit['county']['path']}{unit['yinxi']['id']}/{unit['qingshui']['id']}/"
    roles = {row["user_id"]: row["role"] for row in rows(county_url, "user_role")}
    assert roles[user["yx-reviewer"]["id"]] == Role.reviewer and roles[user["admin"]["id"]] == Role.administrator

    # The notice: its unit, category by code, published version, audience, editors and attachment.
    notice = one(county_url, "notice", title="清水村救灾救济补贴发放公示")
    assert notice["unit_id"] == unit["yinxi"]["id"] and notice["index_number"].startswith("yinxi-")
    assert notice["category_id"] == one(county_url, "notice_category", code="village_relief")["id"]
    assert notice["audience_unit_ids"] == [unit["qingshui"]["id"]]
    version = one(county_url, "notice_version", id=notice["published_version_id"])
    assert version["notice_id"] == notice["id"] and version["audience_unit_ids"] == [unit["qingshui"]["id"]]
    assert version["submitted_by_id"] == user["yx-editor"]["id"]
    assert version["approved_by_id"] == user["yx-reviewer"]["id"]
    assert version["editor_ids"] == [user["yx-editor"]["id"]]
    attachment = one(county_url, "notice_attachment", notice_id=notice["id"])
    assert attachment["uploaded_by_id"] == user["yx-editor"]["id"]
    assert (county / "uploads" / "notices" / attachment["stored_name"]).is_file()

    # The screen in its groups, the rotation's slides, what the screen reported.
    screen = one(county_url, "screen", name="清水村村务公开栏")
    groups = {row["id"]: row for row in rows(county_url, "screen_group")}
    member_of = {(groups[m["group_id"]]["unit_id"], groups[m["group_id"]]["code"])
                 for m in rows(county_url, "screen_group_member") if m["screen_id"] == screen["id"]}
    assert screen["unit_id"] == unit["qingshui"]["id"]
    assert member_of == {(unit["yinxi"]["id"], "villages"), (unit["qingshui"]["id"], "board")}
    rotation = one(county_url, "rotation", name="银溪镇日常轮播")
    assert groups[rotation["group_id"]]["unit_id"] == unit["yinxi"]["id"]
    slides = sorted((s for s in rows(county_url, "slide") if s["rotation_id"] == rotation["id"]),
                    key=lambda s: s["position"])
    assert [s["kind"] for s in slides] == [SlideKind.notice, SlideKind.image, SlideKind.clock]
    assert slides[0]["config"]["notice_ids"] == [notice["id"]]
    assert slides[1]["config"]["image_id"] == one(county_url, "slide_image", name="银溪风光")["id"]
    assert one(county_url, "display_report", screen_id=screen["id"])["notice_id"] == notice["id"]

    # The ticket: its service and window at the hall, its clerk, its rating.
    ticket = one(county_url, "queue_ticket", hall_id=unit["yinxi-hall"]["id"])
    service = one(county_url, "queue_service", id=ticket["service_id"])
    window = one(county_url, "queue_window", id=ticket["window_id"])
    assert (service["hall_id"], service["prefix"]) == (unit["yinxi-hall"]["id"], "A")
    assert (window["hall_id"], window["number"]) == (unit["yinxi-hall"]["id"], 1)
    assert ticket["clerk_id"] == user["yx-window1"]["id"]
    assert one(county_url, "queue_rating", ticket_id=ticket["id"])["level"] == 5

    # The audit log: the box's entries after the county's, about the rows as they are now, then the import's.
    entries = rows(county_url, "audit_entry")
    created = one(county_url, "audit_entry", action="notice.create", actor_name="yx-editor")
    assert created["object_id"] == str(notice["id"]) and created["actor_id"] == user["yx-editor"]["id"]
    assert created["after"]["unit_id"] == unit["yinxi"]["id"]
    assert created["after"]["category_id"] == notice["category_id"]
    tea = one(county_url, "notice_category", code="tea_subsidy")
    tea_created = one(county_url, "audit_entry", action="category.create", object_id=str(tea["id"]))
    assert tea_created["actor_id"] == user["admin"]["id"]
    rotated = one(county_url, "audit_entry", action="rotation.create", object_id=str(rotation["id"]))
    assert rotated["after"]["slides"][0]["config"]["notice_ids"] == [notice["id"]]
    assert entries[-1]["action"] == "unit.import" and entries[-1]["object_id"] == str(unit["yinxi"]["id"])
    assert entries[-1]["after"] == {"name": "银溪镇", "code": "yinxi", "file": yinxi.name}
    assert_audit_chain_holds(county, county_url)

    # Refused, and nothing written: the same township again, another county, an account name taken by
    # someone else, a random token that happens to be taken (the units go in before the screens), an
    # audit log changed after it was written (chained anew, it would look sound).
    merged_counts = table_counts(county_url)
    demo_token = rows(county_url, "screen")[0]["token_hash"]
    tampered = bare_box()
    with sqlite3.connect(tampered) as connection:
        connection.execute("DROP TRIGGER audit_entry_no_update")
        connection.execute("UPDATE audit_entry SET actor_name = 'someone else'")
    connection.close()
    for other, said in ((yinxi, ["yinxi", "qingshui", "kiosk db restore"]),
                        (bare_box(county=("临江县", "linjiang")), ["临江县 (linjiang)", "示范县 (county)"]),
                        (bare_box(username="editor"), ["editor"]),
                        (bare_box(token_hash=demo_token), ["screen", "token_hash", demo_token]),
                        (tampered, [])):
        refused = kiosk(["db", "import-sqlite", str(other)], county, county_url)
        error = refused.stderr.splitlines()[-1]  # after the migration's log of the staged copy
        assert refused.returncode == 2 and error.startswith("kiosk: error:"), refused.stderr
        assert all(words in error for words in said), error
        assert table_counts(county_url) == merged_counts
    assert_audit_chain_holds(county, county_url)
