"""The event bus: how a change reaches screens, boards and staff pages.

One interface, `EventBus.publish(event, payload, rooms)`. Subscribers are Socket.IO clients
joined to rooms (`screen:<id>`, `group:<id>`, `hall:<id>`, `ticket:<id>`, ...).

- `InProcessBus`: the default single box; emits straight to the clients of this process.
- `RedisBus`: when KIOSK_REDIS_URL is set; emits through the Socket.IO Redis message queue,
  so every server process delivers to its own clients. Processes that serve no clients
  (the `kiosk scheduler`) use it write-only.
"""
from kiosk.events.bus import EventBus, InProcessBus, RedisBus, after_commit, before_publish, bus_for, publish

__all__ = ["EventBus", "InProcessBus", "RedisBus", "after_commit", "before_publish", "bus_for", "publish", "register"]


def register(app):
    """Nothing to add: the staff namespace's handlers in sockets.py are imported by create_app."""
