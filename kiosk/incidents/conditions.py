"""Conditions: what features declare so that someone is told (the incidents engine acts on them).

A feature declares each condition it knows with `@condition(kind, ...)` on a function that takes
the current instant and returns the findings true at that instant. The engine evaluates every
condition on its schedule, opens an incident for a finding it has not seen, closes the incidents
whose finding is gone, groups one that comes back within the flap window, and tells the unit's
channels. A feature never sends a message itself.

    @condition("screens.offline", label=_l("Screen offline"), flap_window=timedelta(minutes=15))
    def offline_screens(now):
        for screen in ...:
            yield Finding(key=f"screen:{screen.id}", unit_id=screen.unit_id, title=..., link=...)
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Finding:
    """One instance of a condition that holds now.

    key: stable for as long as the same thing is wrong ("screen:12", "application:88:deadline").
    unit_id: the unit whose staff are told (their channels, their dashboard).
    title: one line in the reader's words, already translated.
    user_ids: particular staff who must see it (an application's handler), beside the unit's roles.
    roles: which roles of the unit see it on the dashboard; empty means the condition's default.
    since: when it started being wrong, if the feature knows (a screen's last heartbeat); the
        incident counts its length from there. Empty: from when the engine first finds it.
    quiet: still wrong, but not worth telling anyone now (a dark screen at night): keeps an open
        incident open (the night is no recovery) and never opens one.
    """

    key: str
    unit_id: int
    title: str
    detail: str = ""
    link: str | None = None
    user_ids: tuple[int, ...] = ()
    roles: tuple[str, ...] = ()
    since: datetime | None = None
    quiet: bool = False


@dataclass(frozen=True)
class Condition:
    kind: str
    find: Callable[[datetime], Iterable[Finding]]
    label: object                       # a lazy string naming the condition on pages and in messages
    roles: tuple[str, ...] = ()         # default roles told, e.g. ("screen_manager", "administrator")
    flap_window: timedelta = timedelta(0)   # a finding back within it reopens the same incident
    digest: bool = True                 # listed in the morning digest while open
    extra: dict = field(default_factory=dict)


CONDITIONS: dict[str, Condition] = {}


def link_for(endpoint: str, **values) -> str:
    """A staff page's path for `Finding.link`, also outside a request (conditions run in the scheduler);
    messages make it absolute with KIOSK_PUBLIC_URL."""
    from flask import current_app, has_request_context, url_for
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost").build(endpoint, values)


def condition(kind: str, *, label, roles: tuple[str, ...] = (), flap_window: timedelta = timedelta(0),
              digest: bool = True):
    """Register `find(now) -> Iterable[Finding]` as the condition `kind` (feature.what, e.g. "screens.offline")."""
    def register(find):
        if kind in CONDITIONS and CONDITIONS[kind].find is not find:
            raise ValueError(f"condition {kind!r} is declared twice")
        CONDITIONS[kind] = Condition(kind, find, label, roles, flap_window, digest)
        return find
    return register
