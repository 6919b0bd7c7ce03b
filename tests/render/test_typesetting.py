"""Chinese line breaking on hard cases, tables that keep their columns, and the missing-glyph error,
measured with the configured font (Noto Sans CJK SC from fonts-noto-cjk)."""
import re

import pytest

from kiosk.render.blocks import Table, parse_body
from kiosk.render.breaking import NO_LINE_END, NO_LINE_START, balanced_lines, break_lines
from kiosk.render.fonts import shown, unshown
from kiosk.render.typeset import column_widths, measurer, paginate


@pytest.fixture
def measure(demo_app):
    with demo_app.app_context():
        yield measurer(40)


EM = 40   # one CJK character at size 40


def assert_kinsoku(lines):
    for line in lines:
        assert line[:1] not in NO_LINE_START, lines
        assert line[-1:] not in NO_LINE_END, lines


def test_breaks_anywhere_between_chinese_characters(measure):
    lines = break_lines("村民代表会议决定本年度道路维修事项", 5 * EM, measure)
    assert lines == ["村民代表会", "议决定本年", "度道路维修", "事项"]


def test_a_title_is_balanced_and_never_leaves_one_character_alone(measure):
    title = "2026年第四季度农村低保对象公示"
    width = measure(title) - EM / 2    # half a character short: one would be left alone
    assert break_lines(title, width, measure)[-1] == "示"
    lines = balanced_lines(title, width, measure)
    assert len(lines) == 2 and "".join(lines) == title
    assert min(measure(line) for line in lines) >= width / 3
    assert balanced_lines("村务公开", width, measure) == ["村务公开"]


@pytest.mark.parametrize("width", range(3, 14))
def test_punctuation_never_starts_or_ends_a_line(measure, width):
    text = "经研究，同意拨付资金（详见附件）。请于公示期内提出意见：“异议”、“建议”均可！是否同意？「是」『否』"
    lines = break_lines(text, width * EM, measure)
    assert "".join(lines) == text
    assert_kinsoku(lines)


@pytest.mark.parametrize("width", range(8, 16))   # from the widest whole piece up
def test_numbers_dates_and_latin_words_stay_whole(measure, width):
    text = "截至2026年10月8日共收入50,000.00元，上午8:30起在QR码处扫描Township网页，占比12.5%。"
    lines = break_lines(text, width * EM, measure)
    assert "".join(lines) == text
    for whole in ("50,000.00元", "2026年10月8日", "8:30", "QR", "Township", "12.5%"):
        assert any(whole in line for line in lines), (whole, lines)
    assert_kinsoku(lines)


def test_mixed_text_breaks_at_spaces_between_latin_words(measure):
    lines = break_lines("hotline 12345 and 12388 reporting line", 7 * EM, measure)
    assert all(not line.startswith(" ") and not line.endswith(" ") for line in lines)
    assert " ".join(lines).split() == "hotline 12345 and 12388 reporting line".split()


def test_a_link_wider_than_the_line_is_split_only_as_a_last_resort(measure):
    link = "https://jinjia.example.gov.cn/n/lizhuang-2026-10-finance-report"
    lines = break_lines(f"全文见{link}", 6 * EM, measure)
    assert "".join(lines) == f"全文见{link}" and all(measure(line) <= 6 * EM for line in lines)


def test_table_columns_keep_numbers_whole_even_when_narrow(demo_app):
    html = ("<table><thead><tr><th>项目</th><th>金额（元）</th><th>日期</th></tr></thead><tbody>"
            "<tr><td>上级转移支付补助资金用于村道路面修补</td><td>50,000.00</td><td>10月8日</td></tr></tbody></table>")
    with demo_app.app_context():
        table = parse_body(html)[0]
        assert isinstance(table, Table) and table.header_rows == 1 and table.numeric == [False, True, False]
        widths, size = column_widths(table, 12 * EM, EM)
        narrow = measurer(size)
        assert narrow("50,000.00") <= widths[1] and narrow("10月8日") <= widths[2]
        pages = paginate([table], 12 * EM, 20 * EM, EM)
        texts = [op[3] for op in pages[0] if op[0] == "text"]
        assert "50,000.00" in texts and "10月8日" in texts


