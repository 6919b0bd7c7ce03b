"""The certificate's arithmetic on records alone: intervals, gaps, days, statuses."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from kiosk.proof.certificate import (ROTATION_ALLOWANCE, GapReason, ScreenHistory, Showing, Status,
                                     prove)
from kiosk.proof.intervals import clip, intersect, local_days, merge, subtract, total

SHANGHAI = ZoneInfo("Asia/Shanghai")
H = timedelta(hours=1)
M = timedelta(minutes=1)


def at(text: str) -> datetime:
    """A Shanghai wall time as aware UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).astimezone(timezone.utc)


def rotation(start: datetime, end: datetime, cycle=4 * M, turn=30 * timedelta(seconds=1), **flags) -> list[Showing]:
    """The notice's turns in a rotation from start to end."""
    showings, moment = [], start
    while moment < end:
        showings.append(Showing(moment, min(moment + turn, end), **flags))
        moment += cycle
    return showings


def spans(showings):
    return [(s.start, s.end) for s in showings]


# -- intervals ---------------------------------------------------------------------------------

def test_merge_joins_overlaps_and_duplicates_and_drops_empty_spans():
    a = at("2026-12-01 10:00")
    merged = merge([(a + H, a + 2 * H), (a, a + H), (a + 30 * M, a + 90 * M), (a + 3 * H, a + 3 * H),
                    (a, a + H)])
    assert merged == [(a, a + 2 * H)]


def test_merge_with_join_bridges_short_gaps_only():
    a = at("2026-12-01 10:00")
    parts = [(a, a + M), (a + 5 * M, a + 6 * M), (a + 30 * M, a + 31 * M)]
    assert merge(parts, join=10 * M) == [(a, a + 6 * M), (a + 30 * M, a + 31 * M)]


def test_subtract_intersect_clip_and_total():
    a = at("2026-12-01 00:00")
    base = [(a, a + 10 * H)]
    holes = [(a + H, a + 2 * H), (a + 5 * H, a + 12 * H)]
    assert subtract(base, holes) == [(a, a + H), (a + 2 * H, a + 5 * H)]
    assert intersect(base, holes) == [(a + H, a + 2 * H), (a + 5 * H, a + 10 * H)]
    assert clip(holes, a + 90 * M, a + 6 * H) == [(a + 90 * M, a + 2 * H), (a + 5 * H, a + 6 * H)]
    assert total(holes + holes) == 8 * H


def test_local_days_split_at_shanghai_midnight_not_utc():
    days = local_days(at("2026-12-01 22:00"), at("2026-12-03 04:00"), SHANGHAI)
    assert [(d.isoformat(), e - s) for d, s, e in days] == [
        ("2026-12-01", 2 * H), ("2026-12-02", 24 * H), ("2026-12-03", 4 * H)]
    assert days[1][1] == at("2026-12-02 00:00")


# -- one screen --------------------------------------------------------------------------------

WINDOW = (at("2026-12-01 08:00"), at("2026-12-08 00:00"))
NOW = at("2026-12-08 10:00")


def always_online():
    return [WINDOW]


def test_a_screen_showing_the_notice_every_turn_honours_the_period():
    showings = rotation(*WINDOW)
    proof = prove(ScreenHistory(showings, spans(showings), always_online()), WINDOW, NOW, SHANGHAI)
    assert proof.status == Status.honoured
    assert proof.gaps == [] and proof.missing == timedelta(0) and proof.coverage == 1
    assert proof.first_shown == WINDOW[0]
    assert proof.showings == len(showings)
    assert proof.shown == 30 * timedelta(seconds=1) * len(showings)
    assert [d.number for d in proof.days] == [1, 2, 3, 4, 5, 6, 7]
    assert proof.days[0].length == 16 * H


def test_a_screen_that_never_came_online():
    proof = prove(ScreenHistory([], [], []), WINDOW, NOW, SHANGHAI)
    assert proof.status == Status.never_online
    assert proof.first_shown is None and proof.showings == 0 and proof.coverage == 0
    assert [(g.start, g.end, g.reason) for g in proof.gaps] == [(*WINDOW, GapReason.offline)]
    assert proof.offline == WINDOW[1] - WINDOW[0]
    assert all(day.offline == day.length == day.missing for day in proof.days)


def test_overlapping_and_repeated_reports_count_once():
    start = WINDOW[0]
    showings = [Showing(start, start + 10 * M), Showing(start + 5 * M, start + 15 * M), Showing(start, start + 10 * M)]
    proof = prove(ScreenHistory(showings, spans(showings), always_online()), (start, start + 15 * M), NOW, SHANGHAI)
    assert proof.shown == 15 * M
    assert proof.status == Status.honoured


