"""Full-page cache for anonymous readers, with tag-exact invalidation and 304 answers.

A page is cached when the view tagged it (`sokuho.pagecache.tags.add_tags`), the reader
is anonymous (no session cookie), the answer is a plain 200 that sets no cookie. A hit
is served before sessions, authentication or routing run.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags

from sokuho.pagecache.tags import current_versions

ENTRY_PREFIX = "sokuho:page:"


def cache_key(request: HttpRequest) -> str:
    raw = f"{request.get_host()}{request.get_full_path()}"
    return ENTRY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def is_anonymous_read(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES


def edge_headers(response: HttpResponse, tags: set[str], etag: str) -> None:
    response["ETag"] = etag
    response["Cache-Control"] = (
        f"public, max-age=0, must-revalidate, s-maxage={settings.SOKUHO_PAGE_CACHE_EDGE_SECONDS}, "
        f"stale-while-revalidate={settings.SOKUHO_PAGE_CACHE_STALE_SECONDS}"
    )
    keys = " ".join(sorted(tags))
    response["Surrogate-Key"] = keys  # Fastly-style CDNs
    response["xkey"] = keys  # Varnish xkey


def not_modified(request: HttpRequest, etag: str) -> bool:
    return etag in parse_etags(request.headers.get("If-None-Match", ""))


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.SOKUHO_PAGE_CACHE or not is_anonymous_read(request):
            return self.get_response(request)
        key = cache_key(request)
        hit = self.from_cache(request, key)
        if hit is not None:
            return hit
        started = time.time_ns()
        response = self.get_response(request)
        self.store(request, response, key, started)
        return response

    def from_cache(self, request: HttpRequest, key: str) -> HttpResponse | None:
        entry = cache.get(key)
        if entry is None or current_versions(entry["versions"]) != entry["versions"]:
            return None
        tags = set(entry["versions"])
        if not_modified(request, entry["etag"]):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(entry["content"], content_type=entry["content_type"])
        edge_headers(response, tags, entry["etag"])
        patch_vary_headers(response, ("Cookie",))
        response["Age"] = str(int(time.time() - entry["stored"]))
        response["X-Cache"] = "HIT"
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
        cache.set(
            key,
            {
                "content": response.content,
                "content_type": response["Content-Type"],
                "etag": etag,
                "versions": versions,
                "stored": time.time(),
            },
            settings.SOKUHO_PAGE_CACHE_SECONDS,
        )
        edge_headers(response, tags, etag)
        patch_vary_headers(response, ("Cookie",))
        if not_modified(request, etag):
            response.status_code = 304
            response.content = b""
