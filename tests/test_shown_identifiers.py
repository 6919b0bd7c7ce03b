"""No internal code reaches a staff page or a catalogue: every page each demo role can open (the
staff pages without parameters, and a notice, screen and rotation of each kind) is read as the
person sees it, and fails on role names, group and slide codes, snake_case field names, CLI
commands, raw JSON escapes and measure words doubled in the Chinese catalogues."""
import html
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from kiosk.accounts.models import Role
from kiosk.screens.models import SlideKind

CATALOGUES = sorted(Path("kiosk").glob("**/translations/zh/LC_MESSAGES/messages.po"))
ROLES = ("admin", "editor", "reviewer", "screens", "window1", "lizhuang")
CODES = {r.value for r in Role} | {k.value for k in SlideKind} | {"hall", "villages", "township", "board"}


def visible_text(page: str) -> str:
    """What a person reads: no scripts, styles, tags or attribute values; entities decoded."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<code>.*?</code>", " ", page, flags=re.S)   # account names, index numbers, links
    page = re.sub(r"“[^”]*”", " ", page)   # what staff typed, quoted (a title, an account name)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def identifiers_in(text: str) -> set[str]:
    words = {w for w in re.findall(r"(?<![\w./:-])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+(?![\w/.-])", text)
             if not w.isupper()}   # KIOSK_* settings are named for the operator, on purpose
    words |= {w for w in re.findall(r"(?<![\w./:@-])[a-z_]+(?![\w./@-])", text) if w in CODES}
    if "kiosk " in text:
        words |= set(re.findall(r"kiosk \w+(?: \w+)?", text))
    if "\\u" in text:
        words.add("\\u escapes")
    return words


def _pages(app) -> list[str]:
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/staff") and "GET" in r.methods
             and not r.arguments and not r.rule.endswith((".csv", "/logout"))]
    return sorted({r.rule for r in rules})


@pytest.mark.parametrize("username", ROLES)
def test_no_staff_page_shows_an_identifier(demo_app, staff, username):
    from kiosk.extensions import db
    from kiosk.screens.models import Screen
    with demo_app.app_context():   # one screen reports the clock slide, one a notice
        screens = db.session.query(Screen).order_by(Screen.id).all()
        screens[0].now_showing, screens[1].now_showing = {"kind": "clock"}, {"kind": "notice", "title": "公告"}
        db.session.commit()
    client = staff(username)
    found = {}
    for url in _pages(demo_app) + ["/staff/notices/1", "/staff/notices/1/review", "/staff/screens/1",
                                   "/staff/screens/rotations/1"]:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        shown = identifiers_in(visible_text(response.get_data(as_text=True)))
        if shown:
            found[url] = sorted(shown)
    assert found == {}


def test_catalogues_hold_no_doubled_measure_words_or_codes():
    bad = []
    for po in CATALOGUES:
        for message in read_po(po.open("rb"), locale="zh"):
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for text in strings:
                if not text:
                    continue
                if re.search(r"个\s*(天|个|%\(unit\)s)", text) or identifiers_in(re.sub(r"%\(\w+\)s", "", text)):
                    bad.append(f"{po}: {message.id!r} → {text!r}")
    assert bad == []
