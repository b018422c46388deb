"""Cache tags: every cached page carries the tags of what it shows; purging a tag makes
every page carrying it stale at once, here and (when configured) in Varnish/the CDN.

A tag's version lives in the shared cache. A cached page records the versions of its
tags when stored and is served only while they are unchanged, so a purge is one
cache write, however many pages carry the tag.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable

from django.core.cache import cache
from django.http import HttpRequest

logger = logging.getLogger(__name__)

VERSION_PREFIX = "sokuho:tagv:"
SITE = "site"  # the layout every page shares: navigation, ranking box, promos
LISTINGS = "listings"  # home, section, topic, author and breaking lists, feeds, sitemaps


def page_tag(page_id: int) -> str:
    return f"page:{page_id}"


def add_tags(request: HttpRequest, *tags: str) -> None:
    """Record what a response shows; the page cache stores it under these tags."""
    if not hasattr(request, "cache_tags"):
        request.cache_tags = set()
    request.cache_tags.update(tags)


def current_versions(tags: Iterable[str]) -> dict[str, int]:
    tags = sorted(set(tags))
    found = cache.get_many([VERSION_PREFIX + tag for tag in tags])
    return {tag: found.get(VERSION_PREFIX + tag, 0) for tag in tags}


def purge(*tags: str) -> None:
    """Make every page carrying any of these tags stale, here and at the edge.

    With the Redis cache, another process may still hold the data these pages show in its
    near cache (``pagecache.backends``) for up to SOKUHO_NEAR_CACHE_SECONDS: a page it
    renders in that time shows the old data (a killed article in its ranking box) and
    would be stored as current. So the same tags are purged once more after that time.
    """
    if not tags:
        return
    _bump(tags)
    delay = getattr(cache, "near_cache_seconds", 0)
    if delay:
        _repurge.schedule(tags, delay)


def _bump(tags: Iterable[str]) -> None:
    tags = tuple(tags)
    # A fresh timestamp-based version, not incr(): it needs no existing key and never
    # repeats a version an old cache entry could still hold.
    version = time.time_ns()
    cache.set_many({VERSION_PREFIX + tag: version for tag in tags}, timeout=None)
    from sokuho.pagecache.edge import purge_edge
    from sokuho.pagecache.store import note_purge

    note_purge()

    purge_edge(tags)


class _Repurge:
    """Tags to purge again when the near caches have let go of the old data: one daemon
    thread per process, however many purges a publishing burst makes."""

    def __init__(self) -> None:
        self._due: dict[str, float] = {}
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None

    def schedule(self, tags: Iterable[str], delay: float) -> None:
        # A little past the near cache's lifetime, so its last reads have expired.
        due = time.monotonic() + delay + 0.05
        with self._condition:
            for tag in tags:
                self._due[tag] = max(self._due.get(tag, 0.0), due)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="sokuho-repurge", daemon=True
                )
                self._thread.start()
            self._condition.notify()

    def _run(self) -> None:
        while True:
            with self._condition:
                while not self._due:
                    self._condition.wait()
                now = time.monotonic()
                ready = [tag for tag, due in self._due.items() if due <= now]
                if not ready:
                    self._condition.wait(min(self._due.values()) - now)
                    continue
                for tag in ready:
                    del self._due[tag]
            try:
                _bump(ready)
            except Exception:  # the next purge of these tags will do; keep the thread
                logger.exception("Repeated purge of %s failed", ", ".join(ready))


_repurge = _Repurge()
