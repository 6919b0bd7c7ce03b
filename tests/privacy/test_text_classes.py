"""The privacy gate's third round, text: one sample of each class of leak from issue #18, and the
newcomer's leak (an ID with a wrong check digit read as a mobile and "masked" to 14 of 18 characters)."""
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.privacy import find_in_text, mask_text
from kiosk.public.models import ChannelKind, ContactChannel
from tests.privacy.test_corpus import recoverable

WRONG_CHECK = "110105194912310021"   # the standard's example with a wrong check digit


def kinds(text: str) -> list[str]:
    return [finding.kind for finding in find_in_text(text, "body")]


def test_an_id_with_a_wrong_check_digit_is_an_id_and_masked_as_one():
    assert kinds(f"身份证{WRONG_CHECK}") == ["id_number"]
    assert mask_text(f"身份证{WRONG_CHECK}") == "身份证110105********0021"


def test_the_newcomers_mask_is_refused_naming_the_rule():
    [finding] = find_in_text("张三 110105 194****1002X", "body")
    assert finding.kind == "id_number" and "first 6 and last 4" in finding.rule
    assert finding.masked == "110105********002X"


@pytest.mark.parametrize("text", [
    "电话一五九二七三八四六一〇",            # everyday Chinese numerals
    "电话壹伍玖贰柒叁捌肆陆壹零",            # financial forms
    "电话幺五九二七三八四六幺零",            # 幺 for one
    "电话159二七三八4610",                  # mixed
    "电话一三八 一二三四 五六七八",           # grouped
    "电话ⅠⅤⅨ27384610",                     # Roman numerals
    "电话➀➄➈❷❼❸❽④⑥①⓪",                  # circled, negative circled
    "电话1️⃣5️⃣9️⃣2️⃣7️⃣3️⃣8️⃣4️⃣6️⃣1️⃣0️⃣",     # keycaps
    "电话١٥٩٢٧٣٨٤٦١٠",                     # Arabic-Indic
])
def test_every_digit_form(text):
    assert kinds(text) == ["mobile"], text


@pytest.mark.parametrize("check", ["х", "×", "Χ", "Х", "ｘ"])
def test_look_alike_check_characters(check):
    assert kinds(f"身份证11010519491231002{check}") == ["id_number"]
    assert "002X" in find_in_text(f"11010519491231002{check}")[0].masked


@pytest.mark.parametrize("separator", ["／", "，", "、", "ー", "〜", "─", ":", "+", "|", "#", "\u2800", "\u3164",
                                       "    ", "....", " - ", "😀", "\u0301", "\n    "])
def test_any_separator_between_groups(separator):
    assert kinds(f"电话159{separator}2738{separator}4610") == ["mobile"], repr(separator)


@pytest.mark.parametrize("text", ["159-2738 4610", "320582 1987-04-15 2639", "13,812,345,678",
                                  "110,105,194,912,310,02X", "159\n        2738 4610", "1381234\n  5678"])
def test_mixed_separators_thousands_and_wrapped_lines(text):
    assert len(kinds(text)) == 1, text


@pytest.mark.parametrize("text", ["拨013812345678", "拨1795113812345678", "编号913812345678", "17951 13812345678"])
def test_a_mobile_inside_a_longer_run(text):
    [finding] = find_in_text(text, "body")
    assert finding.kind == "mobile" and finding.masked == "138****5678"
    assert not recoverable("13812345678", mask_text(text))


@pytest.mark.parametrize("text, rule", [
    ("11010519491231****", "ID"),            # only the last four hidden: the birth date shows
    ("110105194912**002X", "ID"),            # two day digits hidden
    ("1381234**78", "mobile"),               # two digits hidden
    ("6222 **** **** 0128", "card"),          # a card showing more than its last four
])
def test_careless_masks_are_refused(text, rule):
    [finding] = find_in_text(f"名单 {text} 。", "body")
    assert finding.rule and {"ID": "ID", "mobile": "mobile", "card": "card"}[rule] in finding.rule
    assert find_in_text(mask_text(f"名单 {text} 。")) == []


@pytest.mark.parametrize("text", ["110105********002X", "138****5678", "***************0128", "1101**********002X",
                                  "***105********002X"])
def test_masks_within_the_rule_pass(text):
    assert find_in_text(f"名单 {text} 。") == []


def test_two_masks_of_one_number_that_reveal_it_together_are_refused():
    text = "李四 110105********002X；李四（复核）11010519491231****"
    findings = find_in_text(text, "body")
    assert len(findings) == 2 and "together" in findings[0].rule


def test_a_stricter_setting_masks_more(demo_app):
    demo_app.config["KIOSK_PRIVACY_ID_SHOWN"] = (3, 4)
    with demo_app.app_context():
        assert mask_text(f"身份证{WRONG_CHECK}") == "身份证110***********0021"
        assert find_in_text("110105********002X")[0].rule


