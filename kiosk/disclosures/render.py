"""Notice Markdown to HTML, reduced to a safe subset: what a screen or a phone may show."""
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

# Raw HTML in the Markdown is not interpreted at all; nh3 then removes anything outside this list.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "hr",
                "table", "thead", "tbody", "tr", "th", "td", "code", "pre", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "th": {"align"}, "td": {"align"}}


def _demote_headings(html: str) -> str:
    # A notice has one title (the h1 of the page); body headings start at h2.
    return html.replace("<h1>", "<h2>").replace("</h1>", "</h2>").replace("<h5>", "<h4>").replace(
        "</h5>", "</h4>").replace("<h6>", "<h4>").replace("</h6>", "</h4>")


@lru_cache(maxsize=1024)
def markdown_to_html(text: str) -> str:
    """Cached: every screen's state, the renderer and the public pages convert the same bodies."""
    html = _demote_headings(_markdown.render(text or ""))
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https"},
                     link_rel="noopener noreferrer nofollow", strip_comments=True)


def plain_text(text: str) -> str:
    """Text with every tag removed, for places that show no markup (titles, summaries in feeds)."""
    return nh3.clean(text or "", tags=set())
