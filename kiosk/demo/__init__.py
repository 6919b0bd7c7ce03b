"""The demo township 金家镇, built from the seed reports. See load_demo."""
from kiosk.demo.loader import load_demo

__all__ = ["load_demo"]