@pytest.mark.parametrize("text", ["幸福路十二号三栋二单元五〇一室", "李庄村三组十五号", "幸福路12-3-501", "阳光大厦12层1203",
                                  "和平街8号院3号楼2单元402", "新村小区⑤栋②单元❸⓪❶室"])
def test_house_level_addresses_in_any_digit_form(text):
    assert kinds(f"住{text}。") == ["address"], text
    masked = mask_text(f"住{text}。")
    assert find_in_text(masked) == [] and not any(char.isdigit() for char in masked), masked


@pytest.mark.parametrize("text", ["李庄村3组", "金政发〔2018〕12号", "2026年10月12日", "索引号JJZ-2026-00013",
                                  "共3户6人", "第1组第2名", "面积1,280.5平方米", "2026.01.31-2026.02.28",
                                  "收入50,000.00元，支出18,260.50元", "2026-10-03 13:00", "| 13800 | 138001 |",
                                  "一、统一认识，二、加强领导，三、确保公开", "李庄村二号屏", "王家村二号墨水屏",
                                  "张村3号机井", "李庄村1号窗口", "桥头村2号公开栏"])
def test_ordinary_text_passes(text):
    assert find_in_text(text, "body") == [], text


# -- the page, not the source ------------------------------------------------------------------

@pytest.mark.parametrize("fields", [
    {"body": "电话159![](https://example.cn/x.png)28010211"},
    {"body": "电话159[2801](https://example.cn/)0211"},
    {"body": "| 电话 | 159 | 2801 | 0211 |\n|---|---|---|---|\n| 李四 | | | |"},
    {"body": "电话159\n\n## 2801\n\n0211"},
    {"body": "电话159<!-- 备注 -->28010211"},
    {"body": "电话159<span>2801</span>0211"},
    {"title": "李四联系电话159", "summary": "28010211，请核实"},
    {"summary": "李四电话15928", "body": "010211"},
    {"body": "详见[名单](https://example.cn/list?tel=15928010211)"},
    {"body": "![李四](https://example.cn/15928010211.png)"},
])
def test_the_page_is_checked_as_shown_and_masking_clears_it(clients, draft, demo_app, fields):
    lizhuang, reviewer = clients("lizhuang"), clients("reviewer")
    notice = draft(**fields)
    found = lizhuang.api("get", f"/api/v1/notices/{notice['id']}").get_json()["privacy_findings"]
    assert found and {finding["kind"] for finding in found} == {"mobile"}, found
    assert lizhuang.api("post", f"/api/v1/notices/{notice['id']}/submit",
                        json={"privacy_note": "请审核号码"}).status_code == 200
    assert reviewer.api("post", f"/api/v1/notices/{notice['id']}/approve", json={}).status_code == 409
    masked = lizhuang.api("post", f"/api/v1/notices/{notice['id']}/mask").get_json()
    assert masked["privacy_findings"] == []
    assert lizhuang.api("post", f"/api/v1/notices/{notice['id']}/submit", json={}).status_code == 200
    assert reviewer.api("post", f"/api/v1/notices/{notice['id']}/approve", json={}).status_code == 200
    visitor = demo_app.test_client()
    for url in (f"/n/{notice['slug']}", "/catalogue"):
        assert not recoverable("15928010211", visitor.get(url).get_data(as_text=True)), url


def test_the_units_own_numbers_and_places_pass(clients, draft, demo_app):
    with demo_app.app_context():
        channel = db.session.scalar(select(ContactChannel).where(ContactChannel.kind == ChannelKind.supervision))
        channel.value, channel.note = "13905510123", "村委会办公室：李庄村中心路8号"
        db.session.commit()
    notice = draft(body="监督电话13905510123，地址李庄村中心路8号。李四电话13812345678。")
    found = clients("lizhuang").api("get", f"/api/v1/notices/{notice['id']}").get_json()["privacy_findings"]
    assert [(finding["kind"], finding["masked"]) for finding in found] == [("mobile", "138****5678")]


def test_the_editors_guide_states_the_masking_rule(clients, demo_app):
    demo_app.config["KIOSK_PRIVACY_ID_SHOWN"] = (3, 4)
    page = clients("lizhuang").get("/staff/privacy/guide").get_data(as_text=True)
    assert 'id="masking-rule"' in page and "身份证号最多显示前3位和后4位" in page and "138****5678" in page


SEEDS = sorted(Path(__file__).resolve().parents[3].glob("shared/seeds/*.txt")) or sorted(
    Path("/work/shared/seeds").glob("*.txt"))


@pytest.mark.skipif(not SEEDS, reason="the shared seed reports are not on this machine")
def test_the_seed_reports_pass():
    """Real township reports (indexes, amounts, dates, years, 一、二、 headings) hold no finding."""
    for seed in SEEDS:
        assert find_in_text(seed.read_text(), "body") == [], seed.name
