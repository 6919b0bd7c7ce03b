"""Everything a player needs to run on its own: its rotations with concrete time windows for the
next two days, the slides' content, the active urgent notices, the ticker lines (kiosk/broadcast)
with their windows as instants, and the words it displays.

The player keeps the last state (localStorage, service worker) and keeps cycling from it while
offline: windows and notice end times are absolute instants, so it switches rotations and drops
expired notices with no server.
"""
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from datetime import datetime, timedelta

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from kiosk.broadcast.models import Ticker, TickerTarget
from kiosk.core import clock
from kiosk.extensions import db
from kiosk.org.models import Unit, UnitKind
from kiosk.paths import DISPLAY_DIR, PACKAGE_DIR
from kiosk.screens import dayparts, hours, providers
from kiosk.screens.models import (Screen, ScreenGroup, ScreenGroupMember, Slide, SlideKind, UrgentNotice,
                                  UrgentTarget)
from kiosk.screens.rotations import rotations_for
from kiosk.screens.statecache import shared_states
from kiosk.video.operations import cache_budget
from kiosk.video.slides import video_entries
from kiosk.villages.public_days import screen_public_days
from kiosk.villages.screens import player_strings as village_strings

# Windows run from the start of the local day, so the state (and its digest) stays the same all
# day long; three days from there is always at least two days ahead.
HORIZON = timedelta(hours=72)
# The version of the screens' code (display/): each page that runs it (the player, the hall board, the
# touch kiosk) carries the one it was served with, and fleet.js reports that one, so a screen still
# running an old page after an upgrade is marked. The release is bumped by hand for people to read;
# the digest of the files changes by itself, so an upgrade that forgets the bump is marked all the same.
PLAYER_VERSION = "1.2.0"
SCREEN_PAGES = ("screens/templates/screens/player.html", "queue/templates/queue/board.html",
                "touch/templates/touch/app.html")


@cache
def _screen_code_digest() -> str:
    """The same on every server holding the same files, wherever they are installed."""
    files = [(DISPLAY_DIR, p) for p in sorted(DISPLAY_DIR.rglob("*"))
             if p.suffix in (".js", ".css", ".html", ".json") and "node_modules" not in p.parts]
    files += [(PACKAGE_DIR, PACKAGE_DIR / page) for page in SCREEN_PAGES]
    digest = hashlib.sha256()
    for root, path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:8]


def player_version() -> str:
    """The version served now ("release+digest"); read at each use by the pages and the marks."""
    return f"{PLAYER_VERSION}+{_screen_code_digest()}"