def test_a_table_wider_than_the_page_shrinks_before_splitting(demo_app):
    cells = "".join(f"<td>{n},000,000.00</td>" for n in range(10, 14))
    html = f"<table><tr>{''.join(f'<th>第{n}列</th>' for n in range(4))}</tr><tr>{cells}</tr></table>"
    with demo_app.app_context():
        table = parse_body(html)[0]
        assert column_widths(table, 20 * EM, EM) is None          # too wide at full size
        pages = paginate([table], 20 * EM, 30 * EM, EM)
    boxes = [op for op in pages[0] if op[0] == "box"]
    assert max(op[3] for op in boxes) <= 20 * EM + 1            # every column on the page
    assert len({round(op[1]) for op in boxes}) == 4 and len(boxes) == 8   # four columns side by side, one part
    assert {op[3] for op in pages[0] if op[0] == "text"} == {*(f"第{n}列" for n in range(4)),
                                                             *(f"{n},000,000.00" for n in range(10, 14))}


def _edges(op) -> tuple[float, float]:
    """Where a drawing op starts and ends across the body (text as measured, as drawn)."""
    if op[0] == "box":
        return op[1], op[3]
    _, x, _y, text, size, bold, _colour, right = op
    width = measurer(size, bold)(text)
    return (x - width, x) if right else (x, x + width)


def test_a_table_too_wide_for_a_portrait_board_splits_its_columns_and_never_a_number(demo_app, approved):
    """Eight columns of millions do not fit a portrait board even at the smallest table type: the
    columns go into parts one after another, each led by the label column, every number whole."""
    from kiosk.disclosures.models import Notice
    from kiosk.extensions import db
    from kiosk.render.api import notice_entry
    from kiosk.render.formats import FORMATS
    from kiosk.render.slides import notice_geometry
    from kiosk.render.sources import context_for

    columns, labels = range(1, 9), list("甲乙丙丁戊")      # one character: a label the layout cannot break
    amounts = {(r, c): f"{c * 1_000_000 + r * 1_000 + 567.89:,.2f}" for r in range(1, 6) for c in columns}
    body = ("| 组 | " + " | ".join(f"{c}月（元）" for c in columns) + " |\n|---|" + "---:|" * 8 + "\n"
            + "".join(f"| {label} | " + " | ".join(amounts[r, c] for c in columns) + " |\n"
                      for r, label in enumerate(labels, 1)))
    notice = approved(title="李庄村各组分月收入", body=body)
    board = FORMATS["portrait"]
    with demo_app.test_request_context():
        entry = notice_entry(db.session.get(Notice, notice["id"]))
        geometry = notice_geometry(entry, board, context_for(entry))
        ops = [op for page in geometry.pages for op in page]
        edges = [_edges(op) for op in ops]
    left, right = geometry.body_box[0], geometry.body_box[2]
    assert right <= board.width
    texts = [op[3] for op in ops if op[0] == "text"]
    numbers = [op[3] for op in ops if op[0] == "text" and op[7]]   # the right-aligned text of the amount cells
    assert sorted(numbers) == sorted(amounts.values())              # each number drawn once, whole
    assert all(f"{c}月（元）" in texts for c in columns)              # every column, in some part
    parts = texts.count("组")
    assert parts >= 2 and all(texts.count(label) == parts for label in labels)   # the label column in each part
    for op, (start, end) in zip(ops, edges):
        assert start >= -0.5 and left + end <= right + 0.5, op


def test_no_demo_notice_draws_past_its_text_box_at_any_board_size(demo_app):
    from sqlalchemy import select

    from kiosk.disclosures.models import Notice
    from kiosk.extensions import db
    from kiosk.render.api import notice_entry
    from kiosk.render.formats import FORMATS
    from kiosk.render.slides import notice_geometry
    from kiosk.render.sources import context_for

    with demo_app.test_request_context():
        notices = db.session.scalars(select(Notice).where(Notice.published_version_id.is_not(None))).all()
        assert any("<table>" in notice_entry(n)["body_html"] for n in notices)
        for notice in notices:
            entry = notice_entry(notice)
            for fmt in FORMATS.values():
                geometry = notice_geometry(entry, fmt, context_for(entry))
                left, right = geometry.body_box[0], geometry.body_box[2]
                assert right <= fmt.width
                for number, page in enumerate(geometry.pages, 1):
                    for op in page:
                        start, end = _edges(op)
                        assert start >= -0.5 and left + end <= right + 0.5, (notice.title, fmt.name, number, op)


