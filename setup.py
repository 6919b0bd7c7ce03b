"""Only what pyproject.toml cannot say: the browser files, schedules and assets at the top of the
repository travel inside the installed package as kiosk/display, kiosk/schedules and kiosk/assets."""
from setuptools import find_packages, setup

DATA_DIRS = {"kiosk.display": "display", "kiosk.assets": "assets", "kiosk.schedules": "schedules"}

setup(
    packages=find_packages(include=["kiosk", "kiosk.*"]) + list(DATA_DIRS),
    package_dir=DATA_DIRS,
)
