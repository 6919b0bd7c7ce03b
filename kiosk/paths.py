"""Where the browser-side files live: beside the package in a checkout, inside it once installed."""
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    checkout = PACKAGE_DIR.parent / name
    return checkout if checkout.is_dir() else PACKAGE_DIR / name


DISPLAY_DIR = _data_dir("display")
ASSETS_DIR = _data_dir("assets")
SCHEDULES_DIR = _data_dir("schedules")
