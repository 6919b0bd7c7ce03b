"""The image endpoints: sizes, modes, pages, ETags, print sheets, thumbnails and previews."""
from kiosk.extensions import db
from kiosk.screens.models import DisplayReport, Screen
from tests.render.conftest import picture

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080), "epaper-800x480": (800, 480),
         "epaper-1200x825": (1200, 825), "a4": (2480, 3508)}


def test_notice_at_every_size_and_mode(demo_app, notice):
    client = demo_app.test_client()
    for size, dimensions in SIZES.items():
        for mode, pillow_mode in (("colour", "RGB"), ("grey", "L"), ("mono", "1")):
            response = client.get(f"/api/v1/render/notices/{notice['id']}?size={size}&mode={mode}")
            assert response.status_code == 200, response.get_json()
            image = picture(response.data)
            assert image.size == dimensions and image.mode == pillow_mode, (size, mode)
    epaper = picture(client.get(f"/api/v1/render/notices/{notice['id']}?size=epaper-800x480").data)
    assert epaper.mode == "1"     # an e-paper size defaults to its panel's mode


def test_mono_text_is_crisp_not_dithered(demo_app, notice):
    """A 1-bit page: the text is thresholded, so a row of text has long runs, not dither noise."""
    image = picture(demo_app.test_client().get(f"/api/v1/render/notices/{notice['id']}?size=epaper-800x480").data)
    grey = image.convert("L")
    colours = {colour for _count, colour in grey.getcolors()}
    assert colours <= {0, 255}
    # Dithering would scatter isolated pixels over the pale paper: count lone black pixels.
    width, height = grey.size
    pixels = grey.load()
    lone = sum(1 for y in range(1, height - 1, 3) for x in range(1, width - 1)
               if pixels[x, y] == 0 and pixels[x - 1, y] == 255 and pixels[x + 1, y] == 255
               and pixels[x, y - 1] == 255 and pixels[x, y + 1] == 255)
    assert lone < 40


def test_long_notice_continues_on_numbered_pages(demo_app, approved):
    long = approved(title="长公告", body="\n\n".join(f"第{n}条，村民代表会议决定事项，共计1,000.00元。" * 3 for n in range(40)))
    client = demo_app.test_client()
    first = client.get(f"/api/v1/render/notices/{long['id']}?size=portrait")
    pages = int(first.headers["X-Pages"])
    assert pages >= 2
    last = client.get(f"/api/v1/render/notices/{long['id']}?size=portrait&page={pages}")
    assert last.status_code == 200 and last.data != first.data


def test_etag_answers_an_unchanged_poll_with_304(demo_app, notice):
    client = demo_app.test_client()
    url = f"/api/v1/render/notices/{notice['id']}?size=landscape"
    first = client.get(url)
    etag = first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_unknown_size_or_unpublished_notice_is_a_clear_error(demo_app, notice, draft):
    client = demo_app.test_client()
    bad = client.get(f"/api/v1/render/notices/{notice['id']}?size=huge")
    assert bad.status_code == 400 and "portrait" in bad.get_json()["message"]
    assert client.get(f"/api/v1/render/notices/{draft()['id']}").status_code == 404


def test_image_board_polls_count_as_proof_of_display(demo_app, notice, board):
    from datetime import timedelta

    from kiosk.core import clock
    screen, token = board()
    client = demo_app.test_client()
    url = f"/api/v1/render/screen-now?token={token}&size=epaper-800x480"
    first = client.get(url)
    assert first.status_code == 200 and picture(first.data).size == (800, 480)
    clock.set_now(clock.now() + timedelta(seconds=1))
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code in (200, 304)
    with demo_app.app_context():
        row = db.session.get(Screen, screen["id"])
        assert row.online and row.now_showing["key"] == first.headers["X-Slide-Key"]
        reports = db.session.query(DisplayReport).filter_by(screen_id=screen["id"]).all()
        assert reports and reports[-1].ended_at > reports[0].started_at
    assert client.get("/api/v1/render/screen-now?token=nonsense").status_code == 401


def test_a_browser_screen_polling_its_picture_is_not_counted(demo_app, board):
    screen, token = board(kind="noticeboard_portrait", name="李庄村二号屏")
    assert demo_app.test_client().get(f"/api/v1/render/screen-now?token={token}").status_code == 200
    with demo_app.app_context():
        assert db.session.query(DisplayReport).filter_by(screen_id=screen["id"]).count() == 0


def test_village_print_sheet_is_one_pdf_of_every_notice(demo_app, notice, clients, tmp_path):
    from kiosk.files.pages import page_count
    editor = clients("lizhuang")
    response = editor.get("/api/v1/render/print-sheet?village=lizhuang")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    path = tmp_path / "sheet.pdf"
    path.write_bytes(response.data)
    single = editor.get(f"/api/v1/render/print-sheet?notice={notice['id']}")
    one = tmp_path / "one.pdf"
    one.write_bytes(single.data)
    assert page_count(path) > page_count(one) >= 1
    png = editor.get(f"/api/v1/render/print-sheet?notice={notice['id']}&format=png")
    assert picture(png.data).size == (2480, 3508) and round(picture(png.data).info["dpi"][0]) == 300
    assert editor.get("/api/v1/render/print-sheet").status_code == 400
    assert demo_app.test_client().get("/api/v1/render/print-sheet?village=lizhuang").status_code == 401


def test_staff_thumbnail_of_what_a_screen_shows(demo_app, manager, board):
    screen, _token = board()
    response = manager.get(f"/api/v1/render/screens/{screen['id']}/now")
    assert response.status_code == 200 and picture(response.data).width == 270
    page = manager.get("/staff/screens/").get_data(as_text=True)
    assert f"/api/v1/render/screens/{screen['id']}/now" in page


