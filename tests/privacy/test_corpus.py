"""A generated corpus of personal numbers written every way a careless editor (or a visitor) could:
each variant goes through the whole path (create, submit, approve, public page, catalogue, public
API, screen state) and none reaches the public; masking each one leaves no recoverable number.

Two generators: FORMATS (the first rounds: grouping, markup, entities, invisible characters) and
the cross of DIGIT_FORMS × SEPARATORS × PLACES (issue #18: every way of writing digits, every
separator, every field and place on the page), plus SPLITS (a number put together only on the
page: across fields, an image, a link, table cells). One app and the in-process test client;
variants are packed into few notices (one in the title, the summary and the document number,
several in the body), and each variant's own finding is asserted before the batch goes on."""
import io
import re
import unicodedata
from itertools import cycle
from pathlib import Path

import pytest
from pypdf import PdfReader

from kiosk.privacy import find_in_text, mask_text
from kiosk.privacy.normalise import normalise
from kiosk.privacy.samples import text_pdf
from tests.disclosures.conftest import run_checks  # noqa: F401
from tests.disclosures.test_uploads import upload
from tests.screens.conftest import manager, new_screen  # noqa: F401

NUMBERS = {   # kind, digits as a reader would copy them, how they are usually grouped
    "id": ("id_number", "11010519491231002X", (6, 8, 4)),
    "id_lower": ("id_number", "11010519491231002x", (6, 8, 4)),
    "id_15": ("id_number", "130503670401001", (6, 6, 3)),
    "card_16": ("bank_card", "4111111111111111", (4, 4, 4, 4)),
    "card_17": ("bank_card", "62220212345678903", (4, 4, 4, 5)),
    "card_19": ("bank_card", "6222021234567890128", (4, 4, 4, 4, 3)),
    "mobile": ("mobile", "13812345678", (3, 4, 4)),
    "mobile_86": ("mobile", "8613912345678", (2, 3, 4, 4)),
}
FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _grouped(number: str, sizes, separator: str) -> str:
    parts, start = [], 0
    for size in sizes:
        parts.append(number[start:start + size])
        start += size
    return separator.join(parts)


def _between(number: str, filler: str) -> str:
    return filler.join(number)


