"""Cache tags: every cached page carries the tags of what it shows; purging a tag makes
every page carrying it stale at once, here and (when configured) in Varnish/the CDN.

A tag's version lives in the shared cache. A cached page records the versions of its
tags when stored and is served only while they are unchanged, so a purge is one
cache write, however many pages carry the tag.
"""

from __future__ import annotations

import logging
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
    """Make every page carrying any of these tags stale, here and at the edge."""
    if not tags:
        return
    # A fresh timestamp-based version, not incr(): it needs no existing key and never
    # repeats a version an old cache entry could still hold.
    version = time.time_ns()
    cache.set_many({VERSION_PREFIX + tag: version for tag in tags}, timeout=None)
    from sokuho.pagecache.edge import purge_edge
    from sokuho.pagecache.store import note_purge

    note_purge()

    purge_edge(tags)
