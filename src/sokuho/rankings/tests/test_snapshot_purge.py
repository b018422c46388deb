"""A changed top 10 purges the cached pages that show the box; an unchanged one does not."""

import pytest
from django.core.cache import cache

from sokuho.rankings import snapshot

pytestmark = pytest.mark.django_db


def test_refresh_purges_cached_pages_only_when_the_lists_change(monkeypatch):
    purged = []
    monkeypatch.setattr("sokuho.pagecache.tags.purge", lambda *tags: purged.append(tags))
    old_item = {
        "id": 999,
        "url": "/x/",
        "title": "昨日の記事",
        "short": "昨日の記事",
        "section": "日本",
        "views": 5,
    }
    cache.set(
        snapshot.SNAPSHOT_KEY,
        {"generated_at": 0, "windows": [{"key": "24h", "label": "24時間", "items": [old_item]}]},
    )
    snapshot.refresh()
    assert purged == [("site",)]
    snapshot.refresh()
    assert purged == [("site",)]  # same (empty) lists: cached pages stay


def test_box_shows_the_last_snapshot_while_the_cache_is_down(monkeypatch):
    shown = snapshot.refresh()
    assert snapshot.current() == shown
    cache.delete(snapshot.SNAPSHOT_KEY)
    assert snapshot.current() is None  # a cache that answers: nothing cached is nothing
    monkeypatch.setattr(type(cache._connections["default"]), "in_outage", True, raising=False)
    assert snapshot.current() == shown
