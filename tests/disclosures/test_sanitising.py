"""Script injected through the title, summary, body or an attachment name never survives."""
from html.parser import HTMLParser

import pytest

from tests.disclosures.test_uploads import png_bytes, upload

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    '<svg/onload=window.__xss=1>',
    "[点击](javascript:window.__xss=1)",
    '<a href="javascript:window.__xss=1">x</a>',
    '"><iframe src="javascript:window.__xss=1"></iframe>',
    "<details open ontoggle=window.__xss=1>",
    '![x](x" onerror="window.__xss=1)',
    "<style>body{background:url(javascript:window.__xss=1)}</style>",
]
ACTIVE_TAGS = {"script", "img", "svg", "iframe", "details", "style", "object", "embed", "form", "input"}


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def dangerous(html: str, tags=ACTIVE_TAGS) -> list:
    """Elements that could run script: active tags, event handlers, javascript: links."""
    parser = _Elements()
    parser.feed(html)
    return [(tag, attrs) for tag, attrs in parser.found
            if tag in tags or any(name.startswith("on") for name in attrs)
            or any("javascript:" in (attrs.get(name) or "").lower() for name in ("href", "src", "action", "formaction"))]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_inert_in_the_api_the_feed_and_the_staff_page(demo_app, clients, approved, payload):
    notice = approved(title=f"标题{payload}", summary=f"摘要{payload}", body=f"正文\n\n{payload}\n\n**粗体**")
    assert dangerous(notice["body_html"]) == []
    feed = next(n for n in demo_app.test_client().get("/api/v1/public/notices?unit=lizhuang").get_json()["notices"]
                if n["id"] == notice["id"])
    assert dangerous(feed["body_html"]) == [] and "<strong>粗体</strong>" in feed["body_html"]
    # Title and summary are plain text in the feed: the screens put them in with textContent.
    assert feed["title"] == f"标题{payload}"
    page = clients("lizhuang").get(f"/staff/notices/{notice['id']}").get_data(as_text=True)
    assert [(tag, attrs) for tag, attrs in dangerous(page, tags={"script", "iframe", "svg", "object", "embed"})
            if attrs.get("src") not in ("/staff/notices/static/preview.js", "/staff/notices/static/redact.js")] == []
    assert dangerous(page.split('id="preview-body">', 1)[1].split("</div>", 1)[0]) == []


def test_attachment_name_is_only_text(demo_app, clients, draft):
    notice = draft()
    lizhuang = clients("lizhuang")
    name = '<img src=x onerror=alert(1)>".png'
    created = upload(lizhuang, notice["id"], png_bytes(), name).get_json()
    page = lizhuang.get(f"/staff/notices/{notice['id']}").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert [tag for tag, attrs in dangerous(page) if "onerror" in attrs] == []
    served = lizhuang.get(created["url"])
    assert "onerror" not in served.headers.get("Content-Disposition", "")


def test_preview_endpoint_sanitises(clients):
    editor = clients("editor")
    response = editor.post_form("/staff/notices/preview", {"title": "<b>t</b>", "summary": "",
                                                           "body": PAYLOADS[1] + "\n\n- 一\n- 二"})
    data = response.get_json()
    assert dangerous(data["body_html"]) == [] and "<li>一</li>" in data["body_html"]


