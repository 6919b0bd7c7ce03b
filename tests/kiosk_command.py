"""Running the `kiosk` command from a test: its own instance folder, none of the developer's KIOSK_
settings, and the test's clock. A subprocess given KIOSK_CLOCK_START runs on from where the test's
clock is when it starts (PINNED_NOW and on, in the suite), so no server or command a test starts
reads the machine's date; a restarted server starts later than the first, as a real one would."""
import os
import sys

from kiosk.core import clock

KIOSK = [sys.executable, "-m", "kiosk"]


# The test deployment's audit key, shared by every app and command of the suite as a county's servers
# share theirs (tests of the key file unset it).
os.environ.setdefault("KIOSK_AUDIT_KEY", "test-audit-key-" + "0" * 48)


def kiosk_env(instance, **settings) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("KIOSK_") or name in ("KIOSK_AUDIT_KEY", "KIOSK_DATA_KEY")}
    return {**env, "KIOSK_INSTANCE_PATH": str(instance), "KIOSK_CLOCK_START": clock.now().isoformat(),
            **settings}
