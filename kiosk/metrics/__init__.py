"""Prometheus metrics: `registry.py` holds them and the functions features record with; GET
/metrics answers in the Prometheus text format, to the addresses in KIOSK_METRICS_ALLOW or to the
bearer of KIOSK_METRICS_TOKEN. Several processes on a host: see registry.py (PROMETHEUS_MULTIPROC_DIR)."""
import hmac
import ipaddress
import os
import time

from flask import Blueprint, Response, abort, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess
from prometheus_client import REGISTRY

from kiosk.metrics.collectors import DatabaseCollector
from kiosk.metrics.registry import request_served

metrics_bp = Blueprint("metrics", __name__)


def may_read(app) -> bool:
    token = app.config["KIOSK_METRICS_TOKEN"]
    offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and offered and hmac.compare_digest(offered.encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in app.config["KIOSK_METRICS_ALLOW"])


def scrape_registry(app) -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_ProcessMetrics())
    registry.register(DatabaseCollector(app))
    return registry


class _ProcessMetrics:
    """This process's own metrics (the default registry), beside the database ones."""

    def collect(self):
        return REGISTRY.collect()


@metrics_bp.get("/metrics")
def metrics():
    app = current_app._get_current_object()
    if not may_read(app):
        abort(403)
    return Response(generate_latest(scrape_registry(app)), content_type=CONTENT_TYPE_LATEST)


def _start_timer():
    g.metrics_started = time.perf_counter()


def _record_latency(response):
    started = g.pop("metrics_started", None)
    if started is not None:
        route = request.url_rule.rule if request.url_rule else "(unmatched)"
        request_served(route, request.method, time.perf_counter() - started)
    return response


def register(app):
    app.register_blueprint(metrics_bp)
    app.before_request(_start_timer)
    app.after_request(_record_latency)