def test_six_hours_off_on_day_three_is_a_gap_on_that_day():
    outage = (at("2026-12-03 08:00"), at("2026-12-03 14:00"))
    showings = [s for s in rotation(*WINDOW) if not (outage[0] <= s.start < outage[1])]
    online = subtract([WINDOW], [outage])
    proof = prove(ScreenHistory(showings, spans(showings), online), WINDOW, NOW, SHANGHAI)
    assert proof.status == Status.gaps
    [gap] = proof.gaps
    assert gap.reason == GapReason.offline
    # from the last showing before the outage to the first after it
    assert gap.start == at("2026-12-03 07:56:30") and gap.end == outage[1]
    day3 = proof.days[2]
    assert day3.day.isoformat() == "2026-12-03" and day3.offline == 6 * H
    assert day3.missing == gap.duration
    assert all(day.offline == timedelta(0) for day in proof.days if day.number != 3)
    assert 0.96 < proof.coverage < 0.97


def test_a_late_batch_after_an_outage_fills_the_gap_it_left():
    """The link dropped but the player kept cycling from its saved state; its showings of those
    hours arrive in a batch after it reconnects."""
    outage = (at("2026-12-02 14:00"), at("2026-12-02 16:00"))
    online = subtract([WINDOW], [outage])
    before, after = rotation(WINDOW[0], outage[0]), rotation(outage[1], WINDOW[1])
    cached = rotation(*outage, offline=True)

    not_yet = prove(ScreenHistory(before + after, spans(before + after), online), WINDOW, NOW, SHANGHAI)
    assert [g.reason for g in not_yet.gaps] == [GapReason.offline] and not_yet.status == Status.gaps

    showings = before + cached + after
    proof = prove(ScreenHistory(showings, spans(showings), online), WINDOW, NOW, SHANGHAI)
    assert proof.status == Status.honoured and proof.gaps == []
    assert proof.offline == 2 * H and proof.days[1].offline == 2 * H   # still offline: the link was down
    assert proof.offline_showings == len(cached)
    assert proof.shown_while_offline == 30 * timedelta(seconds=1) * len(cached)


def test_a_gap_crossing_midnight_is_split_between_the_two_days():
    hole = (at("2026-12-04 22:00"), at("2026-12-05 03:00"))
    showings = [s for s in rotation(*WINDOW) if not (hole[0] <= s.start < hole[1])]
    proof = prove(ScreenHistory(showings, spans(showings), subtract([WINDOW], [hole])), WINDOW, NOW, SHANGHAI)
    [gap] = proof.gaps
    assert gap.start < hole[0] < hole[1] == gap.end
    day4, day5 = proof.days[3], proof.days[4]
    assert day4.offline == 2 * H and day5.offline == 3 * H
    assert day4.missing == (hole[0] - gap.start) + 2 * H   # from the last showing to midnight
    assert day5.missing == 3 * H


def test_gaps_tell_a_screen_running_without_the_notice_from_a_silent_one():
    start = WINDOW[0]
    window = (start, start + 4 * H)
    showings = rotation(start, start + H) + rotation(start + 3 * H, window[1])
    other_slides = [(start + H, start + 2 * H)]       # ran, but not this notice
    proof = prove(ScreenHistory(showings, spans(showings) + other_slides, [window]), window, NOW, SHANGHAI)
    reasons = [(g.reason, round(g.duration / M)) for g in proof.gaps]
    assert [r for r, _m in reasons] == [GapReason.not_shown, GapReason.silent]
    assert proof.offline == timedelta(0)
    assert proof.status == Status.gaps


def test_showings_up_to_one_rotation_turn_apart_leave_no_gap():
    start = WINDOW[0]
    window = (start, start + 2 * H)
    sparse = rotation(start, window[1], cycle=ROTATION_ALLOWANCE)
    assert prove(ScreenHistory(sparse, spans(sparse), [window]), window, NOW, SHANGHAI).gaps == []
    too_sparse = rotation(start, window[1], cycle=ROTATION_ALLOWANCE + 2 * M)
    assert prove(ScreenHistory(too_sparse, spans(too_sparse), [window]), window, NOW, SHANGHAI).gaps != []


def test_an_ongoing_period_is_evaluated_up_to_now_and_a_future_one_is_pending():
    now = at("2026-12-02 12:00")
    showings = rotation(WINDOW[0], now)
    proof = prove(ScreenHistory(showings, spans(showings), [(WINDOW[0], now)]), WINDOW, now, SHANGHAI)
    assert proof.window == (WINDOW[0], now) and proof.status == Status.honoured and len(proof.days) == 2
    assert prove(ScreenHistory([], [], []), WINDOW, WINDOW[0] - H, SHANGHAI).status == Status.pending


def test_a_screen_online_that_never_showed_the_notice():
    proof = prove(ScreenHistory([], [WINDOW], [WINDOW]), WINDOW, NOW, SHANGHAI)
    assert proof.status == Status.never_shown
    assert [g.reason for g in proof.gaps] == [GapReason.not_shown]


def test_a_screen_whose_connections_were_not_recorded_but_showed_the_notice_is_not_never_online():
    showings = rotation(*WINDOW)
    proof = prove(ScreenHistory(showings, [], []), WINDOW, NOW, SHANGHAI)
    assert proof.status == Status.honoured
    assert proof.offline == WINDOW[1] - WINDOW[0]   # no connection on record, yet the reports prove it showed
