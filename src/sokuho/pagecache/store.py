"""Cached pages: what is stored, under which key, and when a stored page may be served.

A page is stored whole — body, final headers, ETag — with the versions its tags had
(`sokuho.pagecache.tags`); it is served while those versions are unchanged. Two layers:

- the shared cache (Redis, or local memory without ``REDIS_URL``) holds every entry, so
  every node and worker serves what one of them rendered;
- each process keeps its most-read entries in memory as well and re-checks their tag
  versions at most every ``SOKUHO_PAGE_CACHE_LOCAL_SECONDS`` (0.1 s by default), and at
  once after a purge in the same process. A hot article then costs no Redis round trip
  per request, and a purge elsewhere reaches this process within that interval.

The request side works on a WSGI environ (``request.META`` in Django), so the middleware
and the WSGI front (`sokuho.pagecache.wsgi`) share one definition of a cacheable read.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.http import parse_etags

from sokuho.pagecache.tags import current_versions

# v2: entries hold their final headers (older entries, without them, are never read)
ENTRY_PREFIX = "sokuho:page2:"
# Set in the WSGI environ by the front when it found nothing: Django need not look again.
LOOKED_UP = "sokuho.pagecache.looked_up"
# Never stored with an entry: computed per answer, or specific to one response.
PER_ANSWER_HEADERS = frozenset({"age", "x-cache", "content-length", "set-cookie", "date"})
# Sent with a 304 (RFC 9110 15.4.5); the body's own headers are left out.
NOT_MODIFIED_HEADERS = frozenset(
    {"cache-control", "etag", "expires", "vary", "surrogate-key", "xkey", "content-location"}
)


@dataclass(frozen=True, slots=True)
class CachedPage:
    content: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str
    versions: dict[str, int]
    stored: float

    def answer(self, meta: Mapping[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
        """Status, headers and body for this request: 200, or 304 when the reader's
        copy is current; no body for HEAD."""
        if self.etag in parse_etags(meta.get("HTTP_IF_NONE_MATCH", "")):
            headers = [(k, v) for k, v in self.headers if k.lower() in NOT_MODIFIED_HEADERS]
            status, body = 304, b""
        else:
            headers = [*self.headers, ("Content-Length", str(len(self.content)))]
            status, body = 200, self.content
        headers += [("Age", str(max(0, int(time.time() - self.stored)))), ("X-Cache", "HIT")]
        return status, headers, b"" if meta.get("REQUEST_METHOD") == "HEAD" else body

    def as_entry(self) -> dict[str, Any]:
        return {
            "content": self.content,
            "headers": self.headers,
            "etag": self.etag,
            "versions": self.versions,
            "stored": self.stored,
        }


def entry_key(meta: Mapping[str, Any]) -> str:
    host = meta.get("HTTP_HOST") or f"{meta.get('SERVER_NAME', '')}:{meta.get('SERVER_PORT', '')}"
    raw = f"{host}\n{meta.get('PATH_INFO', '')}\n{meta.get('QUERY_STRING', '')}"
    return ENTRY_PREFIX + hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


def is_cacheable_read(meta: Mapping[str, Any]) -> bool:
    """An anonymous GET or HEAD of a page (not a static file, upload or the admin) that
    needs no redirect to https first."""
    if not settings.SOKUHO_PAGE_CACHE or meta.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return False
    path = meta.get("PATH_INFO", "")
    if path.startswith(settings.SOKUHO_PAGE_CACHE_SKIP_PREFIXES):
        return False
    if settings.SECURE_SSL_REDIRECT and not _is_secure(meta):
        return False
    cookies = meta.get("HTTP_COOKIE", "")
    # Most readers send no session cookie at all: only parse when the name appears.
    if settings.SESSION_COOKIE_NAME in cookies:
        try:
            return settings.SESSION_COOKIE_NAME not in SimpleCookie(cookies)
        except Exception:  # a malformed Cookie header: let Django decide, uncached
            return False
    return True


def _is_secure(meta: Mapping[str, Any]) -> bool:
    if meta.get("wsgi.url_scheme") == "https":
        return True
    proxy_header = settings.SECURE_PROXY_SSL_HEADER
    return bool(proxy_header) and meta.get(proxy_header[0], "") == proxy_header[1]


# --- the per-process layer ---------------------------------------------------------------
_local: OrderedDict[str, tuple[CachedPage, float, int]] = OrderedDict()
_local_lock = threading.Lock()
_generation = 0  # bumped by every purge in this process


def note_purge() -> None:
    """A purge in this process: every in-memory entry is re-checked before its next use."""
    global _generation
    _generation += 1


def forget_local() -> None:
    with _local_lock:
        _local.clear()


def lookup(key: str) -> CachedPage | None:
    """The stored page for this key if every one of its tags is unchanged, else None."""
    now = time.monotonic()
    generation = _generation
    held = _local.get(key)
    if held is not None:
        page, checked, held_generation = held
        fresh = now - checked < settings.SOKUHO_PAGE_CACHE_LOCAL_SECONDS
        if fresh and held_generation == generation:
            return page
        if current_versions(page.versions) == page.versions:
            _remember(key, page, now, generation)
            return page
    entry = cache.get(key)
    if not isinstance(entry, dict) or current_versions(entry["versions"]) != entry["versions"]:
        with _local_lock:
            _local.pop(key, None)
        return None
    page = CachedPage(**entry)
    _remember(key, page, now, generation)
    return page


def save(key: str, page: CachedPage) -> None:
    cache.set(key, page.as_entry(), settings.SOKUHO_PAGE_CACHE_SECONDS)
    _remember(key, page, time.monotonic(), _generation)


def _remember(key: str, page: CachedPage, checked: float, generation: int) -> None:
    if settings.SOKUHO_PAGE_CACHE_LOCAL_SECONDS <= 0:
        return
    with _local_lock:
        _local[key] = (page, checked, generation)
        _local.move_to_end(key)
        while len(_local) > settings.SOKUHO_PAGE_CACHE_LOCAL_ENTRIES:
            _local.popitem(last=False)


def stored_headers(items: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((name, value) for name, value in items if name.lower() not in PER_ANSWER_HEADERS)