def ms(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def _windows(part, start: datetime) -> list[list[int]] | None:
    """None means "always" (the player needs no list for it)."""
    if dayparts.is_always(part):
        return None
    return [[ms(a), ms(b)] for a, b in dayparts.windows(part, start, start + HORIZON)]


def _hall_for(screen: Screen, code: str | None) -> Unit | None:
    if code:
        return db.session.scalar(select(Unit).where(Unit.code == code))
    township = screen.unit.township
    if township is None:
        return None
    return db.session.scalar(select(Unit).where(Unit.parent_id == township.id, Unit.kind == UnitKind.hall)
                             .order_by(Unit.id))


def _parse_moment(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return ms(value)


def notice_content(notice: dict, start: datetime) -> dict:
    """The part of a notice from the disclosures feed that the player shows. `countdown` holds
    [from, days left, last day?] from `start`'s day: the player shows the latest that has begun
    and never counts days itself (the rule is `disclosures.periods.days_left`)."""
    category = notice["category"]
    corrected = notice.get("corrected_at")
    return {"notice_id": notice["id"], "title": notice["title"], "body_html": notice["body_html"],
            "category": {"name": category["name"], "colour": category["colour"]},
            "publisher": notice["unit"]["name"], "index_no": notice.get("index_number") or "",
            "formed_on": notice.get("formed_on"),
            "until": _parse_moment(notice.get("show_until")),
            "period_from": _parse_moment(notice.get("show_from")) if notice.get("publicity_end") else None,
            "period_until": _parse_moment(notice.get("publicity_end")),
            "period_unit": notice.get("period_unit"),
            "countdown": [[ms(step["from"]), step["days_left"], step["last_day"]]
                          for step in providers.publicity_countdown(notice, start)],
            "comment_from": _parse_moment(notice.get("comment_from")),
            "comment_countdown": [[ms(step["from"]), step["days_left"], step["last_day"]]
                                  for step in providers.comment_countdown(notice, start)],
            "correction": clock.to_local(datetime.fromisoformat(corrected)).date().isoformat() if corrected else None,
            "signed_off": bool(notice.get("signed_off")), "qr": notice["qr"], "link": notice["url"]}


def _expand(slide: Slide, screen: Screen, notices: list[dict], start: datetime) -> list[dict]:
    """One slide of a rotation as the player's slides (a notice slide becomes one per notice)."""
    base = {"kind": slide.kind.value, "duration": slide.duration, "windows": _windows(slide, start)}
    config = slide.config or {}
    if slide.kind == SlideKind.notice:
        wanted_ids, categories = set(config.get("notice_ids") or []), set(config.get("categories") or [])
        if wanted_ids:
            chosen = [n for n in notices if n["id"] in wanted_ids]
        else:
            chosen = [n for n in notices if not categories or (n.get("category") or {}).get("code") in categories]
        return [{**base, "key": f"s{slide.id}:n{n['id']}", **notice_content(n, start)} for n in chosen]
    if slide.kind == SlideKind.image:
        return [{**base, "key": f"s{slide.id}", "caption": config.get("caption", ""),
                 "image": url_for("screen_player.image", image_id=config["image_id"])}]
    if slide.kind == SlideKind.qr:
        return [{**base, "key": f"s{slide.id}", "caption": config.get("caption", ""), "link": config["link"],
                 "qr": url_for("screen_player.slide_qr", slide_id=slide.id)}]
    if slide.kind == SlideKind.queue:
        hall = _hall_for(screen, config.get("hall"))
        if hall is None:
            return []
        return [{**base, "key": f"s{slide.id}", "hall": hall.code, "queue": providers.hall_queue(hall),
                 "queue_url": url_for("screen_player.queue", hall=hall.code)}]
    if slide.kind == SlideKind.video:
        return video_entries(slide, base)
    return [{**base, "key": f"s{slide.id}", "welcome": config.get("welcome", "")}]


def day_start(moment: datetime) -> datetime:
    return clock.local_midnight_utc(clock.to_local(moment).date())


def _public_day_first(slides: list[dict], notices: list[dict], items: set[int]) -> list[dict]:
    """On a public day (政务公开日) the notices filed under the day's items come first, marked."""
    if not items:
        return slides
    due_today = {notice["id"] for notice in notices if notice.get("list_item") in items}
    for slide in slides:
        if slide.get("notice_id") in due_today:
            slide["public_day"] = True
    return sorted(slides, key=lambda slide: not slide.get("public_day"))


def expanded_rotations(screen: Screen, moment: datetime | None = None) -> list[dict]:
    start = day_start(moment or clock.now())
    notices = providers.showing_notices(screen.unit)
    _banners, first_items = screen_public_days(screen.unit, start, start + HORIZON)
    rotations = []
    for rotation in rotations_for(screen):
        slides = [entry for slide in rotation.slides for entry in _expand(slide, screen, notices, start)]
        slides = _public_day_first(slides, notices, first_items)
        rotations.append({"id": rotation.id, "name": rotation.name, "priority": rotation.priority,
                          "windows": _windows(rotation, start), "slides": slides})
    return rotations


def active_urgent(screen: Screen, moment: datetime | None = None) -> list[UrgentNotice]:
    moment = moment or clock.now()
    found = db.session.scalars(
        select(UrgentNotice).join(UrgentTarget).join(ScreenGroupMember,
                                                     ScreenGroupMember.group_id == UrgentTarget.group_id)
        .where(ScreenGroupMember.screen_id == screen.id, UrgentNotice.cleared_at.is_(None))
        .order_by(UrgentNotice.starts_at.desc()).distinct())
    return [u for u in found if u.ends_at is None or u.ends_at > moment]


def urgent_payload(urgent: UrgentNotice) -> dict:
    return {"id": urgent.id, "title": urgent.title, "body": urgent.body, "publisher": urgent.unit.name,
            "starts": ms(urgent.starts_at), "until": ms(urgent.ends_at)}


def active_tickers(screen: Screen, moment: datetime | None = None) -> list[Ticker]:
    """The ticker lines aimed at the screen's groups that have not ended (their dayparts aside):
    urgent first, then by priority, then oldest first."""
    moment = moment or clock.now()
    members = select(ScreenGroupMember.group_id).where(ScreenGroupMember.screen_id == screen.id)
    ids = select(TickerTarget.ticker_id).where(TickerTarget.group_id.in_(members))
    found = db.session.scalars(
        select(Ticker).where(Ticker.id.in_(ids), Ticker.ended_at.is_(None))
        .order_by(Ticker.urgent.desc(), Ticker.priority.desc(), Ticker.id))
    # A line whose last day was yesterday may still run past midnight (22:00–06:00).
    yesterday = clock.to_local(moment).date() - timedelta(days=1)
    return [t for t in found if (t.ends_at is None or t.ends_at > moment)
            and (t.date_until is None or t.date_until >= yesterday)]


def ticker_payload(ticker: Ticker, start: datetime) -> dict:
    """A ticker line as the player crawls it: its daily windows and its own start and end as instants."""
    return {"id": ticker.id, "text": ticker.text, "urgent": ticker.urgent, "priority": ticker.priority,
            "speed": ticker.speed, "pause": ticker.pause, "windows": _windows(ticker, start),
            "starts": ms(ticker.starts_at), "until": ms(ticker.ends_at)}


def tickers_at(tickers: list[dict], at: int) -> list[dict]:
    """The player's rule (display/player/ticker.js linesAt): the lines in their time, in order; while
    an urgent line runs, only the urgent ones."""
    running = [t for t in tickers if t["starts"] <= at and _playable(t, at)]
    urgent = [t for t in running if t["urgent"]]
    return urgent or running


def _lines_at(found: list[Ticker], moment: datetime) -> list[str]:
    start = day_start(moment)
    return [t["text"] for t in tickers_at([ticker_payload(t, start) for t in found], ms(moment))]


def ticker_lines(screen: Screen, moment: datetime | None = None) -> list[str]:
    """The texts a picture of the screen shows in its static strip at `moment`."""
    moment = moment or clock.now()
    return _lines_at(active_tickers(screen, moment), moment)


def unit_ticker_lines(unit: Unit, moment: datetime | None = None) -> list[str]:
    """The ticker texts of a place's paper sheets: the lines aimed at a group of the place or at a group
    holding one of its screens, by the same rule as a screen's."""
    moment = moment or clock.now()
    screens_here = select(Screen.id).where(Screen.unit_id == unit.id, Screen.revoked_at.is_(None))
    groups = select(ScreenGroupMember.group_id).where(ScreenGroupMember.screen_id.in_(screens_here))
    owned = select(ScreenGroup.id).where(ScreenGroup.unit_id == unit.id)
    ids = select(TickerTarget.ticker_id).where(TickerTarget.group_id.in_(groups) | TickerTarget.group_id.in_(owned))
    found = db.session.scalars(select(Ticker).where(Ticker.id.in_(ids), Ticker.ended_at.is_(None))
                               .order_by(Ticker.urgent.desc(), Ticker.priority.desc(), Ticker.id))
    return _lines_at([t for t in found if t.ends_at is None or t.ends_at > moment], moment)


def player_strings() -> dict:
    return {"offline": _("Offline — showing saved content"), "urgent": _("Urgent notice"),
            "scan": _("Scan for the full document"), "days_left": _("Publicity: %(n)s days left", n="{n}"),
            "working_days_left": _("Publicity: %(n)s working days left", n="{n}"),
            "last_day": _("Publicity ends today"),
            "comment_days_left": _("Draft for comment: %(n)s days left to comment", n="{n}"),
            "comment_last_day": _("Draft for comment: comments close today"), "welcome": _("Welcome"), "waiting": _("%(n)s waiting", n="{n}"),
            "queue_title": _("Queue now"), "correction": _("Corrected on %(date)s", date="{date}"),
            "page": _("Page %(n)s of %(total)s", n="{n}", total="{total}"), "index_no": _("Index No."),
            "not_registered": _("This screen is not registered"), "closed": _("closed"),
            "identify_code": _("Screen No. %(code)s", code="{code}"),
            "kiosk_closed": _("The service hall is closed now. Touch the screen to read the notices."),
            **village_strings()}


@dataclass(frozen=True)
class ScreenView:
    """What the state needs to know of a screen, kept by the socket for as long as it is connected:
    its name line, and the rooms whose changes alter what it plays (its groups, its unit and the
    units above it, and its own room when it has on-hours of its own: the key of the shared state)."""
    id: int
    name: str
    kind: str
    unit_id: int
    unit_name: str
    township_name: str
    rooms: tuple[str, ...]

    @classmethod
    def of(cls, screen: Screen) -> "ScreenView":
        township = screen.unit.township
        rooms = [f"group:{gid}" for gid in sorted(m.group_id for m in screen.memberships)]
        if hours.has_own_schedule(screen.id):
            rooms.insert(0, f"screen:{screen.id}")
        unit = screen.unit
        while unit is not None:
            rooms.append(f"unit:{unit.id}")
            unit = unit.parent
        return cls(screen.id, screen.name, screen.kind.value, screen.unit.id, screen.unit.name,
                   township.name if township and township.id != screen.unit.id else "", tuple(rooms))


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:16]


def _first_end(shared: dict, after: int) -> int | None:
    """The first instant at which an urgent notice, a ticker or a notice in the state ends (the cache's limit)."""
    ends = [u["until"] for u in shared["urgent"]] + [t["until"] for t in shared["tickers"]]
    ends += [slide.get("until") for rotation in shared["rotations"] for slide in rotation["slides"]]
    future = [end for end in ends if end is not None and end > after]
    return min(future, default=None)


def _shared_state(screen: Screen, now: datetime) -> tuple[dict, str, int | None]:
    """Everything but the name line: the same for every screen of one unit in the same groups."""
    start = day_start(now)
    on_hours = hours.on_windows(screen, start, start + HORIZON)
    banners, _first = screen_public_days(screen.unit, start, start + HORIZON)
    shared = {
        "rotations": expanded_rotations(screen, now),
        # When the screen is on, as instants (None: always): outside them the player goes dark.
        "on_hours": None if on_hours is None else [[ms(a), ms(b)] for a, b in on_hours],
        "urgent": [urgent_payload(u) for u in active_urgent(screen, now)],
        "tickers": [ticker_payload(t, start) for t in active_tickers(screen, now)],
        "horizon": ms(start + HORIZON),
        # Bytes of video the player keeps for offline play (the smallest its groups allow).
        "video_budget": cache_budget(sorted(m.group_id for m in screen.memberships)),
        "public_days": [{**banner, "from": ms(banner["from"]), "until": ms(banner["until"])} for banner in banners],
        "timezone": clock.local_zone().key, "locale": "zh-CN" if str(get_locale()) == "zh" else "en",
        "strings": player_strings(),
    }
    return shared, _digest(shared), _first_end(shared, ms(now))


def player_state_for(view: ScreenView, load_screen=None) -> dict:
    """The state of the screen seen as `view`; the shared part comes from the cache and is computed
    (from `load_screen()`, or the screen read by id) only when its inputs changed."""
    now = clock.now()
    key = (view.unit_id, str(get_locale()), clock.to_local(now).date().isoformat(), view.rooms)

    def compute():
        screen = load_screen() if load_screen else db.session.get(Screen, view.id)
        return _shared_state(screen, now)

    shared, shared_digest = shared_states().get(key, ms(now), compute)
    header = {"id": view.id, "name": view.name, "kind": view.kind, "unit": view.unit_name,
              "township": view.township_name}
    # The shared part's digest, then the name line's: a pushed shared state keeps the screen's suffix.
    return {"screen": header, **shared, "digest": shared_digest + _digest(header)[:8], "generated": ms(now)}


def player_state(screen: Screen) -> dict:
    return player_state_for(ScreenView.of(screen), lambda: screen)


def _playable(entry: dict, at: int) -> bool:
    """The player's rule for a slide: inside one of its windows, and its notice not ended."""
    in_window = entry["windows"] is None or any(a <= at < b for a, b in entry["windows"])
    return in_window and (entry.get("until") is None or at < entry["until"])


@dataclass
class Choice:
    rotation: dict | None
    reasons: list[str]


def choose_rotation(screen: Screen, moment: datetime | None = None) -> Choice:
    """The rotation the screen plays at `moment`, by the player's own rule: the highest-priority
    rotation in its time that has a slide to show. `reasons` explains it on the staff pages."""
    moment = moment or clock.now()
    at = ms(moment)
    reasons = []
    for rotation in expanded_rotations(screen, moment):
        label = _("%(name)s (priority %(priority)d)", name=rotation["name"], priority=rotation["priority"])
        if not _playable({"windows": rotation["windows"]}, at):
            reasons.append(_("%(rotation)s is outside its time.", rotation=label))
        elif not any(_playable(slide, at) for slide in rotation["slides"]):
            reasons.append(_("%(rotation)s has nothing to show at this time.", rotation=label))
        else:
            reasons.append(_("%(rotation)s plays: the highest priority in effect with something to show.",
                             rotation=label))
            return Choice(rotation, reasons)
    if not reasons:
        reasons.append(_("No rotation is set for the groups of this screen."))
    reasons.append(_("The screen shows the clock and welcome page."))
    return Choice(None, reasons)


# The player's stand-in when nothing plays (display/player/player.js clockEntry).
CLOCK_ENTRY = {"key": "clock", "kind": "clock", "duration": 30, "welcome": "", "windows": None}


def playing_slides(screen: Screen, moment: datetime | None = None) -> list[dict]:
    """The slides the screen cycles through at `moment`, in order: the playable slides of the rotation
    choose_rotation picks (after dayparts and priorities), or the clock page when none plays."""
    moment = moment or clock.now()
    choice = choose_rotation(screen, moment)
    if choice.rotation is None:
        return [CLOCK_ENTRY]
    return [slide for slide in choice.rotation["slides"] if _playable(slide, ms(moment))]
