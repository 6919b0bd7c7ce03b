"""Image-only boards: screens that show the picture at one URL and poll it (e-paper panels, TVs
that open a link). There is no player to keep time, so the slide that plays is chosen by the clock:
the screen's rotation (kiosk/screens/state.py, after dayparts and priorities) laid end to end from
the start of the local day, each notice page for its slide's duration. Each poll is a heartbeat
and a display report, so proof of display counts these boards like any other screen.

Outside the screen's on-hours (kiosk/screens/hours.py) a board gets a dark sleep picture saying
when it wakes, and is told to poll slowly (X-Next-Change and Retry-After: until it wakes, at most
SLEEP_POLL_SECONDS); a sleeping board is heard from but shows nothing, so no display is reported.
An urgent notice wakes it like any screen."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from kiosk.core import clock
from kiosk.extensions import db
from kiosk.render.formats import Format, get_format, get_mode
from kiosk.render.rendering import Rendered, page_count, render_slide
from kiosk.render.slides import Context
from kiosk.render.sources import context_for
from kiosk.screens import hours
from kiosk.screens.devices import screen_for_token, token_digest
from kiosk.screens.models import DisplayReport, PairingRequest, Screen, ScreenKind
from kiosk.screens.operations import HEARTBEAT_TIMEOUT, mark_heartbeat, start_pairing
from kiosk.screens.state import active_urgent, day_start, ms, playing_slides, ticker_lines, urgent_payload

URGENT_LEAD_MS = 60_000   # the player shows an urgent notice up to a minute before its start
# A board that pairs by code polls with a secret of its own (a random string set up once on it).
MIN_BOARD_SECRET = 16
# A sleeping board polls at least this often: a schedule changed meanwhile or an urgent notice
# reaches it within that time.
SLEEP_POLL_SECONDS = 300


@dataclass
class NowShowing:
    entry: dict               # a slide dict of the state, or an urgent notice's payload
    page: int
    context: Context
    seconds_left: int         # until the board shows something else (its next useful poll)

    @property
    def urgent(self) -> bool:
        return "kind" not in self.entry

    @property
    def asleep(self) -> bool:
        return self.entry.get("kind") == "sleep"

    @property
    def report_key(self) -> str:
        return f"urgent:{self.entry['id']}" if self.urgent else self.entry["key"]


def _place(screen: Screen) -> dict:
    return {"unit": screen.unit.name, "township": (screen.unit.township.name if screen.unit.township else "")}


def reported_slide(screen: Screen, key: str, moment: datetime | None = None) -> NowShowing | None:
    """The slide of the screen's state (state.py) with the key the screen last reported showing, so
    a staff thumbnail draws what the page's 正在显示 names; None when the state no longer has it."""
    moment = moment or clock.now()
    for entry in playing_slides(screen, moment):
        if entry.get("key") == key:
            return NowShowing(entry, 0, context_for(entry, _place(screen), moment, ticker_lines(screen, moment)),
                              entry["duration"])
    return None


def showing_now(screen: Screen, fmt: Format, moment: datetime | None = None) -> NowShowing:
    moment = moment or clock.now()
    place = _place(screen)
    at = ms(moment)
    urgent = [u for u in active_urgent(screen, moment) if ms(u.starts_at) <= at + URGENT_LEAD_MS]
    if urgent:
        return NowShowing(urgent_payload(urgent[0]), 0, context_for(None, place, moment), 60)
    if not hours.is_on(screen, moment):
        return _asleep(screen, moment)
    slides = playing_slides(screen, moment)
    lines = ticker_lines(screen, moment)   # under every slide, as the player's strip (e-paper: one line)
    contexts = [context_for(entry, place, moment, lines) for entry in slides]
    slots = [(entry, page, context, entry["duration"]) for entry, context in zip(slides, contexts)
             for page in range(page_count(entry, fmt, context))]
    cycle = sum(slot[3] for slot in slots)
    into = (moment - day_start(moment)).total_seconds() % cycle
    for entry, page, context, duration in slots:
        if into < duration:
            return NowShowing(entry, page, context, max(1, int(duration - into)))
        into -= duration
    entry, page, context, duration = slots[-1]
    return NowShowing(entry, page, context, duration)


