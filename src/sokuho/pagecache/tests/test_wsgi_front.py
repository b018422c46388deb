"""The WSGI front answers cached pages before Django runs, with the same headers Django
sent, and never serves a page whose tags were purged."""

import time
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from sokuho.news.tests import factories
from sokuho.pagecache import store
from sokuho.pagecache.tags import VERSION_PREFIX, page_tag, purge
from sokuho.pagecache.wsgi import CachedPageApplication

pytestmark = pytest.mark.django_db


class Answer:
    def __init__(self, application, path: str, **environ: str) -> None:
        environ = {"PATH_INFO": path, "HTTP_HOST": "localhost", **environ}
        setup_testing_defaults(environ)
        self.status = ""
        self.headers: dict[str, str] = {}

        def start_response(status, headers, exc_info=None):
            self.status = status
            self.headers = dict(headers)

        # As Django's test client does: the request must not close the test transaction.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = application(environ, start_response)
            self.body = b"".join(result)
            if hasattr(result, "close"):
                result.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


class DjangoCalls:
    """The Django application behind the front, counting the requests that reach it."""

    def __init__(self) -> None:
        from sokuho.wsgi import application

        self.inner = application.application
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.inner(environ, start_response)


@pytest.fixture
def front():
    django = DjangoCalls()
    application = CachedPageApplication(django)
    application.django = django
    return application


def test_a_hit_never_reaches_django_and_keeps_every_header(front):
    page = factories.article(title="フロントで返る記事")
    first = Answer(front, page.url)
    assert first.status == "200 OK" and first.headers["X-Cache"] == "MISS"
    second = Answer(front, page.url)
    assert front.django.calls == 1
    assert second.status == "200 OK" and second.headers["X-Cache"] == "HIT"
    assert second.body == first.body
    assert int(second.headers["Content-Length"]) == len(second.body)
    for name in (
        "Content-Type",
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "ETag",
        "Cache-Control",
        "Surrogate-Key",
        "Vary",
    ):
        assert second.headers[name] == first.headers[name], name
    assert "Set-Cookie" not in second.headers


def test_conditional_and_head_requests(front):
    page = factories.article()
    etag = Answer(front, page.url).headers["ETag"]
    not_modified = Answer(front, page.url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status == "304 Not Modified" and not_modified.body == b""
    assert not_modified.headers["ETag"] == etag and "Content-Type" not in not_modified.headers
    head = Answer(front, page.url, REQUEST_METHOD="HEAD")
    assert head.status == "200 OK" and head.body == b"" and int(head.headers["Content-Length"]) > 0
    assert front.django.calls == 1


def test_signed_in_readers_posts_and_static_files_go_to_django(front):
    page = factories.article()
    Answer(front, page.url)
    signed_in = Answer(front, page.url, HTTP_COOKIE="theme=dark; sessionid=abc")
    assert signed_in.headers.get("X-Cache") != "HIT"
    other_cookie = Answer(front, page.url, HTTP_COOKIE="theme=dark; xsessionid_hint=1")
    assert other_cookie.headers["X-Cache"] == "HIT"
    Answer(front, page.url, REQUEST_METHOD="POST")
    Answer(front, "/static/sokuho/site.css")
    assert front.django.calls == 4


def test_a_purge_in_this_process_is_seen_at_once(front):
    page = factories.article(title="取り消される記事")
    Answer(front, page.url)
    assert Answer(front, page.url).headers["X-Cache"] == "HIT"
    page.unpublish()
    assert Answer(front, page.url).status.startswith("404")


@pytest.mark.parametrize(
    ("local_seconds", "wait"),
    [(0.2, 0.25), (0, 0)],  # within the local interval; and with the local layer off
    ids=["within-the-local-interval", "without-the-local-layer"],
)
def test_a_purge_elsewhere_is_seen(front, settings, local_seconds, wait):
    settings.SOKUHO_PAGE_CACHE_LOCAL_SECONDS = local_seconds
    page = factories.article()
    Answer(front, page.url)
    assert Answer(front, page.url).headers["X-Cache"] == "HIT"
    # Another node purges: only the shared cache changes, this process is not told.
    cache.set(VERSION_PREFIX + page_tag(page.id), time.time_ns(), None)
    time.sleep(wait)
    assert Answer(front, page.url).headers["X-Cache"] == "MISS"


def test_a_miss_is_looked_up_once(front, monkeypatch):
    page = factories.article()
    calls = []
    monkeypatch.setattr(store, "lookup", lambda key: calls.append(key))
    monkeypatch.setattr("sokuho.pagecache.wsgi.lookup", store.lookup)
    monkeypatch.setattr("sokuho.pagecache.middleware.lookup", store.lookup)
    assert Answer(front, page.url).headers["X-Cache"] == "MISS"
    assert len(calls) == 1  # by the front; Django's middleware did not look again


def test_the_local_layer_is_bounded(front, settings):
    settings.SOKUHO_PAGE_CACHE_LOCAL_ENTRIES = 3
    pages = [factories.article(title=f"記事{n}") for n in range(5)]
    for page in pages:
        Answer(front, page.url)
    assert len(store._local) == 3
    purge("unrelated")  # a purge elsewhere in this process: entries are re-checked, still valid
    assert all(Answer(front, page.url).headers["X-Cache"] == "HIT" for page in pages)
