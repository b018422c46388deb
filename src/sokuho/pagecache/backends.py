"""A Redis cache that degrades instead of failing: with Redis down, reads miss, writes are
dropped, and pages render from the database. When Redis answers again, every cached page
is purged once, because purges sent during the outage were lost."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

_MISSING = object()


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = params.setdefault("OPTIONS", {})
        # A page must not wait for a dead Redis: fail fast, then retry on the next request.
        options.setdefault("socket_connect_timeout", 0.25)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)
        self._outage_since: float | None = None
        self._last_log = 0.0
        self._lock = threading.Lock()

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

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def set(self, key, value, timeout=_MISSING, version=None):
        args = (key, value) if timeout is _MISSING else (key, value, timeout)
        return self._call("set", None, *args, version=version)

    def set_many(self, data, timeout=_MISSING, version=None):
        args = (data,) if timeout is _MISSING else (data, timeout)
        return self._call("set_many", list(data), *args, version=version)

    def add(self, key, value, timeout=_MISSING, version=None):
        # Scheduler locks: without Redis each node runs its jobs (they are idempotent).
        args = (key, value) if timeout is _MISSING else (key, value, timeout)
        return self._call("add", True, *args, version=version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", None, key, delta, version)

    def touch(self, key, timeout=_MISSING, version=None):
        args = (key,) if timeout is _MISSING else (key, timeout)
        return self._call("touch", False, *args, version=version)

    def clear(self):
        return self._call("clear", None)
