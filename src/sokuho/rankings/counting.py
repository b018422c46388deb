"""The counting path: from a reader's beacon to a counted view in the store.

``count_view`` drops bots, turns (IP, User-Agent, article) into a de-duplication key
and queues the view; queued views reach the store in batches (one transaction or one
Redis script per batch), at the latest ``FLUSH_SECONDS`` after they arrived, so a
beacon answers at once and the store sees few, large writes.

Privacy: the visitor key is a keyed hash (BLAKE2b) of IP and User-Agent under a random
salt made for each JST day and kept only in the cache, for a day; neither the IP, the
User-Agent nor the visitor key is stored — only a 64-bit hash of visitor key and
article, for the 30 minutes de-duplication needs. Once a day's salt is gone, nobody
(including us) can link its hashes to an address.
"""

from __future__ import annotations

import atexit
import hashlib
import ipaddress
import logging
import os
import threading
import time

from django.core.cache import cache

from sokuho.rankings.backends.base import View
from sokuho.rankings.bots import is_bot
from sokuho.rankings.conf import config, get_store

logger = logging.getLogger(__name__)

SALT_CACHE_KEY = "sokuho:rankings:salt:"
#: A day and an hour: a salt outlives its day only by what a late beacon needs.
SALT_SECONDS = 25 * 3600
#: Views kept waiting when the store is unreachable; beyond this the oldest are dropped.
MAX_PENDING = 100_000

#: Salts are re-read from the cache this often, so workers agree again after a cache loss.
SALT_RECHECK_SECONDS = 60.0

_salts: dict[int, tuple[bytes, float]] = {}
_salts_lock = threading.Lock()


def _jst_day(at: float) -> int:
    """Days since the epoch in JST (UTC+9 all year: Japan has no daylight saving time)."""
    return (int(at) + 9 * 3600) // 86400


def daily_salt(at: float) -> bytes:
    """The secret salt of the JST day of ``at``: random, shared by workers via the cache."""
    day = _jst_day(at)
    memo = _salts.get(day)
    now = time.monotonic()
    if memo is not None and now - memo[1] < SALT_RECHECK_SECONDS:
        return memo[0]
    with _salts_lock:
        key = f"{SALT_CACHE_KEY}{day}"
        # The first worker's salt wins; a worker that still knows a lost one puts it back.
        cache.add(key, memo[0] if memo else os.urandom(32), SALT_SECONDS)
        salt = cache.get(key) or (memo[0] if memo else os.urandom(32))
        if len(_salts) > 3:  # yesterday's salt is no longer needed here
            _salts.clear()
        _salts[day] = (salt, now)
    return salt


def visitor_key(ip: str, user_agent: str, salt: bytes) -> bytes:
    """Keyed hash of IP and User-Agent: the same reader today, nobody tomorrow."""
    data = f"{ip}\n{user_agent}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, key=salt, digest_size=16).digest()


def dedup_key(visitor: bytes, page_id: int) -> int:
    """Signed 64-bit hash of (visitor key, article): the store's de-duplication key."""
    digest = hashlib.blake2b(visitor + page_id.to_bytes(8, "big"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def rate_limit_source(ip: str) -> str:
    """What the rate limit counts by: the address, or its /64 for IPv6 (one household)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return ip


class Recorder:
    """Queued views of this process, written to the store in batches."""

    def __init__(self) -> None:
        self._pending: list[View] = []
        self._oldest = 0.0
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self.dropped = 0

    def add(self, view: View) -> None:
        settings = config()
        with self._lock:
            if not self._pending:
                self._oldest = time.monotonic()
            self._pending.append(view)
            if len(self._pending) > MAX_PENDING:
                del self._pending[: len(self._pending) - MAX_PENDING]
                self.dropped += 1
            due = (
                len(self._pending) >= settings["BATCH_SIZE"]
                or time.monotonic() - self._oldest >= settings["FLUSH_SECONDS"]
            )
        if due and self._flush_lock.acquire(blocking=False):
            try:
                self._write()
            finally:
                self._flush_lock.release()

    def flush(self) -> int:
        """Write every queued view now; returns how many counted."""
        with self._flush_lock:
            return self._write()

    def _write(self) -> int:
        with self._lock:
            batch, self._pending = self._pending, []
        if not batch:
            return 0
        try:
            return get_store().record(batch, config()["DEDUP_SECONDS"])
        except Exception:
            # A store outage loses these views, never a reader's page or the server.
            logger.exception("Could not record %d views in the ranking store", len(batch))
            return 0

    def pending(self) -> int:
        return len(self._pending)

    def discard(self) -> None:
        """Drop queued views unwritten (tests)."""
        with self._lock:
            self._pending = []


recorder = Recorder()
atexit.register(recorder.flush)


def count_view(page_id: int, ip: str, user_agent: str, at: float | None = None) -> bool:
    """Queue one view of an article; False when the User-Agent is a bot or missing.

    ``page_id`` must already be known to be a live article (the beacon view checks).
    Repeats are dropped later, in the store, by the de-duplication key.
    """
    if not user_agent or is_bot(user_agent):
        return False
    when = time.time() if at is None else at
    key = dedup_key(visitor_key(ip, user_agent, daily_salt(when)), page_id)
    recorder.add(View(key, page_id, int(when)))
    return True


def flush() -> int:
    """Write queued views to the store (the scheduler calls this every few seconds)."""
    return recorder.flush()
