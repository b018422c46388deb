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


# What the article template shows beside the article itself, fetched in the same query.
ARTICLE_RELATIONS = ["section", "provider", "lead_image", "sponsor", "branded_series"]


def find_live_article(site: Site, path: str):
    """The live article at this URL path, with bylines, topics and corrections, or None."""
    from sokuho.news.models import ArticleByline, ArticlePage, TopicPage

    components = [component for component in path.split("/") if component]
    if len(components) != 2:
        return None
    url_path = f"{site.root_page.url_path}{'/'.join(components)}/"
    try:
        # get(), not first(): no ORDER BY to compile on the hottest query of the site.
        return (
            ArticlePage.objects.select_related(*ARTICLE_RELATIONS)
            .prefetch_related(
                # Only what a byline or topic link shows: half the cost of whole pages.
                Prefetch(
                    "bylines",
                    queryset=ArticleByline.objects.select_related("author").only(
                        "sort_order", "page_id", "author__title", "author__url_path"
                    ),
                ),
                Prefetch("topics", queryset=TopicPage.objects.only("title", "url_path")),
                "corrections",
            )
            .get(url_path=url_path, live=True)
        )
    except ArticlePage.DoesNotExist:
        return None
