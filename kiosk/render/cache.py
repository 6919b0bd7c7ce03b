"""Rendered pictures kept in memory, keyed by a digest of everything they show.

A key changes whenever the picture would (the slide's data, the day for days left, the minute for
the clock, the size, the mode, the font), so nothing is ever invalidated by hand: a changed
notice simply asks for a new key, and the old picture ages out of the least-recently-used end.
The same key is the ETag of the image endpoints.
"""
import hashlib
import json
import threading
from collections import OrderedDict

from kiosk.metrics.registry import render_cache_lookup

RENDER_VERSION = "1"   # bump when the drawing changes, so cached pictures are not reused


def content_key(*parts) -> str:
    text = json.dumps([RENDER_VERSION, *parts], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class ByteCache:
    """A thread-safe LRU of byte strings, bounded by their total size."""

    def __init__(self, limit_bytes: int):
        self.limit = limit_bytes
        self.entries: OrderedDict[str, object] = OrderedDict()
        self.sizes: dict[str, int] = {}
        self.total = 0
        self.lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: str):
        with self.lock:
            value = self.entries.get(key)
            if value is None:
                self.misses += 1
            else:
                self.entries.move_to_end(key)
                self.hits += 1
        render_cache_lookup(value is not None)
        return value

    def put(self, key: str, value, size: int) -> None:
        if size > self.limit:
            return
        with self.lock:
            if key in self.entries:
                self.total -= self.sizes[key]
            self.entries[key], self.sizes[key] = value, size
            self.entries.move_to_end(key)
            self.total += size
            while self.total > self.limit:
                old, _value = self.entries.popitem(last=False)
                self.total -= self.sizes.pop(old)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.sizes.clear()
            self.total = 0
