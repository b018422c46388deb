"""A Redis cache that degrades instead of failing: with Redis down, reads miss, writes are
dropped, and pages render from the database. When Redis answers again, every cached page
is purged once, because purges sent during the outage were lost.

Small shared values that every page reads (routing state, navigation, the ranking
snapshot, promos: ``SOKUHO_NEAR_CACHE_PREFIXES``) are also kept in process memory for
``SOKUHO_NEAR_CACHE_SECONDS`` (1 s), so a page render does not pay a Redis round trip and
an unpickling for each. A write or delete in this process updates that copy at once; a
change made by another process is seen within that time. Values read this way are shared
between threads and must be treated as read-only."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

_MISSING = object()


class SharedClientRedisCacheClient(RedisCacheClient):
    """One redis.Redis per connection pool. Django builds a new client for every cache
    call, and building one (it registers ~170 response callbacks) costs more than the
    round trip itself on loopback. A client is thread-safe: each command takes a
    connection from the pool."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = params.setdefault("OPTIONS", {})
        # A page must not wait for a dead Redis: fail fast, then retry on the next request.
        options.setdefault("socket_connect_timeout", 0.25)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
        self._near: dict[str, tuple[Any, float]] = {}
        self._outage_since: float | None = None
        self._last_log = 0.0
        self._lock = threading.Lock()

    @property
    def near_cache_seconds(self) -> float:
        """How long a value read here may be older than the shared cache's."""
        return settings.SOKUHO_NEAR_CACHE_SECONDS

    @property
    def in_outage(self) -> bool:
        return self._outage_since is not None

    def _call(self, name: str, default: Any, *args: Any, **kwargs: Any) -> Any:
        import redis

        try:
            result = getattr(super(), name)(*args, **kwargs)
        except (redis.RedisError, OSError) as error:
            self._mark_outage(error)
            return default
        if self._outage_since is not None:
            self._recover()
        return result

    def _mark_outage(self, error: Exception) -> None:
        with self._lock:
            if self._outage_since is None:
                self._outage_since = time.monotonic()
            if time.monotonic() - self._last_log > 10:
                self._last_log = time.monotonic()
                logger.warning("Redis cache unavailable, serving without it: %s", error)

    def _recover(self) -> None:
        with self._lock:
            if self._outage_since is None:
                return
            self._outage_since = None
        logger.warning("Redis cache is back: purging every cached page once")
        from sokuho.pagecache.tags import LISTINGS, SITE, purge

        purge(SITE, LISTINGS)

    def _near_key(self, key: str, version: int | None) -> str | None:
        if not key.startswith(settings.SOKUHO_NEAR_CACHE_PREFIXES):
            return None
        return f"{version}:{key}"

    def _near_forget(self, keys: Any, version: int | None) -> None:
        for key in keys:
            near_key = self._near_key(key, version)
            if near_key is not None:
                self._near.pop(near_key, None)

    def get(self, key, default=None, version=None):
        near_key = self._near_key(key, version)
        if near_key is not None:
            held = self._near.get(near_key)
            if held is not None and held[1] > time.monotonic():
                return default if held[0] is _MISSING else held[0]
        value = self._call("get", _MISSING, key, _MISSING, version)
        if near_key is not None:
            # A missing value too (no ranking snapshot yet): every page would ask again.
            self._near[near_key] = (value, time.monotonic() + self.near_cache_seconds)
        return default if value is _MISSING else value

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def set(self, key, value, timeout=_MISSING, version=None):
        self._near_forget([key], version)
        args = (key, value) if timeout is _MISSING else (key, value, timeout)
        return self._call("set", None, *args, version=version)

    def set_many(self, data, timeout=_MISSING, version=None):
        self._near_forget(data, version)
        args = (data,) if timeout is _MISSING else (data, timeout)
        return self._call("set_many", list(data), *args, version=version)

    def add(self, key, value, timeout=_MISSING, version=None):
        # Scheduler locks: without Redis each node runs its jobs (they are idempotent).
        args = (key, value) if timeout is _MISSING else (key, value, timeout)
        return self._call("add", True, *args, version=version)

    def delete(self, key, version=None):
        self._near_forget([key], version)
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        self._near_forget(keys, version)
        return self._call("delete_many", None, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", None, key, delta, version)

    def touch(self, key, timeout=_MISSING, version=None):
        args = (key,) if timeout is _MISSING else (key, timeout)
        return self._call("touch", False, *args, version=version)

    def clear(self):
        self._near.clear()
        return self._call("clear", None)
