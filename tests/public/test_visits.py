"""#24: visits to the public pages are counted per day, unit and kind of page, and a visit through a QR
code is told from a typed or clicked one; nothing about the visitor is kept; section 一 of the annual
report says the counts."""
import html
import re
import threading
from urllib.parse import urlsplit

import pytest
from sqlalchemy import delete, inspect, select

from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.public.models import PageVisit, VisitedPage
from kiosk.public.visits import count_visit
from kiosk.qr import public_url, scanned_link
from tests.conftest import demo_on_postgres, registered_screen
from tests.render.conftest import decoded, picture

CRAWLER = "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"


def counted(app) -> dict:
    """{(page, scanned): count} over every unit and day."""
    with app.app_context():
        rows = db.session.scalars(select(PageVisit)).all()
        return {(row.page.value, row.scanned): row.count for row in rows}


@pytest.fixture
def no_visits(demo_app):
    """The demo records a month of visits; these tests count their own."""
    with demo_app.app_context():
        db.session.execute(delete(PageVisit))
        db.session.commit()


def scanned_address(client, page_path: str) -> str:
    """The address the page's own QR code holds, decoded from the picture the page shows."""
    page = client.get(page_path).get_data(as_text=True)
    source = re.search(r'<img src="(/qr/[^"]+\.png)"', page).group(1)
    [link] = decoded(picture(client.get(source).data))
    return link


def local(link: str) -> str:
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_a_notice_pages_qr_counts_a_scan_and_its_plain_address_a_visit(demo_app, visitor, low_income_list, no_visits):
    notice = low_income_list()
    with demo_app.app_context():
        plain = public_url(f"n/{notice['slug']}")
        marked = scanned_link(plain)
    page = visitor.get(f"/n/{notice['slug']}").get_data(as_text=True)
    assert plain in page and marked not in page           # the address people type stays the plain one
    assert counted(demo_app) == {("notice", False): 1}

    link = scanned_address(visitor, f"/n/{notice['slug']}")
    assert link == marked != plain
    scanned = visitor.get(local(link))
    assert scanned.status_code == 200 and notice["title"] in scanned.get_data(as_text=True)
    assert counted(demo_app) == {("notice", False): 2, ("notice", True): 1}
    with demo_app.app_context():
        assert {row.unit.code for row in db.session.scalars(select(PageVisit))} == {notice["unit"]}


def test_the_guides_qr_is_marked_and_a_link_from_a_scanned_page_is_not(demo_app, visitor, no_visits):
    link = scanned_address(visitor, "/guide")
    with demo_app.app_context():
        assert link == scanned_link(public_url("guide"))
    page = visitor.get(local(link)).get_data(as_text=True)
    assert counted(demo_app) == {("guide", False): 1, ("guide", True): 1}
    assert "qr" not in [part for href in re.findall(r'href="([^"]*)"', page) for part in re.split(r"[?&=]", href)]


def test_robots_heads_failures_staff_and_screens_are_not_counted(demo_app, visitor, low_income_list, staff,
                                                                 no_visits):
    notice = low_income_list()
    path = f"/n/{notice['slug']}?qr"
    assert visitor.get(path, headers={"User-Agent": CRAWLER}).status_code == 200
    assert visitor.get(path, headers={"User-Agent": "Sogou web spider/4.0"}).status_code == 200
    assert visitor.head(path).status_code == 200
    assert visitor.get("/n/no-such-notice?qr").status_code == 404
    assert staff("editor").get(path).status_code == 200
    token = registered_screen(demo_app, "noticeboard_portrait", "lizhuang")
    assert visitor.get(path, headers={"X-Screen-Token": token}).status_code == 200
    assert counted(demo_app) == {}


def test_catalogue_and_documents_are_counted_by_kind(demo_app, visitor, no_visits):
    assert visitor.get("/").status_code == 200
    assert visitor.get("/?village=lizhuang&qr").status_code == 200
    assert counted(demo_app) == {("catalogue", False): 1, ("catalogue", True): 1}
    with demo_app.app_context():
        codes = {row.unit.code: row.scanned for row in db.session.scalars(select(PageVisit))}
    assert codes == {"jinjia": False, "lizhuang": True}


def test_section_one_states_the_visits_and_scans_counted(demo_app, visitor, low_income_list, staff, no_visits):
    notice = low_income_list()
    for _ in range(3):
        visitor.get(f"/n/{notice['slug']}")
    visitor.get(f"/n/{notice['slug']}?qr")
    visitor.get("/?qr")
    visitor.get("/guide")
    visitor.get(f"/n/{notice['slug']}?qr", headers={"User-Agent": CRAWLER})
    page = staff("reviewer").get("/staff/reports/jinjia/2026").get_data(as_text=True)
    overview = html.unescape(page.split('name="section-overview"')[1].split("</textarea>")[0])
    assert "本年度网上公开目录和信息公开页面被访问6次，其中扫描二维码查看2次；全文文件被查阅或下载0次。" in overview

    csv = staff("reviewer").get("/staff/reports/statements.csv?unit=jinjia&period=2026-11").get_data(as_text=True)
    assert ",visits,金家镇,pages,6" in csv and ",visits,金家镇,scanned,2" in csv


def test_the_counter_keeps_nothing_about_the_visitor(demo_app):
    with demo_app.app_context():
        columns = {column["name"] for column in inspect(db.engine).get_columns("page_visit")}
    assert columns == {"day", "unit_id", "page", "scanned", "count"}


@pytest.mark.postgres
def test_concurrent_visits_on_postgres_are_all_counted(make_app, postgres_url, demo_db):
    app = demo_on_postgres(make_app, postgres_url, demo_db)
    with app.app_context():
        db.session.execute(delete(PageVisit))
        db.session.commit()
    with app.app_context():
        unit_id = db.session.scalar(select(Unit.id).where(Unit.code == "jinjia"))
    errors = []

    def visit_many():
        try:
            for _ in range(25):
                with app.app_context():
                    count_visit(unit_id, VisitedPage.notice, True)
                    db.session.commit()
        except Exception as error:   # noqa: BLE001  (reported below)
            errors.append(error)

    threads = [threading.Thread(target=visit_many) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert app.test_client().get("/?qr").status_code == 200
    assert counted(app) == {("notice", True): 200, ("catalogue", True): 1}
