"""deploy/grafana/kiosk-dashboard.json loads as JSON and asks only for metrics the server exports."""
import json
import re
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

DASHBOARD = Path(__file__).parents[2] / "deploy" / "grafana" / "kiosk-dashboard.json"
SUFFIXES = ("_total", "_bucket", "_count", "_sum", "_created")


def test_every_metric_in_the_dashboard_is_exported(demo_app):
    exported = set()
    body = demo_app.test_client().get("/metrics").get_data(as_text=True)
    for family in text_string_to_metric_families(body):
        exported.add(family.name)
        exported |= {sample.name for sample in family.samples}
    from kiosk.metrics import registry   # families without a sample yet (no ticket issued) still count
    exported |= {metric._name for metric in vars(registry).values() if hasattr(metric, "_name")}
    dashboard = json.loads(DASHBOARD.read_text())
    asked = {name for panel in dashboard["panels"] for target in panel["targets"]
             for name in re.findall(r"\bkiosk_[a-z_]+", target["expr"])}
    assert len(asked) >= 10
    unknown = {name for name in asked if name not in exported and
               not any(name.endswith(s) and name.removesuffix(s) in exported for s in SUFFIXES)}
    assert not unknown, unknown
