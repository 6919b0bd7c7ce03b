"""Running the `kiosk` command from a test: its own instance folder, none of the developer's KIOSK_
settings, and the test's clock. A subprocess given KIOSK_CLOCK_START runs on from where the test's
clock is when it starts (PINNED_NOW and on, in the suite), so no server or command a test starts
reads the machine's date; a restarted server starts later than the first, as a real one would."""
import os
import sys

from kiosk.core import clock

KIOSK = [sys.executable, "-m", "kiosk"]


def kiosk_env(instance, **settings) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("KIOSK_")}
    env["KIOSK_DATA_KEY"] = os.environ["KIOSK_DATA_KEY"]  # the suite's one key: its databases are copied around
    return {**env, "KIOSK_INSTANCE_PATH": str(instance), "KIOSK_CLOCK_START": clock.now().isoformat(),
            **settings}
