"""``POST /pv/``: the view beacon an article page sends (``static/rankings/js/beacon.js``).

The body is ``{"page": <article id>}``. Answers:

* 204 — taken; also for what is silently not counted (bots, a missing User-Agent, a
  request not sent by the site's own pages), so a bot learns nothing;
* 400 — a body that is too big, not JSON, not an object, or whose id is not a positive
  integer; 404 — no live article has that id;
* 405 — not a POST; 429 — one address sent too many beacons this minute.

Nothing here touches the database on the common path: the live article ids are held
in memory (checked once against the database for an id not seen yet).
"""

from __future__ import annotations

import ipaddress
import json
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sokuho.rankings.conf import config
from sokuho.rankings.counting import count_view, rate_limit_source

#: A real beacon body is about 20 bytes.
MAX_BODY_BYTES = 256
#: Article ids are database integers (bigint): anything larger is not an id.
MAX_PAGE_ID = 2**63 - 1
CONTENT_TYPES = frozenset({"application/json", "text/plain"})


def _error(status: int, message: str) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def _no_content() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response


class LiveArticles:
    """Live article ids, in memory: reloaded every few minutes and changed by signals."""

    RELOAD_SECONDS = 300
    MISS_SECONDS = 60
    MAX_MISSES = 10_000

    def __init__(self) -> None:
        self._ids: set[int] = set()
        self._loaded = 0.0
        self._misses: dict[int, float] = {}
        self._lock = threading.Lock()

    def __contains__(self, page_id: int) -> bool:
        from sokuho.news.models import ArticlePage

        now = time.monotonic()
        if now - self._loaded > self.RELOAD_SECONDS:
            ids = set(ArticlePage.objects.live().values_list("id", flat=True))
            with self._lock:
                self._ids, self._loaded, self._misses = ids, now, {}
        if page_id in self._ids:
            return True
        missed = self._misses.get(page_id)
        if missed is not None and now - missed < self.MISS_SECONDS:
            return False
        # Published since the last load (perhaps by another worker)?
        if ArticlePage.objects.live().filter(id=page_id).exists():
            self.add(page_id)
            return True
        with self._lock:
            if len(self._misses) >= self.MAX_MISSES:
                self._misses.clear()
            self._misses[page_id] = now
        return False

    def add(self, page_id: int) -> None:
        with self._lock:
            self._ids.add(page_id)
            self._misses.pop(page_id, None)

    def discard(self, page_id: int) -> None:
        with self._lock:
            self._ids.discard(page_id)

    def forget(self) -> None:
        with self._lock:
            self._ids, self._loaded, self._misses = set(), 0.0, {}

    def replace(self, ids: set[int]) -> None:
        """Take these ids as the live articles until the next reload (benchmarks)."""
        with self._lock:
            self._ids, self._loaded, self._misses = set(ids), time.monotonic(), {}


live_articles = LiveArticles()


class RateLimiter:
    """Beacons per source and minute, in this process (fixed one-minute windows)."""

    MAX_SOURCES = 200_000

    def __init__(self) -> None:
        self._minute = 0
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def allow(self, source: str, limit: int) -> bool:
        minute = int(time.time() // 60)
        with self._lock:
            if minute != self._minute or len(self._counts) >= self.MAX_SOURCES:
                self._minute, self._counts = minute, {}
            count = self._counts.get(source, 0) + 1
            self._counts[source] = count
        return count <= limit

    def reset(self) -> None:
        with self._lock:
            self._counts = {}


rate_limiter = RateLimiter()


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the last address of CLIENT_IP_HEADER behind a trusted proxy."""
    header = config()["CLIENT_IP_HEADER"]
    if header:
        value = request.headers.get(header, "")
        candidate = value.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR", "")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def sent_by_our_pages(request: HttpRequest) -> bool:
    """Browsers mark a same-origin beacon with Sec-Fetch-Site and Origin; trust only those."""
    fetch_site = request.headers.get("Sec-Fetch-Site") or None
    if fetch_site is not None and fetch_site != "same-origin":
        return False
    origin = request.headers.get("Origin") or None
    if origin is None:
        # Every current browser sends Origin on a POST; Sec-Fetch-Site alone is enough.
        return fetch_site == "same-origin"
    allowed = {
        _origin(request.build_absolute_uri("/")),
        _origin(settings.SOKUHO_BASE_URL),
        *(_origin(url) for url in settings.CSRF_TRUSTED_ORIGINS),
    }
    return origin.lower() in allowed


def parse_page_id(body: bytes) -> int | None:
    """The article id of a beacon body, or None when the body is malformed."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # ValueError covers bad UTF-8 and bad JSON
        return None
    if not isinstance(data, dict):
        return None
    page_id = data.get("page")
    # bool is an int in Python; "1", 1.0 and 1e3 are not ids.
    if type(page_id) is not int or not 0 < page_id <= MAX_PAGE_ID:
        return None
    return page_id


@csrf_exempt  # no cookie, no session, nothing to forge: the Origin check stands instead
@never_cache
@require_POST
def page_view(request: HttpRequest) -> HttpResponse:
    ip = client_ip(request)
    if not rate_limiter.allow(rate_limit_source(ip), config()["RATE_LIMIT_PER_MINUTE"]):
        response = _error(429, "送信が多すぎます。しばらくしてからお試しください。")
        response["Retry-After"] = "60"
        return response
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return _error(400, "本文が大きすぎます。")
    if request.content_type not in CONTENT_TYPES:
        return _error(400, "本文は JSON で送ってください。")
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        return _error(400, "本文が大きすぎます。")
    page_id = parse_page_id(body)
    if page_id is None:
        return _error(400, '本文は {"page": 記事ID} の形にしてください。')
    if not sent_by_our_pages(request):
        return _no_content()
    user_agent = request.headers.get("User-Agent", "")
    if not user_agent:
        return _no_content()
    if page_id not in live_articles:
        return _error(404, "その記事はありません。")
    count_view(page_id, ip, user_agent)
    return _no_content()