def test_rotation_preview_shows_the_strip_and_saves_nothing(demo_app, manager, board, notice):
    from kiosk.screens.models import Rotation
    screen, _token = board()
    with demo_app.app_context():
        before = db.session.query(Rotation).count()
    rotation = {"name": "预览测试", "unit": "jinjia", "group": "villages", "priority": 999,
                "slides": [{"kind": "clock", "welcome": "欢迎"}, {"kind": "notice", "duration": 10},
                           {"kind": "qr", "link": "http://kiosk.test/guide", "caption": "办事指南"}]}
    response = manager.api("POST", "/api/v1/render/rotation-preview", json={"screen": screen["id"],
                                                                            "rotation": rotation})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["playing"] == "预览测试"
    kinds = [slide["kind"] for slide in body["slides"]]
    assert kinds[0] == "clock" and kinds[-1] == "qr" and "notice" in kinds
    assert any(slide["title"] == "李庄村10月财务收支公开" for slide in body["slides"])
    assert all(slide["image"].startswith("data:image/png;base64,") for slide in body["slides"])
    with demo_app.app_context():
        assert db.session.query(Rotation).count() == before


def test_urgent_preview_before_pushing(manager):
    response = manager.get("/api/v1/render/urgent-preview?unit=jinjia&title=暴雨红色预警&body=请村民不要外出")
    assert response.status_code == 200 and picture(response.data).size == (1920, 1080)
    assert picture(response.data).convert("RGB").getpixel((5, 5)) == (0xb3, 0x00, 0x1b)
    assert "urgent-preview" in manager.get("/staff/screens/urgent").get_data(as_text=True)


def test_registering_an_image_board_gives_the_link_it_polls(manager):
    page = manager.post_form("/staff/screens/", data={"form": "new", "new-name": "王家村二号墨水屏", "new-unit": "wangjia",
                                                      "new-kind": "image_board"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/api/v1/render/screen-now?token=" in html and "图片屏" in html


def test_an_image_board_pairs_by_the_code_it_shows(demo_app, manager, board):
    client = demo_app.test_client()
    url = "/api/v1/render/screen-now?token=e-paper-board-7f3a9c2d41&size=epaper-800x480"
    first = client.get(url)
    code = first.headers["X-Pairing-Code"]
    assert first.status_code == 200 and len(code) == 6 and picture(first.data).size == (800, 480)
    assert client.get(url).headers["X-Pairing-Code"] == code            # the same code until it is used
    screen, _token = board(name="李庄村新墨水屏")
    paired = manager.api("POST", "/api/v1/screens/pair", json={"code": code, "screen": screen["id"]})
    assert paired.status_code == 200, paired.get_json()
    now = client.get(url)
    assert now.status_code == 200 and "X-Pairing-Code" not in now.headers and now.headers["X-Slide-Key"]
    with demo_app.app_context():
        assert db.session.query(DisplayReport).filter_by(screen_id=screen["id"]).count() == 1
    assert client.get("/api/v1/render/screen-now?token=too-short").status_code == 401


def test_print_buttons_where_a_clerk_looks(demo_app, notice, clients, manager, board):
    """The A4 sheet was reachable only by the API's address: the notice's pages and the screens page link it."""
    import re
    board()   # a 李庄村 screen on the screens page
    for who, page in (("lizhuang", f"/staff/notices/{notice['id']}"), ("reviewer", f"/staff/notices/{notice['id']}/review")):
        html = clients(who).get(page).get_data(as_text=True)
        link = re.search(r'class="print-sheet" href="([^"]+)"', html)
        assert link, f"no print link on {page}"
        sheet = clients(who).get(link.group(1).replace("&amp;", "&"))
        assert sheet.status_code == 200 and sheet.mimetype == "application/pdf"
    html = manager.get("/staff/screens/").get_data(as_text=True)
    links = dict((name, href) for href, name in re.findall(r'<a href="([^"]*print-sheet[^"]*)"[^>]*>([^<]+)</a>', html))
    assert "李庄村" in links
    sheet = manager.get(links["李庄村"].replace("&amp;", "&"))
    assert sheet.status_code == 200 and sheet.mimetype == "application/pdf"


def test_the_thumbnail_draws_what_the_words_beside_it_name(demo_app, manager, board, notice):
    """The screens page named the slide the screen reported while the thumbnail drew the slide the
    clock would choose: both now come from the screen's state (state.py) for the reported slide."""
    import html as html_lib
    from datetime import timedelta
    import re

    from kiosk.core import clock
    from kiosk.render.boards import showing_now
    from kiosk.render.formats import get_format
    from kiosk.screens.state import playing_slides
    screen, _token = board(kind="noticeboard_portrait", name="李庄村二号屏")
    with demo_app.test_request_context():
        row = db.session.get(Screen, screen["id"])
        by_clock = showing_now(row, get_format("portrait")).entry["key"]
        other = next(e for e in playing_slides(row, clock.now()) if e["key"] != by_clock and e.get("title"))
        row.now_showing = {"key": other["key"], "kind": other["kind"], "title": other["title"]}
        db.session.commit()
    page = manager.get("/staff/screens/").get_data(as_text=True)
    cell = page.split(f'data-screen="{screen["id"]}"')[1].split("</tr>")[0]
    assert other["title"] in cell
    src = html_lib.unescape(re.search(r'class="thumb"[^>]*src="([^"]+)"', cell).group(1))
    reported = manager.get(src)
    clock_based = manager.get(f"/api/v1/render/screens/{screen['id']}/now")
    assert reported.status_code == 200 and reported.data != clock_based.data
    clock.set_now(clock.now() + timedelta(seconds=7))   # the clock moves on; the reported slide stays
    assert manager.get(src).headers["ETag"] == reported.headers["ETag"]
