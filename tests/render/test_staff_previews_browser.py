"""The screen manager's previews in Chromium: the rotation editor's strip for a chosen screen, the
urgent-notice form's picture, and the thumbnails on the screens page."""
import pytest

from tests.screens.test_staff_browser import manager_page  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_rotation_strip_and_urgent_preview(manager_page):  # noqa: F811
    page, server = manager_page
    page.goto(server.url + "/staff/screens/rotations/new")
    page.fill("input[name=name]", "预览用轮播")
    page.select_option("select[name=unit]", "jinjia")
    page.select_option("select[name=group]", "villages")
    page.fill("input[name=priority]", "500")
    page.select_option("#preview select[name=screen]", label="李庄村村务公开栏 (李庄村)")
    page.click("#preview button[type=submit]")
    page.wait_for_selector("#strip li img")
    assert "预览用轮播" in page.inner_text("#strip .why")
    assert page.eval_on_selector("#strip li img", "img => img.naturalWidth") > 0
    assert page.locator("#rotation").count() == 1      # nothing was saved: still the new-rotation editor

    page.goto(server.url + "/staff/screens/urgent")
    page.fill("input[name=title]", "暴雨红色预警")
    page.wait_for_function("() => document.getElementById('urgent-preview').src.includes('%E6%9A%B4%E9%9B%A8')")
    page.wait_for_function("() => document.getElementById('urgent-preview').complete && "
                           "document.getElementById('urgent-preview').naturalWidth === 960")

    page.goto(server.url + "/staff/screens/")
    page.wait_for_function("() => [...document.querySelectorAll('img.thumb')].some((i) => i.naturalWidth === 270)")
