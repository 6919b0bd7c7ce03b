"""Everything a player needs to run on its own: its rotations with concrete time windows for the
next two days, the slides' content, the active urgent notices and the words it displays.

The player keeps the last state (localStorage, service worker) and keeps cycling from it while
offline: windows and notice end times are absolute instants, so it switches rotations and drops
expired notices with no server.
"""
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from kiosk.core import clock
from kiosk.extensions import db
from kiosk.org.models import Unit, UnitKind
from kiosk.screens import dayparts, providers
from kiosk.screens.models import Screen, ScreenGroupMember, Slide, SlideKind, UrgentNotice, UrgentTarget
from kiosk.screens.rotations import rotations_for
from kiosk.screens.statecache import shared_states

# Windows run from the start of the local day, so the state (and its digest) stays the same all
# day long; three days from there is always at least two days ahead.
HORIZON = timedelta(hours=72)
PLAYER_VERSION = "1.0.0"


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
            "correction": clock.to_local(datetime.fromisoformat(corrected)).date().isoformat() if corrected else None,
            "qr": notice["qr"], "link": notice["url"]}


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
    return [{**base, "key": f"s{slide.id}", "welcome": config.get("welcome", "")}]


def day_start(moment: datetime) -> datetime:
    return clock.local_midnight_utc(clock.to_local(moment).date())


def expanded_rotations(screen: Screen, moment: datetime | None = None) -> list[dict]:
    start = day_start(moment or clock.now())
    notices = providers.showing_notices(screen.unit)
    rotations = []
    for rotation in rotations_for(screen):
        slides = [entry for slide in rotation.slides for entry in _expand(slide, screen, notices, start)]
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


def player_strings() -> dict:
    return {"offline": _("Offline — showing saved content"), "urgent": _("Urgent notice"),
            "scan": _("Scan for the full document"), "days_left": _("Publicity: %(n)s days left", n="{n}"),
            "working_days_left": _("Publicity: %(n)s working days left", n="{n}"),
            "last_day": _("Publicity ends today"), "welcome": _("Welcome"), "waiting": _("%(n)s waiting", n="{n}"),
            "queue_title": _("Queue now"), "correction": _("Corrected on %(date)s", date="{date}"),
            "page": _("Page %(n)s of %(total)s", n="{n}", total="{total}"), "index_no": _("Index No."),
            "not_registered": _("This screen is not registered"), "closed": _("closed")}


@dataclass(frozen=True)
class ScreenView:
    """What the state needs to know of a screen, kept by the socket for as long as it is connected:
    its name line, and the rooms whose changes alter what it plays (its groups, its unit and the
    units above it: the key of the shared state)."""
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
        unit = screen.unit
        while unit is not None:
            rooms.append(f"unit:{unit.id}")
            unit = unit.parent
        return cls(screen.id, screen.name, screen.kind.value, screen.unit.id, screen.unit.name,
                   township.name if township and township.id != screen.unit.id else "", tuple(rooms))


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:16]


def _first_end(shared: dict, after: int) -> int | None:
    """The first instant at which an urgent notice or a notice in the state ends (the cache's limit)."""
    ends = [u["until"] for u in shared["urgent"]]
    ends += [slide.get("until") for rotation in shared["rotations"] for slide in rotation["slides"]]
    future = [end for end in ends if end is not None and end > after]
    return min(future, default=None)


def _shared_state(screen: Screen, now: datetime) -> tuple[dict, str, int | None]:
    """Everything but the name line: the same for every screen of one unit in the same groups."""
    shared = {
        "rotations": expanded_rotations(screen, now),
        "urgent": [urgent_payload(u) for u in active_urgent(screen, now)],
        "horizon": ms(day_start(now) + HORIZON),
        "timezone": clock.local_zone().key, "locale": "zh-CN" if str(get_locale()) == "zh" else "en",
        "strings": player_strings(), "version": PLAYER_VERSION,
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
