"""Fast page lookup for readers.

Wagtail routes a URL by walking the tree one segment at a time (two queries a
segment) and checks view restrictions with another query. A news site serves
mostly article pages, so an article is found here by its `url_path` in one query
with everything its template needs, and the site and the view-restricted paths
come from the cache. Anything else goes through Wagtail's own routing.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Prefetch
from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import PageViewRestriction, Site

ROUTING_CACHE_KEY = "sokuho:routing"
ROUTING_CACHE_SECONDS = 300


def _state() -> dict:
    state = cache.get(ROUTING_CACHE_KEY)
    if state is None:
        state = {
            "sites": {},
            "restricted_paths": tuple(
                PageViewRestriction.objects.values_list("page__path", flat=True)
            ),
        }
        cache.set(ROUTING_CACHE_KEY, state, ROUTING_CACHE_SECONDS)
    return state


def forget() -> None:
    cache.delete(ROUTING_CACHE_KEY)


def find_site(request: HttpRequest) -> Site | None:
    """Site.find_for_request, remembered per host and port."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    state = _state()
    key = (split_domain_port(request._get_raw_host())[0], request.get_port())
    site = state["sites"].get(key)
    if site is None:
        site = Site._find_for_request(request)
        if site is not None:
            site.root_page  # noqa: B018 -- load it once, keep it with the cached site
            state["sites"][key] = site
            cache.set(ROUTING_CACHE_KEY, state, ROUTING_CACHE_SECONDS)
    request._wagtail_site = site
    return site


def is_restricted(page_path: str) -> bool:
    return any(page_path.startswith(path) for path in _state()["restricted_paths"])


def find_live_article(site: Site, path: str):
    """The live article at this URL path, with bylines, topics and corrections, or None."""
    from sokuho.news.models import ArticleByline, ArticlePage

    components = [component for component in path.split("/") if component]
    if len(components) != 2:
        return None
    url_path = f"{site.root_page.url_path}{'/'.join(components)}/"
    return (
        ArticlePage.objects.live()
        .select_related("section", "provider", "lead_image")
        .prefetch_related(
            Prefetch("bylines", queryset=ArticleByline.objects.select_related("author")),
            "topics",
            "corrections",
        )
        .filter(url_path=url_path)
        .first()
    )
