"""The catalogue: only what is showing and public, filters, search in Chinese and pinyin, pages,
and the headers that make it cheap on a weak link."""
import gzip
import re

import pytest

from kiosk.public.catalogue import PAGE_SIZE


def titles(response) -> list[str]:
    """The titles listed, of the notices these tests made (the demo township has its own)."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    html = response.get_data(as_text=True)
    return [title for title in re.findall(r'<h3><a href="/n/[^"]+">([^<]+)</a></h3>', html) if title.startswith("测试")]


@pytest.fixture
def township_notices(approved, low_income_list, draft):
    """Finances of 李庄村, a 低保 list for 李庄村 and 王家村, a township budget, an internal note, a draft."""
    return {
        "finances": approved(title="测试李庄村11月财务收支公开", body="水渠清淤 12,000 元；100%完成"),
        "dibao": low_income_list(title="测试2026年第四季度低保对象名单公示"),
        "budget": approved("editor", category="budgets", title="测试金家镇2026年财政预算", audience="township",
                           villages=None, summary="一般公共预算收支"),
        "internal": approved("editor", category="other_government", title="测试内部工作安排", audience="internal",
                             villages=None),
        "draft": draft(title="测试尚未审核的草稿"),
    }


def test_lists_showing_public_notices_only(visitor, township_notices):
    shown = titles(visitor.get("/"))
    assert sorted(shown) == sorted(["测试李庄村11月财务收支公开", "测试2026年第四季度低保对象名单公示", "测试金家镇2026年财政预算"])
    page = visitor.get("/catalogue").get_data(as_text=True)
    assert township_notices["budget"]["index_number"] in page and "金家镇" in page and "2026-11-02" in page


def test_filters_by_category_unit_and_village(visitor, township_notices):
    assert titles(visitor.get("/?category=dibao")) == ["测试2026年第四季度低保对象名单公示"]
    assert sorted(titles(visitor.get("/?village=wangjia"))) == ["测试2026年第四季度低保对象名单公示"]
    assert sorted(titles(visitor.get("/?village=lizhuang"))) == sorted(
        ["测试李庄村11月财务收支公开", "测试2026年第四季度低保对象名单公示"])
    assert len(titles(visitor.get("/?unit=jinjia"))) == 3
    assert titles(visitor.get("/?unit=lizhuang")) == ["测试李庄村11月财务收支公开"]
    assert titles(visitor.get("/?unit=no-such-unit")) == []
    assert titles(visitor.get("/?village=jinjia")) == []      # a township is not a village
    combined = visitor.get("/?category=budgets&village=lizhuang")
    assert titles(combined) == [] and "没有找到相关信息" in combined.get_data(as_text=True)


def test_filter_choices_list_only_what_shows(visitor, township_notices):
    page = visitor.get("/").get_data(as_text=True)
    assert 'value="dibao"' in page and 'value="budgets"' in page and 'value="recruitment"' not in page
    assert 'value="wangjia"' in page and 'value="shiqiao"' not in page


def test_search_words_in_title_and_body(visitor, township_notices):
    assert titles(visitor.get("/?q=低保")) == ["测试2026年第四季度低保对象名单公示"]
    assert titles(visitor.get("/?q=水渠清淤")) == ["测试李庄村11月财务收支公开"]       # in the body only
    assert titles(visitor.get("/?q=李庄村 11月财务")) == ["测试李庄村11月财务收支公开"]     # every word must match
    assert titles(visitor.get("/?q=李庄村 预算")) == []
    assert titles(visitor.get("/?q=内部工作")) == []                               # internal stays out


def test_search_wildcards_are_literal(visitor, township_notices):
    assert titles(visitor.get("/?q=100%25")) == ["测试李庄村11月财务收支公开"]
    assert titles(visitor.get("/?q=%25")) == ["测试李庄村11月财务收支公开"]
    assert titles(visitor.get("/?q=_")) == []


def test_search_by_pinyin_and_initials(visitor, township_notices):
    assert titles(visitor.get("/?q=dibao")) == ["测试2026年第四季度低保对象名单公示"]
    assert titles(visitor.get("/?q=CZYS")) == ["测试金家镇2026年财政预算"]     # 财政预算 by initials


def test_pages(visitor, approved):
    for number in range(PAGE_SIZE + 2):
        approved("editor", category="budgets", title=f"测试预算执行情况第{number}期", audience="township", villages=None)
    first, second = visitor.get("/?q=预算执行"), visitor.get("/?q=预算执行&page=2")
    assert len(titles(first)) == PAGE_SIZE and len(titles(second)) == 2
    assert "第 1 / 2 页" in first.get_data(as_text=True)
    assert re.findall(r"href=\"([^\"]*page=2)\"", first.get_data(as_text=True)) == ["/catalogue?q=%E9%A2%84%E7%AE%97%E6%89%A7%E8%A1%8C&amp;page=2"]
    assert titles(visitor.get("/?q=预算执行&page=99")) == titles(second)
    assert visitor.get("/?page=abc").status_code == 200


def test_english_on_request(visitor, township_notices):
    page = visitor.get("/?lang=en").get_data(as_text=True)
    assert "Notices now public" in page and "政务村务公开目录" not in page
    assert 'lang="en"' in page


def test_weak_link_headers(visitor, township_notices):
    plain = visitor.get("/")
    assert plain.headers["Cache-Control"] == "public, max-age=60"
    assert "script-src" not in plain.headers["Content-Security-Policy"]      # default-src 'none': no script
    assert "<script" not in plain.get_data(as_text=True) and "<link" not in plain.get_data(as_text=True)
    again = visitor.get("/", headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    packed = visitor.get("/", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) < len(plain.get_data()) / 2
