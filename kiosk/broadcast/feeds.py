"""Polling a warning source's feed: the address gives either one CAP alert, or an Atom or RSS feed
whose entries link to CAP alerts. What was read is remembered (`WarningSource.seen`: an entry's id,
or a bare alert's SHA-256), so each alert is received once however often the feed is polled.

The administrator chose the feed's address; what the feed says is someone else's text. So every
request, the entries' links and redirects included, stays on the feed's own host, over http(s): a
feed cannot make the server fetch its own files or another machine on the township's network."""
import hashlib
import logging
from datetime import timedelta
from urllib.parse import urljoin, urlsplit

import requests

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from kiosk.broadcast.models import WarningSource
from kiosk.broadcast.warnings import receive
from kiosk.core import clock
from kiosk.extensions import db

log = logging.getLogger(__name__)
ATOM = "{http://www.w3.org/2005/Atom}"
SEEN_KEPT = 500
ENTRIES_PER_POLL = 50


class FeedError(Exception):
    pass


ACCEPT = "application/cap+xml, application/atom+xml, application/rss+xml, application/xml"
MAX_REDIRECTS = 3


def ensure_on_feed_host(url: str, feed_url: str) -> None:
    address, feed = urlsplit(url), urlsplit(feed_url)
    if address.scheme not in ("http", "https") or address.hostname != feed.hostname:
        raise FeedError(_("The feed pointed outside its own host: %(url)s", url=url[:200]))


def fetch(url: str, feed_url: str) -> bytes:
    """The body at `url` on the feed's host, within the configured time and size (an alert is small)."""
    limit = current_app.config["KIOSK_WARNING_MAX_BYTES"]
    try:
        for _redirect in range(MAX_REDIRECTS + 1):
            ensure_on_feed_host(url, feed_url)
            with requests.get(url, headers={"Accept": ACCEPT}, allow_redirects=False, stream=True,
                              timeout=current_app.config["KIOSK_WARNING_FEED_TIMEOUT"]) as answer:
                if answer.is_redirect:
                    url = urljoin(url, answer.headers["Location"])
                    continue
                answer.raise_for_status()
                data = answer.raw.read(limit + 1, decode_content=True)
                break
        else:
            raise FeedError(_("The feed redirected more than %(n)d times.", n=MAX_REDIRECTS))
    except requests.RequestException as error:
        raise FeedError(_("The feed could not be read: %(error)s", error=str(error)[:200]))
    if len(data) > limit:
        raise FeedError(_("The feed answered more than %(n)d bytes.", n=limit))
    return data


def entries(data: bytes, base: str) -> list[tuple[str, str]] | None:
    """(entry id, alert link) of an Atom or RSS feed, newest as the feed orders them; None when the
    document is not a feed (then it is read as an alert itself)."""
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, ParseError, ValueError):
        return None
    found = []
    if root.tag == f"{ATOM}feed":
        for entry in root.iter(f"{ATOM}entry"):
            links = [link.get("href") for link in entry.iter(f"{ATOM}link") if link.get("href")]
            if links:
                found.append(((entry.findtext(f"{ATOM}id") or links[0]).strip(), urljoin(base, links[0])))
    elif root.tag == "rss":
        for item in root.iter("item"):
            link = (item.findtext("link") or "").strip()
            if link:
                found.append(((item.findtext("guid") or link).strip(), urljoin(base, link)))
    else:
        return None   # a CAP alert itself, or something receive() will refuse with its reason
    return found[:ENTRIES_PER_POLL]


def poll(source: WarningSource) -> int:
    """Read the source's feed once; returns how many alerts were received."""
    seen = list(source.seen or [])
    received = 0
    try:
        data = fetch(source.feed_url, source.feed_url)
        listed = entries(data, source.feed_url)
        if listed is None:
            listed = [(hashlib.sha256(data).hexdigest(), None)]
        for entry_id, link in listed:
            if entry_id in seen:
                continue
            receive(data if link is None else fetch(link, source.feed_url), source, "feed")
            seen.append(entry_id)
            received += 1
        source.last_error = ""
    except FeedError as error:
        source.last_error = str(error)
        log.warning("warning feed %s: %s", source.name, error)
    source.seen = seen[-SEEN_KEPT:]
    source.last_polled_at = clock.now()
    return received


def due_sources() -> list[WarningSource]:
    now = clock.now()
    sources = db.session.scalars(select(WarningSource).where(WarningSource.enabled.is_(True),
                                                             WarningSource.feed_url.is_not(None)))
    return [s for s in sources if s.last_polled_at is None
            or s.last_polled_at + timedelta(seconds=s.poll_seconds) <= now]
