"""The screen manager's pages in Chromium: the rotation editor and the urgent notice arrival list."""
import pytest

from kiosk.demo.township import DEMO_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def manager_page(demo_app, live_server, page):
    server = live_server(demo_app)
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(server.url + "/staff/login")
    page.fill("input[name=username]", "screens")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/staff/")
    return page, server


def test_the_rotation_editor_saves_and_shows_errors_in_place(manager_page):
    page, server = manager_page
    page.goto(server.url + "/staff/screens/rotations/new")
    page.fill("input[name=name]", "周末便民提示")
    page.select_option("select[name=unit]", "jinjia")
    page.select_option("select[name=group]", "villages")
    page.fill("input[name=priority]", "30")
    for day in ("6", "7"):
        page.locator(".daypart input[name=weekday][value='%s']" % day).check()
    for day in ("1", "2", "3", "4", "5"):
        page.locator(".daypart input[name=weekday][value='%s']" % day).uncheck()
    page.click("#add-slide")
    second = page.locator("#slides > li").nth(1)
    second.locator("select[name=kind]").select_option("qr")
    second.locator("input[name=link]").fill("ftp://www.12388.gov.cn/")
    second.locator("input[name=caption]").fill("纪检监察举报 12388")
    second.locator("input[name=duration]").fill("12")
    page.click("#rotation button[type=submit]")
    page.wait_for_selector("#errors:has-text('保存失败')")
    assert "https://" in page.inner_text("#errors")
    second.locator("input[name=link]").fill("https://www.12388.gov.cn/")
    page.click("#rotation button[type=submit]")
    page.wait_for_url("**/staff/screens/rotations/")
    row = page.locator("#rotations tr", has_text="周末便民提示")
    assert "周六、周日" in row.inner_text() and "二维码卡片 12s" in row.inner_text()
    page.screenshot(path="/tmp/screens-staff-rotations.png", full_page=True)

    row.locator("a").click()
    page.wait_for_selector("#slides > li >> nth=1")
    assert page.locator("#slides > li").nth(1).locator("input[name=caption]").input_value() == "纪检监察举报 12388"
    assert page.locator(".daypart input[name=weekday][value='6']").is_checked()
    assert not page.locator(".daypart input[name=weekday][value='1']").is_checked()


def test_the_screens_page_and_an_urgent_push(manager_page):
    page, server = manager_page
    page.goto(server.url + "/staff/screens/")
    assert page.locator("#screens tbody tr").count() == 13  # 11 villages, the hall board, the touch kiosk
    page.screenshot(path="/tmp/screens-staff-list.png", full_page=True)
    page.goto(server.url + "/staff/screens/urgent")
    page.fill("input[name=title]", "暴雨蓝色预警")
    page.fill("textarea[name=body]", "今夜有大到暴雨，请勿靠近河道。")
    page.select_option("select[name=groups]", label="全部村务公开栏 (金家镇)")
    page.click("button.primary")
    page.wait_for_selector("#arrivals tbody tr >> nth=10")
    assert page.locator("#arrivals tbody tr").count() == 11
    page.wait_for_selector("#arrivals .link:has-text('离线')")
    page.screenshot(path="/tmp/screens-staff-urgent.png", full_page=True)
    page.click("#clear")
    page.wait_for_selector(".flash:has-text('已解除')")
