"""The 人気ランキング snapshot: computed by the refresh job, read by every page render.

``refresh`` (the scheduler runs it every ``REFRESH_SECONDS``, and after an article in
it is unpublished) writes the queued views, brings the store's windows to the current
hour, takes each window's top articles that may be promoted, and stores everything the
box shows in the cache under one key. Rendering the box is one cache get.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from sokuho.ja.width import cut_to_width
from sokuho.rankings import counting
from sokuho.rankings.conf import config, get_store
from sokuho.rankings.eligibility import rankable_articles

SNAPSHOT_KEY = "sokuho:rankings:snapshot"
#: Kept well past the refresh interval: a stalled job leaves a stale box, not none.
SNAPSHOT_SECONDS = 6 * 3600
TOP = 10
#: Candidates read per window, so that articles that may not be promoted can be skipped.
CANDIDATES = 50
#: Display columns for a headline in the box: two lines of a narrow sidebar.
HEADLINE_COLUMNS = 56


@dataclass(frozen=True)
class Window:
    key: str  # data-window attribute and element ids
    hours: int
    label: str


WINDOWS = (Window("24h", 24, "24時間"), Window("7d", 168, "週間"), Window("30d", 720, "月間"))


def refresh(now: float | None = None) -> dict[str, Any]:
    """Recompute the snapshot from the store and replace the cached one."""
    now = time.time() if now is None else now
    counting.flush()
    store = get_store()
    store.advance(int(now) // 3600)
    store.prune(int(now), config()["DEDUP_SECONDS"])
    by_hours = store.tops([window.hours for window in WINDOWS], CANDIDATES)
    tops = {window.key: by_hours[window.hours] for window in WINDOWS}
    ids = {page_id for top in tops.values() for page_id, _ in top}
    articles = {
        article.id: article
        for article in rankable_articles().filter(id__in=ids).select_related("section")
    }
    snapshot = {
        "generated_at": int(now),
        "windows": [
            {
                "key": window.key,
                "label": window.label,
                "items": [
                    _item(articles[page_id], views)
                    for page_id, views in tops[window.key]
                    if page_id in articles
                ][:TOP],
            }
            for window in WINDOWS
        ],
    }
    previous = current()
    cache.set(SNAPSHOT_KEY, snapshot, SNAPSHOT_SECONDS)
    _remember(snapshot)
    if _lists(previous) != _lists(snapshot):
        # Cached pages carry the box: a changed top 10 makes every one of them stale.
        from sokuho.pagecache.tags import SITE, purge

        purge(SITE)
    return snapshot


def _lists(snapshot: dict[str, Any] | None) -> list:
    if not snapshot:
        return []
    return [
        [(item["id"], item["title"], item["section"]) for item in window["items"]]
        for window in snapshot["windows"]
    ]


# The last snapshot this process saw: with the cache (Redis) down, the box still shows it.
_last_seen: dict[str, Any] | None = None


def _remember(snapshot: dict[str, Any] | None) -> None:
    global _last_seen
    if snapshot:
        _last_seen = snapshot


def _item(article, views: int) -> dict[str, Any]:
    title = article.labelled_title
    return {
        "id": article.id,
        "url": article.get_url(),
        "title": title,
        "short": cut_to_width(title, HEADLINE_COLUMNS),
        "section": article.section.title if article.section else "",
        "views": views,
    }


def current() -> dict[str, Any] | None:
    """The cached snapshot (one cache get), or None before the first refresh; the last one
    this process saw while the cache is unreachable."""
    snapshot = cache.get(SNAPSHOT_KEY)
    if snapshot is None:
        return _last_seen if getattr(cache, "in_outage", False) else None
    _remember(snapshot)
    return snapshot


def shown_ids() -> set[int]:
    snapshot = current()
    if not snapshot:
        return set()
    return {item["id"] for window in snapshot["windows"] for item in window["items"]}