def _asleep(screen: Screen, moment: datetime) -> NowShowing:
    wake = hours.next_start(screen, moment)
    seconds = SLEEP_POLL_SECONDS if wake is None else int((wake - moment).total_seconds())
    seconds = max(1, min(SLEEP_POLL_SECONDS, seconds))
    entry = {"kind": "sleep", "key": "sleep", "duration": seconds, "windows": None,
             "wake": clock.to_local(wake).strftime("%H:%M") if wake else ""}
    return NowShowing(entry, 0, context_for(None, _place(screen), moment), seconds)


def picture_now(screen: Screen, size: str | None = None, mode: str | None = None,
                width: int | None = None) -> tuple[NowShowing, Rendered]:
    """What the screen shows at this moment as a picture (its slide by the clock, or its sleep picture)."""
    fmt = get_format(size, default_size(screen))
    shown = showing_now(screen, fmt)
    return shown, render_slide(shown.entry, fmt, get_mode(mode, fmt), shown.context, shown.page, width)


def thumbnail(screen: Screen, key: str | None, size: str | None = None, mode: str | None = None,
              width: int | None = None) -> Rendered:
    """The server's picture of a screen for staff: the slide it last reported showing (`key`) if its
    state still has it, else what it shows by the clock. Not what its browser displays (a command's
    screenshot through the launcher is)."""
    reported = reported_slide(screen, key) if key else None
    if reported is None:
        return picture_now(screen, size, mode, width)[1]
    fmt = get_format(size, default_size(screen))
    return render_slide(reported.entry, fmt, get_mode(mode, fmt), reported.context, 0, width)


def record_poll(screen: Screen, shown: NowShowing, moment: datetime | None = None) -> None:
    """The board showed its previous picture until now and shows this one from now: extend or start
    the display report, and count the poll as a heartbeat (online, last seen, what it shows)."""
    moment = moment or clock.now()
    title = shown.entry.get("title") or shown.entry.get("caption") or ""
    kind = "urgent" if shown.urgent else shown.entry["kind"]
    mark_heartbeat(screen, f"poll:{screen.id}", {"showing": {"key": shown.report_key, "kind": kind, "title": title}})
    last = db.session.scalar(select(DisplayReport).where(DisplayReport.screen_id == screen.id)
                             .order_by(DisplayReport.started_at.desc()).limit(1))
    if last is not None and last.ended_at >= moment - HEARTBEAT_TIMEOUT:
        last.ended_at = max(last.ended_at, moment)
        if last.slide_key == shown.report_key:
            return
    if shown.asleep:
        return
    db.session.add(DisplayReport(
        screen_id=screen.id, slide_key=shown.report_key[:80], slide_kind=kind,
        notice_id=None if shown.urgent else shown.entry.get("notice_id"),
        urgent_id=shown.entry["id"] if shown.urgent else None, started_at=moment, ended_at=moment))


def counts_as_display(screen: Screen) -> bool:
    """Only image-only boards prove display by polling; other screens' players report for themselves."""
    return screen.kind == ScreenKind.image_board


def default_size(screen: Screen) -> str:
    """The picture size that matches a screen (its reported size, else its kind)."""
    if screen.screen_width and screen.screen_height:
        return "portrait" if screen.screen_height > screen.screen_width else "landscape"
    return "portrait" if screen.kind in (ScreenKind.noticeboard_portrait, ScreenKind.touch_kiosk) else "landscape"


def screen_or_pairing(secret: str | None) -> tuple[Screen | None, PairingRequest | None]:
    """The screen a poll's token belongs to; for an unknown secret, the board's pairing request.

    An image-only board cannot run the browser pairing page, so it pairs through its pictures: polled
    with a secret nobody knows yet, renderScreenNow draws a six-digit code; a screen manager enters
    it on the Screens page (pairScreen) like a browser's; at the next poll that secret becomes the
    board's device token (only its SHA-256 is stored) and the board shows its slides."""
    screen = screen_for_token(secret)
    if screen is not None or not secret or not MIN_BOARD_SECRET <= len(secret) <= 128:
        return screen, None
    now = clock.now()
    request = db.session.scalar(select(PairingRequest).where(
        PairingRequest.claim_hash == token_digest(secret), PairingRequest.claimed_at.is_(None),
        PairingRequest.expires_at > now))
    if request is None:
        request, _browser_secret = start_pairing()
        request.claim_hash = token_digest(secret)     # the board's own secret claims it
    elif request.screen is not None:
        request.screen.token_hash, request.claimed_at = token_digest(secret), now
        return request.screen, None
    return None, request