def test_long_tables_repeat_their_header_on_the_next_page(demo_app):
    rows = "".join(f"<tr><td>第{n}户</td><td>{n},200.00</td></tr>" for n in range(60))
    html = f"<table><thead><tr><th>户名</th><th>金额</th></tr></thead><tbody>{rows}</tbody></table>"
    with demo_app.app_context():
        pages = paginate(parse_body(html), 20 * EM, 25 * EM, EM)
    assert len(pages) > 1
    for page in pages:
        first_text = next(op[3] for op in page if op[0] == "text")
        assert first_text == "户名"


def test_a_heading_never_ends_a_page(demo_app):
    """Wherever the page ends, a heading goes with the first line of its text (the gallery's
    portrait notice ended a page on "3. 灌溉渠清淤": the space after a heading counted as its text),
    and spacing that does not fit leaves no empty page behind."""
    html = "".join(f"<h3>{n}. 第{n}项</h3><p>{'村级公益事业建设项目按程序实施。' * (n % 3 + 1)}</p>" for n in range(1, 7))
    with demo_app.app_context():
        for quarter_lines in range(24, 80):   # page heights from 6 to 20 lines, every quarter line
            pages = paginate(parse_body(html), 12 * EM, quarter_lines * EM / 4 * 1.6, EM)
            for page in pages:
                texts = [op[3] for op in page if op[0] == "text"]
                assert texts, f"an empty page at {quarter_lines / 4} lines"
                assert not re.fullmatch(r"\d+\. 第\d+项", texts[-1]), (quarter_lines, texts)


def test_a_character_the_font_lacks_is_drawn_as_a_placeholder(demo_app):
    with demo_app.app_context():
        assert unshown("李庄村 50,000.00元 Township") == []
        assert unshown("藏文ཀ在\u2800这里\u2800") == ["ཀ", "\u2800"]
        assert shown("藏文ཀ在\u2800这里") == "藏文□在□这里"
        assert measurer(EM)("a\u2800") == measurer(EM)("a□")


def test_a_board_polling_through_a_notice_with_a_missing_character_gets_pictures(demo_app, approved, board, clients):
    """One Braille blank (U+2800) in a notice used to answer every poll 422 while the notice showed."""
    from datetime import timedelta

    from kiosk.core import clock
    notice = approved(title="李庄村停水通知\u2800", body="明天停水。\u2800 请提前储水；ཀ")
    _screen, token = board()
    client, keys = demo_app.test_client(), set()
    for _ in range(40):
        response = client.get(f"/api/v1/render/screen-now?token={token}&size=epaper-800x480")
        assert response.status_code == 200, response.get_json()
        keys.add(response.headers["X-Slide-Key"])
        clock.set_now(clock.now() + timedelta(seconds=int(response.headers["X-Next-Change"])))
    assert any(str(notice["id"]) in key for key in keys), keys
    assert demo_app.test_client().get(f"/api/v1/render/notices/{notice['id']}").status_code == 200
    assert clients("lizhuang").get("/api/v1/render/print-sheet?village=lizhuang").status_code == 200


def test_the_reviewer_is_warned_of_characters_screens_cannot_show(demo_app, draft, clients):
    notice = draft(title="停水通知", body="明天停水。\u2800请提前储水")
    assert clients("lizhuang").api("post", f"/api/v1/notices/{notice['id']}/submit", json={}).status_code == 200
    page = clients("reviewer").get(f"/staff/notices/{notice['id']}/review").get_data(as_text=True)
    assert 'id="unshown-characters"' in page and "U+2800" in page and "□" in page
    approved = clients("reviewer").post_form(f"/staff/notices/{notice['id']}/approve", follow_redirects=True)
    assert approved.status_code == 200 and "U+2800" in approved.get_data(as_text=True)
