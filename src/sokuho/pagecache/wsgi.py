"""The WSGI front of the page cache: a cached page is answered here, before Django builds
a request or runs a middleware, so a hit costs a dictionary lookup and (at most every
`SOKUHO_PAGE_CACHE_LOCAL_SECONDS`) one check of its tag versions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from sokuho.pagecache.store import LOOKED_UP, entry_key, is_cacheable_read, lookup

StartResponse = Callable[..., Any]
WSGIApplication = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

STATUS_LINES = {status: f"{status} {HTTPStatus(status).phrase}" for status in (200, 304)}


class CachedPageApplication:
    def __init__(self, application: WSGIApplication) -> None:
        self.application = application

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if is_cacheable_read(environ):
            page = lookup(entry_key(environ))
            if page is not None:
                status, headers, body = page.answer(environ)
                start_response(STATUS_LINES[status], headers)
                return [body]
            environ[LOOKED_UP] = True
        return self.application(environ, start_response)