FORMATS = {
    "plain": lambda n, g: n,
    "spaces": lambda n, g: _grouped(n, g, " "),
    "double_spaces": lambda n, g: _grouped(n, g, "  "),
    "hyphens": lambda n, g: _grouped(n, g, "-"),
    "dots": lambda n, g: _grouped(n, g, "."),
    "line_break": lambda n, g: n[:len(n) // 2] + "\n" + n[len(n) // 2:],
    "markdown_bold": lambda n, g: n[:4] + "**" + n[4:-4] + "**" + n[-4:],
    "markdown_code": lambda n, g: "`" + n[:6] + "`" + n[6:],
    "html_tags": lambda n, g: n[:5] + "<b>" + n[5:] + "</b>",
    "entities": lambda n, g: "".join(f"&#{ord(c)};" for c in n[:6]) + f"&#x{ord(n[6]):x};" + n[7:],
    "letters_around": lambda n, g: "No" + n + "a",
    "parentheses": lambda n, g: "(" + n[:3] + ")" + n[3:],
    "full_width": lambda n, g: n.translate(FULL_WIDTH),
    "superscript": lambda n, g: n.translate(SUPERSCRIPT),
    "zero_width_space": lambda n, g: _between(n, "\u200b"),
    "word_joiner": lambda n, g: _between(n, "\u2060"),
    "soft_hyphen": lambda n, g: _between(n, "\u00ad"),
    "full_width_spaced": lambda n, g: _grouped(n, g, "\u3000").translate(FULL_WIDTH),
    "plus_86": lambda n, g: "+86 " + _grouped(n[-11:], (3, 4, 4), " ") if len(n) == 13 else "+" + n,
    "bold_and_zero_width": lambda n, g: "**" + _between(n[:9], "\u200b") + "**" + n[9:],
}
TEXT_FIELDS = ("title", "summary", "body", "doc_number")
CONTEXT = {"title": "公示{}", "summary": "收款人李四 {} 元", "body": "| 户主 | 号码 |\n|---|---|\n| 李** | {} |",
           "doc_number": "{}"}


def _variants():
    for number_name, (kind, number, groups) in NUMBERS.items():
        for format_name, write in FORMATS.items():
            typed = write(number, groups)
            if format_name == "plus_86" and not kind == "mobile":
                continue
            yield f"{number_name}/{format_name}", kind, number, typed


DIGITS = "0123456789"
CHINESE = "〇一二三四五六七八九"
DIGIT_FORMS = {   # how each digit is written; the ID's X by a look-alike where the form has no X
    "ascii": lambda d: d,
    "chinese": lambda d: CHINESE[int(d)],
    "chinese_ling": lambda d: "零一二三四五六七八九"[int(d)],
    "financial": lambda d: "零壹贰叁肆伍陆柒捌玖"[int(d)],
    "yao": lambda d: "〇幺二三四五六七八九"[int(d)],
    "mixed": None,   # every other digit Chinese
    "roman": lambda d: "〇ⅠⅡⅢⅣⅤⅥⅦⅧⅨ"[int(d)],
    "circled": lambda d: "⓪①②③④⑤⑥⑦⑧⑨"[int(d)],
    "negative_circled": lambda d: "⓿❶❷❸❹❺❻❼❽❾"[int(d)],
    "dingbat_circled": lambda d: "⓪➀➁➂➃➄➅➆➇➈"[int(d)],
    "keycap": lambda d: d + "\ufe0f\u20e3",
    "full_width": lambda d: "０１２３４５６７８９"[int(d)],
}
X_FORMS = ("X", "х", "×", "Χ", "Х")
SEPARATORS = {"none": "", "space": " ", "slash": "／", "comma": "，", "dun": "、", "choon": "ー", "wave": "〜",
              "box_line": "─", "colon": ":", "plus": "+", "bar": "|", "hash": "#", "braille": "\u2800",
              "hangul_filler": "\u3164", "four_spaces": "    ", "dots": "....", "thousands": ",",
              "wrapped": "\n    ", "emoji": "😀", "combining": "\u0301", "mixed": None}
PLACES = ("title", "summary", "doc_number", "paragraph", "heading", "link", "quote", "list", "bold")
CROSSED = {"mobile": ("mobile", "15927384610", (3, 4, 4)), "id": ("id_number", "11010519491231002X", (6, 8, 4)),
           "id_wrong_check": ("id_number", "110105194912310021", (6, 8, 4)),
           "card_19": ("bank_card", "6222021234567890128", (4, 4, 4, 4, 3))}


def _write_digits(number: str, form: str, index: int) -> str:
    out = []
    for position, char in enumerate(number):
        if char == "X":
            out.append(X_FORMS[index % len(X_FORMS)])
        elif form == "mixed":
            out.append(CHINESE[int(char)] if position % 2 else char)
        else:
            out.append(DIGIT_FORMS[form](char))
    return "".join(out)


def _crossed():
    """Each number in every digit form, with six separators in turn: every separator meets every form."""
    separator_names = list(SEPARATORS)
    index = 0
    for number_name, (kind, number, groups) in CROSSED.items():
        for form in DIGIT_FORMS:
            for turn in range(6):
                name = separator_names[(index + turn * 7) % len(separator_names)]
                if name == "thousands":
                    groups_used, separator = ((2, 3, 3, 3) if len(number) == 11 else (3,) * 6
                                              if len(number) == 18 else (1,) + (3,) * 6), ","
                else:
                    groups_used, separator = groups, SEPARATORS[name]
                parts, start = [], 0
                for size in groups_used:
                    parts.append(_write_digits(number[start:start + size], form, index))
                    start += size
                if name == "mixed":
                    typed = parts[0] + "-" + parts[1] + " " + "".join(parts[2:])
                else:
                    typed = separator.join(parts)
                place = PLACES[index % len(PLACES)]
                if place == "doc_number" and len(typed) > 70:
                    place = "paragraph"
                yield f"{number_name}/{form}/{name}/{place}", kind, number, typed, place
                index += 1


CROSSED_VARIANTS = list(_crossed())
BODY_PLACES = {"paragraph": "联系电话：{}", "heading": "## {}", "link": "[{}](https://example.cn/a)", "quote": "> {}",
               "list": "- 李四 {}", "bold": "**{}**"}
SPLITS = {   # a number shown whole only on the page: (fields as typed) from the number's two halves
    "title_summary": lambda a, b: {"title": f"李某{a}", "summary": f"{b}，请核实"},
    "summary_body": lambda a, b: {"summary": f"李某{a}", "body": b},
    "image": lambda a, b: {"body": f"电话{a}![](https://example.cn/x.png){b}"},
    "link": lambda a, b: {"body": f"电话[{a}](https://example.cn/){b}"},
    "cells": lambda a, b: {"body": f"| 号码 | {a} | {b} |\n|---|---|---|\n| 李四 | | |"},
    "comment": lambda a, b: {"body": f"电话{a}<!-- 备注 -->{b}"},
}


def _splits():
    for number_name, (kind, number, groups) in CROSSED.items():
        for split, fields in SPLITS.items():
            for form in ("ascii", "chinese", "circled"):
                cut = groups[0]
                typed_a, typed_b = (_write_digits(number[:cut], form, 0), _write_digits(number[cut:], form, 0))
                yield f"{number_name}/{form}/{split}", kind, number, fields(typed_a, typed_b)


SPLIT_VARIANTS = list(_splits())
VARIANTS = list(_variants())


def _typed_digit_span(text: str) -> tuple[int, int]:
    """From the first to past the last character typed as a digit (or the ID's X) in `text`."""
    positions = [i for i, ch in enumerate(text)
                 if unicodedata.decimal(unicodedata.normalize("NFKC", ch)[:1] or " ", None) is not None
                 or (ch in "XxＸｘ" and i > 0)]
    return positions[0], positions[-1] + 1


def digits_of(text: str) -> str:
    """Every digit (and X) a reader sees in the text, joined: a number is 'recoverable' if it is in here."""
    return re.sub(r"[^0-9X]", "", normalise(text).text.upper())


def recoverable(number: str, text: str) -> bool:
    digits = digits_of(text)
    return number.upper() in digits or (len(number) == 13 and number[2:] in digits)


def test_the_corpus_is_big_enough():
    assert len(VARIANTS) + len(CROSSED_VARIANTS) + len(SPLIT_VARIANTS) >= 400
    assert {kind for _name, kind, _number, _typed in VARIANTS} == {"id_number", "bank_card", "mobile"}
    # Every digit form meets every separator, every place and every kind of number.
    assert {name.split("/")[1] for name, *_rest in CROSSED_VARIANTS} == set(DIGIT_FORMS)
    assert {name.split("/")[2] for name, *_rest in CROSSED_VARIANTS} == set(SEPARATORS)
    assert {place for *_rest, place in CROSSED_VARIANTS} == set(PLACES)


@pytest.mark.parametrize("name, kind, number, typed", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_each_variant_is_found_and_masking_leaves_nothing(name, kind, number, typed):
    for field, template in CONTEXT.items():
        text = template.format(typed)
        findings = find_in_text(text, field)
        assert [finding.kind for finding in findings] == [kind], (name, field)
        # The finding maps back to what was typed: it covers the number's first and last digits as typed.
        first, last = _typed_digit_span(text)
        assert findings[0].start <= first and findings[0].end >= last, (name, findings[0])
        masked = mask_text(text, markdown=field == "body")
        assert find_in_text(masked, field) == [] and not recoverable(number, masked), (name, masked)


def _api(client, method, url, **kwargs):
    return client.api(method, url, **kwargs)


def _screen_state(app, token: str) -> str:
    return app.test_client().get("/display/state", headers={"X-Screen-Token": token}).get_data(as_text=True)


@pytest.mark.parametrize("name, kind, number, typed, place", CROSSED_VARIANTS, ids=[v[0] for v in CROSSED_VARIANTS])
def test_each_crossed_variant_is_found_and_masking_leaves_nothing(name, kind, number, typed, place):
    field, text = _placed(typed, place)
    findings = find_in_text(text, field)
    assert [finding.kind for finding in findings] == [kind], (name, text, findings)
    masked = mask_text(text, markdown=field == "body")
    assert find_in_text(masked, field) == [] and not recoverable(number, masked), (name, masked)


def _placed(typed: str, place: str) -> tuple[str, str]:
    if place in BODY_PLACES:
        return "body", BODY_PLACES[place].format(typed)
    return place, CONTEXT[place].format(typed)


def _workflow_items():
    """(name, kind, number, fields) for every variant: the fields it needs, as typed."""
    for (name, kind, number, typed), field in zip(VARIANTS, cycle(TEXT_FIELDS)):
        yield name, kind, number, {field: CONTEXT[field].format(typed)}
    for name, kind, number, typed, place in CROSSED_VARIANTS:
        field, text = _placed(typed, place)
        yield name, kind, number, {field: text}
    yield from SPLIT_VARIANTS


BODY_PIECES = 16   # variants in one body; each followed by a line of words so neighbours stay apart


def _packed():
    """Notices' fields, each with the variants placed in it and where (field, start, end of its text)."""
    fields, placed = {"body": ""}, []
    for name, kind, number, texts in _workflow_items():
        singles = [field for field in texts if field != "body"]
        body_first = "body" in texts and "summary" in texts
        if (any(field in fields for field in singles) or (body_first and fields["body"])
                or fields["body"].count("\n说明") >= BODY_PIECES):
            yield fields, placed
            fields, placed = {"body": ""}, []
        where = []
        for field, text in texts.items():
            if field == "body":
                where.append(("body", len(fields["body"]), len(fields["body"]) + len(text)))
                fields["body"] += text + "\n\n说明：以上为本项。\n\n"
            else:
                where.append((field, 0, len(text)))
                fields[field] = text
        placed.append((name, kind, number, where))
    yield fields, placed


def test_no_variant_reaches_the_public_and_each_masked_one_is_published_clean(demo_app, clients, new_screen):
    screen, player = new_screen(unit="lizhuang", groups=("villages",))
    token = player.rsplit("/", 1)[1]
    lizhuang, reviewer, visitor = clients("lizhuang"), clients("reviewer"), demo_app.test_client()
    published, count = [], 0
    for fields, placed in _packed():
        count += len(placed)
        created = _api(lizhuang, "post", "/api/v1/notices", json={
            "category": "village_finances", "formed_on": "2026-11-02", "audience": "villages",
            "villages": ["lizhuang"], "title": "公示", "summary": "", "doc_number": "", **fields})
        assert created.status_code == 201, created.get_json()
        notice = created.get_json()
        found = notice["privacy_findings"]
        for name, kind, _number, where in placed:
            assert any(f["kind"] == kind and any(f["field"] == field and start <= f["start"] < end
                                                 for field, start, end in where) for f in found), (name, found)
        # Submit needs a written reason; approval is refused whatever the reason: nothing is public.
        unexplained = _api(lizhuang, "post", f"/api/v1/notices/{notice['id']}/submit", json={})
        assert unexplained.get_json()["error"] == "privacy"
        assert _api(lizhuang, "post", f"/api/v1/notices/{notice['id']}/submit",
                    json={"privacy_note": "请审核这些号码"}).status_code == 200
        refused = _api(reviewer, "post", f"/api/v1/notices/{notice['id']}/approve", json={})
        assert refused.status_code == 409 and refused.get_json()["error"] == "privacy"
        assert visitor.get(f"/n/{notice['slug']}").status_code == 404
        # One click masks them all; then it goes through and is published.
        masked = _api(lizhuang, "post", f"/api/v1/notices/{notice['id']}/mask").get_json()
        assert masked["privacy_findings"] == [], masked["privacy_findings"]
        assert _api(lizhuang, "post", f"/api/v1/notices/{notice['id']}/submit", json={}).status_code == 200
        approved = _api(reviewer, "post", f"/api/v1/notices/{notice['id']}/approve", json={})
        assert approved.status_code == 200 and approved.get_json()["state"] == "showing", approved.get_json()
        published.append((notice["slug"], placed))
    assert count == len(VARIANTS) + len(CROSSED_VARIANTS) + len(SPLIT_VARIANTS)
    # Every public surface, once all are published: each notice is there, and no number in any form.
    everywhere = "\n".join([visitor.get("/catalogue").get_data(as_text=True),
                            visitor.get("/api/v1/public/notices?unit=lizhuang").get_data(as_text=True),
                            _screen_state(demo_app, token)])
    everywhere_digits = digits_of(everywhere)
    for slug, placed in published:
        page = visitor.get(f"/n/{slug}")
        assert page.status_code == 200 and slug in everywhere
        page_digits = digits_of(page.get_data(as_text=True))
        for name, _kind, number, _where in placed:
            assert not _in_digits(number, page_digits), name
            assert not _in_digits(number, everywhere_digits), name


def _in_digits(number: str, digits: str) -> bool:
    return number.upper() in digits or (len(number) == 13 and number[2:] in digits)


FILE_VARIANTS = [   # where in a file, the number, how it is written
    ("metadata Title", "card_19", "spaces"), ("metadata Title", "id", "plain"),
    ("annotation", "mobile", "hyphens"), ("annotation", "id_lower", "dots"),
    ("form field", "card_16", "spaces"), ("form field", "mobile_86", "plus_86"),
    ("page 1", "id_15", "plain"), ("page 1", "card_17", "line_break"),
    ("page 30", "card_19", "spaces"), ("page 1", "id", "hyphens"), ("page 1", "mobile", "parentheses"),
    ("file name", "mobile", "plain"), ("file name", "id", "full_width"), ("file name", "card_19", "hyphens"),
    ("file name", "mobile_86", "plus_86"), ("file name", "id_15", "soft_hyphen"),
]
FILLER = "Village accounts, October: road repair materials and office supplies."


def _pdf(tmp_path: Path, where: str, text: str) -> bytes:
    pages = [FILLER] * int(where.removeprefix("page ")) if where.startswith("page") else [FILLER]  # every page is read
    if where.startswith("page"):
        pages[-1] = f"{FILLER}\nPayee: {text}"
    path = text_pdf(tmp_path / "variant.pdf", pages, title=text if where == "metadata Title" else "",
                    annotation=text if where == "annotation" else "",
                    form_value=text if where == "form field" else "")
    return path.read_bytes()


@pytest.mark.parametrize("where, number_name, format_name", FILE_VARIANTS,
                         ids=[f"{w}/{n}/{f}" for w, n, f in FILE_VARIANTS])
def test_numbers_in_files_and_file_names_hold_the_notice(demo_app, clients, draft, run_checks, tmp_path, where,
                                                         number_name, format_name):
    kind, number, groups = NUMBERS[number_name]
    typed = FORMATS[format_name](number, groups)
    lizhuang, reviewer, visitor = clients("lizhuang"), clients("reviewer"), demo_app.test_client()
    notice = draft(title="李庄村10月账页")
    if where == "file name":
        sent = upload(lizhuang, notice["id"], _pdf(tmp_path, "page 1", "none"), f"收款人{typed}.pdf")
    else:
        sent = upload(lizhuang, notice["id"], _pdf(tmp_path, where, typed.encode("latin-1", "ignore").decode()),
                      "账页.pdf")
    assert sent.status_code == 201, sent.get_json()
    assert run_checks() == 1
    findings = _api(lizhuang, "get", f"/api/v1/notices/{notice['id']}").get_json()["privacy_findings"]
    if where in ("metadata Title", "form field"):
        # The public copy leaves document information and forms behind: nothing of them to publish.
        assert findings == []
        _published_without(number, lizhuang, reviewer, visitor, notice)
        return
    assert [f["kind"] for f in findings][:1] == [kind], findings
    assert findings[0]["field"].startswith("attachment_name:" if where == "file name" else "attachment:")
    if where != "file name":
        assert where in findings[0]["where"], findings[0]
    assert _api(lizhuang, "post", f"/api/v1/notices/{notice['id']}/submit",
                json={"privacy_note": "请审核这些号码"}).status_code == 200
    assert _api(reviewer, "post", f"/api/v1/notices/{notice['id']}/approve", json={}).status_code == 409
    assert visitor.get(f"/n/{notice['slug']}").status_code == 404
    # Masking: a file name by the one-click mask, a PDF by replacing it with a masked copy.
    if where == "file name":
        _api(lizhuang, "post", f"/api/v1/notices/{notice['id']}/mask")
    else:
        removed = _api(lizhuang, "delete", f"/api/v1/notices/{notice['id']}/attachments/{sent.get_json()['id']}")
        assert removed.status_code == 204
        masked = mask_text(typed.encode("latin-1", "ignore").decode())
        assert upload(lizhuang, notice["id"], _pdf(tmp_path, where, masked), "账页.pdf").status_code == 201
        assert run_checks() == 1
    assert _api(lizhuang, "get", f"/api/v1/notices/{notice['id']}").get_json()["privacy_findings"] == []
    _published_without(number, lizhuang, reviewer, visitor, notice)


def _published_without(number, lizhuang, reviewer, visitor, notice) -> None:
    assert _api(lizhuang, "post", f"/api/v1/notices/{notice['id']}/submit", json={}).status_code == 200
    assert _api(reviewer, "post", f"/api/v1/notices/{notice['id']}/approve", json={}).status_code == 200
    page = visitor.get(f"/n/{notice['slug']}").get_data(as_text=True)
    assert not recoverable(number, page)
    document = re.search(r'href="(/n/[^"]+/f/\d+)"', page).group(1)
    reader = PdfReader(io.BytesIO(visitor.get(document).data))
    everything = " ".join([*(page.extract_text() for page in reader.pages), str(reader.metadata),
                           str(reader.get_fields())])
    assert not recoverable(number, everything)


COMMENT_VARIANTS = [("id", "spaces"), ("card_19", "hyphens"), ("mobile", "full_width"), ("mobile_86", "plus_86"),
                    ("id_lower", "zero_width_space"), ("card_16", "entities"), ("mobile", "markdown_bold"),
                    ("id_15", "dots")]


def test_comments_and_answers_never_show_a_number(demo_app, clients, approved):
    notice = approved(category="dibao", title="低保对象名单公示", summary="公示7天")
    visitor = demo_app.test_client()
    for index, (number_name, format_name) in enumerate(COMMENT_VARIANTS):
        _kind, number, groups = NUMBERS[number_name]
        typed = FORMATS[format_name](number, groups)
        sent = demo_app.test_client().post(f"/api/v1/public/notices/{notice['slug']}/comments", json={
            "message": f"我的号码是{typed}，请核实", "name": "张三"}, environ_base={"REMOTE_ADDR": f"10.8.0.{index}"})
        assert sent.status_code == 201, sent.get_json()
        answer = clients("reviewer").api("post", f"/api/v1/comments/{sent.get_json()['id']}/answer", json={
            "answer": f"已核实{typed}一户", "public": True})
        assert answer.status_code == 200, answer.get_json()
        page = visitor.get(f"/n/{notice['slug']}").get_data(as_text=True)
        assert "请核实" in page and "已核实" in page
        assert not recoverable(number, page), (number_name, format_name)
