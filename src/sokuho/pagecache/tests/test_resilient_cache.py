"""With Redis down, the cache misses instead of failing; on its return pages are purged."""

import time
import uuid

from conftest import port_open, require_service
from sokuho.pagecache.backends import ResilientRedisCache


def make_cache(url: str) -> ResilientRedisCache:
    return ResilientRedisCache(url, {"KEY_PREFIX": f"sokuho-test-{uuid.uuid4().hex}"})


def test_dead_redis_reads_miss_and_writes_are_dropped():
    cache = make_cache("redis://127.0.0.1:1/0")  # nothing listens on port 1
    assert cache.get("k", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    cache.set("k", "v")
    cache.set_many({"a": 1})
    assert cache.add("lock", "1") is True  # scheduler jobs still run on every node
    assert cache.in_outage


def test_recovery_purges_every_cached_page(monkeypatch):
    require_service(port_open("127.0.0.1", 6379), "Redis not reachable at 127.0.0.1:6379")
    cache = make_cache("redis://127.0.0.1:6379/14")
    purged = []
    monkeypatch.setattr("sokuho.pagecache.tags.purge", lambda *tags: purged.append(tags))
    cache._mark_outage(OSError("simulated outage"))
    assert cache.in_outage
    cache.set("k", "v")
    assert cache.get("k") == "v"
    assert not cache.in_outage
    assert purged == [("site", "listings")]
    cache.clear()


def test_hot_shared_values_are_read_from_memory_for_a_moment(settings):
    require_service(port_open("127.0.0.1", 6379), "Redis not reachable at 127.0.0.1:6379")
    settings.SOKUHO_NEAR_CACHE_SECONDS = 0.2
    here = make_cache("redis://127.0.0.1:6379/14")
    elsewhere = ResilientRedisCache("redis://127.0.0.1:6379/14", {"KEY_PREFIX": here.key_prefix})
    here.set("sokuho:nav:sections", ["国内"])
    here.set("other", "A")
    assert here.get("sokuho:nav:sections") == ["国内"]
    elsewhere.set("sokuho:nav:sections", ["国内", "国際"])
    elsewhere.set("other", "B")
    assert here.get("other") == "B"  # not a hot key: always from Redis
    assert here.get("sokuho:nav:sections") == ["国内"]  # another process's change, not yet
    here.set("sokuho:nav:sections", ["経済"])
    assert here.get("sokuho:nav:sections") == ["経済"]  # this process's own change: at once
    elsewhere.set("sokuho:nav:sections", ["国内", "国際"])
    time.sleep(0.25)
    assert here.get("sokuho:nav:sections") == ["国内", "国際"]  # and the other's, in time
    elsewhere.delete("sokuho:nav:sections")
    here.delete("sokuho:nav:sections")
    assert here.get("sokuho:nav:sections", "none") == "none"
    here.clear()


def test_a_missing_hot_value_is_remembered_as_missing_for_a_moment(settings, monkeypatch):
    """No ranking snapshot yet: pages must not ask Redis for it on every render."""
    require_service(port_open("127.0.0.1", 6379), "Redis not reachable at 127.0.0.1:6379")
    settings.SOKUHO_NEAR_CACHE_SECONDS = 0.2
    here = make_cache("redis://127.0.0.1:6379/14")
    elsewhere = ResilientRedisCache("redis://127.0.0.1:6379/14", {"KEY_PREFIX": here.key_prefix})
    asked = []
    original = ResilientRedisCache._call
    monkeypatch.setattr(
        ResilientRedisCache,
        "_call",
        lambda self, name, *args, **kwargs: (
            asked.append(name) if self is here else None,
            original(self, name, *args, **kwargs),
        )[1],
    )
    assert here.get("sokuho:rankings:snapshot") is None
    assert here.get("sokuho:rankings:snapshot", "none") == "none"
    assert asked == ["get"]  # the second read came from memory
    elsewhere.set("sokuho:rankings:snapshot", {"windows": []})
    time.sleep(0.25)
    assert here.get("sokuho:rankings:snapshot") == {"windows": []}  # seen in time
    here.delete("sokuho:rankings:snapshot")
    assert here.get("sokuho:rankings:snapshot", "none") == "none"  # its own delete at once
    here.clear()
