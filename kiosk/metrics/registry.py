"""Every metric the server exports, and the small functions features record them with.

With several server processes on a host, set PROMETHEUS_MULTIPROC_DIR (an empty folder, emptied
before the processes start) for all of them: each process writes its values there and a scrape of
any one of them adds them up (prometheus_client's multiprocess mode)."""
from prometheus_client import Counter, Gauge, Histogram

SCREENS_CONNECTED = Gauge("kiosk_screens_connected", "Screens connected now, by unit and kind",
                          ["unit", "kind"], multiprocess_mode="livesum")
STATE_PUSHES = Counter("kiosk_state_pushes", "States pushed to screens' shares")
CHANGE_TO_STATE = Histogram("kiosk_change_to_state_seconds", "From a change's commit to its state pushed",
                            buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
TICKETS_ISSUED = Counter("kiosk_tickets_issued", "Queue tickets issued", ["hall"])
TICKETS_CALLED = Counter("kiosk_tickets_called", "Queue tickets called to a window", ["hall"])
WAITING_TIME = Histogram("kiosk_ticket_waiting_seconds", "From a ticket's issue to its call", ["hall"],
                         buckets=(60, 300, 600, 900, 1800, 3600, 7200))
RENDER_CACHE = Counter("kiosk_render_cache_lookups", "Rendered pictures looked up in the cache", ["result"])
SCHEDULER_JOBS = Counter("kiosk_scheduler_jobs", "Scheduler job runs by outcome (run, failed, late)",
                         ["job", "outcome"])
REQUEST_LATENCY = Histogram("kiosk_request_seconds", "HTTP request latency by route", ["route", "method"])

# Read from the database at each scrape (the same for every process): see collectors.py.
PRIVACY_CHECKS = "kiosk_privacy_checks"
ALERTS_OPEN = "kiosk_alerts_open"


def screen_connected(unit: str, kind: str) -> None:
    SCREENS_CONNECTED.labels(unit, kind).inc()


def screen_disconnected(unit: str, kind: str) -> None:
    SCREENS_CONNECTED.labels(unit, kind).dec()


def state_pushed(seconds_since_change: float) -> None:
    STATE_PUSHES.inc()
    CHANGE_TO_STATE.observe(seconds_since_change)


def ticket_issued(hall: str) -> None:
    TICKETS_ISSUED.labels(hall).inc()


def ticket_called(hall: str, waited_seconds: float) -> None:
    TICKETS_CALLED.labels(hall).inc()
    WAITING_TIME.labels(hall).observe(waited_seconds)


def render_cache_lookup(hit: bool) -> None:
    RENDER_CACHE.labels("hit" if hit else "miss").inc()


def job_finished(job: str, outcome: str) -> None:
    SCHEDULER_JOBS.labels(job, outcome).inc()


def request_served(route: str, method: str, seconds: float) -> None:
    REQUEST_LATENCY.labels(route, method).observe(seconds)
