"""The small breakages found walking the staff pages, each held by a test."""
import re

from sqlalchemy import select


def test_a_registered_screen_is_in_the_table_and_pairing_list_of_the_page_returned(demo_app, staff):
    from kiosk.extensions import db
    from kiosk.screens.models import ScreenGroup
    manager = staff("screens")
    with demo_app.app_context():
        group_id = db.session.scalar(select(ScreenGroup.id).where(ScreenGroup.code == "villages"))
    page = manager.post_form("/staff/screens/", {"form": "new", "new-name": "金山村第二公开栏", "new-unit": "jinshan",
                                                 "new-kind": "noticeboard_portrait", "new-groups": [group_id]})
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html
    table = html[html.index("<table"):html.index("</table>")]
    assert "金山村第二公开栏" in table
    pairing = re.search(r'<select[^>]*name="pair-screen".*?</select>', html, re.S).group(0)
    assert "金山村第二公开栏" in pairing


def test_a_cleared_urgent_notice_no_longer_says_offline_screens_wait_for_it(staff):
    manager = staff("screens")
    groups = manager.api("GET", "/api/v1/screen-groups").get_json()
    group = next(g for g in (groups.get("groups", groups) if isinstance(groups, dict) else groups)
                 if g["code"] == "villages")
    urgent = manager.api("POST", "/api/v1/urgent-notices", json={"unit": "jinjia", "title": "寒潮预警",
                                                                 "groups": [group["id"]]}).get_json()
    def rows():   # the table's rows, not the words its script is given (data-words holds them all)
        page = manager.get(f"/staff/screens/urgent/{urgent['id']}").get_data(as_text=True)
        return page[page.index("<tbody", page.index('id="arrivals"')):]

    assert "恢复连接后立即显示" in rows()
    assert manager.api("POST", f"/api/v1/urgent-notices/{urgent['id']}/clear").status_code == 200
    after = rows()
    assert "恢复连接后立即显示" not in after and "已撤下，未在此屏显示" in after


def test_a_village_clerk_starts_on_their_own_village_and_is_offered_only_what_is_allowed(staff):
    html = staff("lizhuang").get("/staff/notices/new").get_data(as_text=True)
    assert re.search(r'name="audience" value="villages" checked', html)
    assert re.search(r'name="villages" value="lizhuang" checked', html)
    offered = set(re.findall(r'name="audience" value="(\w+)"', html))
    assert offered == {"villages", "internal"}


def test_every_page_has_a_favicon(demo_app, staff):
    icon = demo_app.test_client().get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    # staff pages link it; public pages stay one request and let the browser ask /favicon.ico itself
    assert 'rel="icon"' in staff("editor").get("/staff/").get_data(as_text=True)


def test_a_screen_just_paired_is_not_shown_as_unregistered(demo_app, staff):
    waiting = demo_app.test_client().get("/display/").get_data(as_text=True)
    code = re.search(r"\b(\d{3}) ?(\d{3})\b", re.sub(r"<[^>]+>", " ", waiting))
    manager = staff("screens")
    page = manager.get("/staff/screens/").get_data(as_text=True)
    screen_id = re.search(r'<option value="(\d+)">李庄村村务公开栏', page).group(1)
    paired = manager.post_form("/staff/screens/", {"form": "pair", "pair-code": code.group(1) + code.group(2),
                                                   "pair-screen": screen_id})
    assert paired.status_code == 302
    row = re.search(r"李庄村村务公开栏</a>.*?</tr>", manager.get("/staff/screens/").get_data(as_text=True), re.S).group(0)
    assert "已配对：屏幕几秒内接入" in row and "未注册" not in row
