"""On PYTHONPATH only in `make test AT=...` runs, so every Python process of the run loads it.

Debian bookworm's libfaketime 0.9.10 mistranslates clock_nanosleep() with an absolute monotonic
deadline when FAKETIME_DONT_FAKE_MONOTONIC=1 (wolfcw/libfaketime#426), which Python 3.11's
time.sleep() uses: it fails with EINVAL. Sleep with select()'s relative timeout instead."""
import os
import select
import time

if "faketime" in os.environ.get("LD_PRELOAD", ""):
    def _sleep(seconds: float) -> None:
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        select.select([], [], [], seconds)

    time.sleep = _sleep
