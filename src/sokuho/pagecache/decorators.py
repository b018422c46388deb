from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse

from sokuho.pagecache.tags import add_tags


def cache_tagged(*tags: str) -> Callable:
    """Let the page cache keep a view's answer until one of these tags is purged."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            add_tags(request, *tags)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
