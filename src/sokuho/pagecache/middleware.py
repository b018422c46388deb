"""Full-page cache for anonymous readers, with tag-exact invalidation and 304 answers.

A page is cached when the view tagged it (`sokuho.pagecache.tags.add_tags`), the reader
is anonymous (no session cookie), the answer is a plain 200 that sets no cookie. This
middleware sits outermost, so a stored page carries the headers every other middleware
added (security headers included), and a hit is served before any of them run. In the
app server, `sokuho.pagecache.wsgi` serves hits before Django itself; this middleware
stores what Django rendered and answers hits wherever that front is not in place.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags

from sokuho.pagecache.store import (
    LOOKED_UP,
    CachedPage,
    entry_key,
    is_cacheable_read,
    lookup,
    save,
    stored_headers,
)
from sokuho.pagecache.tags import current_versions


def edge_headers(response: HttpResponse, tags: set[str], etag: str) -> None:
    response["ETag"] = etag
    response["Cache-Control"] = (
        f"public, max-age=0, must-revalidate, s-maxage={settings.SOKUHO_PAGE_CACHE_EDGE_SECONDS}, "
        f"stale-while-revalidate={settings.SOKUHO_PAGE_CACHE_STALE_SECONDS}"
    )
    keys = " ".join(sorted(tags))
    response["Surrogate-Key"] = keys  # Fastly-style CDNs
    response["xkey"] = keys  # Varnish xkey


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_cacheable_read(request.META):
            return self.get_response(request)
        key = entry_key(request.META)
        page = None if request.META.get(LOOKED_UP) else lookup(key)
        if page is not None:
            return self.hit(request, page)
        started = time.time_ns()
        response = self.get_response(request)
        self.store(request, response, key, started)
        return response

    def hit(self, request: HttpRequest, page: CachedPage) -> HttpResponse:
        status, headers, body = page.answer(request.META)
        response = HttpResponse(body, status=status)
        if status == 304:
            del response["Content-Type"]
        for name, value in headers:
            response[name] = value
        return response

    def store(self, request: HttpRequest, response: HttpResponse, key: str, started: int) -> None:
        tags = getattr(request, "cache_tags", None)
        if not tags:
            return
        response["X-Cache"] = "MISS"
        if (
            response.status_code != 200
            or response.streaming
            or response.cookies
            or "private" in response.get("Cache-Control", "")
        ):
            return
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        versions = current_versions(tags)
        if any(version > started for version in versions.values()):
            return  # purged while this page was rendering: it may show the old state
        etag = '"' + hashlib.blake2b(response.content, digest_size=16).hexdigest() + '"'
        edge_headers(response, tags, etag)
        patch_vary_headers(response, ("Cookie",))
        page = CachedPage(
            content=response.content,
            headers=stored_headers(response.items()),
            etag=etag,
            versions=versions,
            stored=time.time(),
        )
        save(key, page)
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            response.status_code = 304
            response.content = b""
