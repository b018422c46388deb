"""Fast page lookup for readers.

Wagtail routes a URL by walking the tree one segment at a time (two queries a
segment) and checks view restrictions with another query. A news site serves
mostly article pages, so an article is found here by its `url_path` in one query
with everything its template needs, and the site and the view-restricted paths
come from the cache. Anything else goes through Wagtail's own routing.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.query import get_related_populators
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from wagtail.coreutils import WAGTAIL_APPEND_SLASH
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


class CompiledQuery:
    """A queryset compiled to SQL once; run again with a new value for one parameter.

    Compiling the article query (five joined models, some 300 columns) costs several
    times more than running it, and only the URL path changes between requests. Rows
    become models as Django's ModelIterable makes them, from the compiler's own column
    map. A compiled query belongs to one thread and connection (`compiled`).
    """

    def __init__(self, queryset: QuerySet, sentinel: Any) -> None:
        self.using = queryset.db
        self.compiler = queryset.query.get_compiler(using=self.using)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.slot = self.params.index(sentinel)
        select, klass_info = self.compiler.select, self.compiler.klass_info
        fields = klass_info["select_fields"]
        self.model_slice = slice(fields[0], fields[-1] + 1)
        self.init_list = [column[0].target.attname for column in select[self.model_slice]]
        self.model = klass_info["model"]
        self.populators = get_related_populators(klass_info, select, self.using)
        columns = [column[0] for column in select[: self.compiler.col_count]]
        self.converters = self.compiler.get_converters(columns)

    def run(self, value: Any, limit: int | None = None) -> list:
        params = list(self.params)
        params[self.slot] = value
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall() if limit is None else cursor.fetchmany(limit)
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        found = []
        for row in rows:
            instance = self.model.from_db(self.using, self.init_list, row[self.model_slice])
            for populator in self.populators:
                populator.populate(row, instance)
            found.append(instance)
        return found


def _article_queries() -> dict[str, tuple[QuerySet, Any]]:
    """The article by URL path and, by its id, what its page shows of related rows (only
    the fields a byline, topic link or correction shows)."""
    from wagtail.images import get_image_model

    from sokuho.news.models import ArticleByline, ArticleCorrection, ArticlePage, TopicPage

    url_path, page_id = "\x00sokuho-url-path\x00", -20260205
    rendition_model = get_image_model().get_rendition_model()
    return {
        # No ORDER BY or LIMIT to compile: url_path is unique among pages.
        "article": (
            ArticlePage.objects.select_related(*ARTICLE_RELATIONS).filter(
                url_path=url_path, live=True
            ),
            url_path,
        ),
        "bylines": (
            ArticleByline.objects.select_related("author")
            .only("sort_order", "page_id", "author__title", "author__url_path")
            .filter(page_id=page_id)
            .order_by("sort_order"),
            page_id,
        ),
        "topics": (
            TopicPage.objects.only("title", "url_path").filter(articlepage=page_id),
            page_id,
        ),
        "corrections": (
            ArticleCorrection.objects.filter(page_id=page_id).order_by("sort_order"),
            page_id,
        ),
        # Every rendition of the lead image: the page and its JSON-LD ask for several, and
        # Wagtail then takes them from this list instead of a cache round trip for each.
        "renditions": (rendition_model.objects.filter(image_id=page_id), page_id),
    }


_compiled = threading.local()


def compiled(name: str, using: str) -> CompiledQuery:
    """This thread's compiled query ``name``, compiled again for a new connection."""
    connection = connections[using]
    held = getattr(_compiled, "queries", None)
    if held is None or held[0] is not connection:
        queries = {
            key: CompiledQuery(queryset.using(using), sentinel)
            for key, (queryset, sentinel) in _article_queries().items()
        }
        held = _compiled.queries = (connection, queries)
    return held[1][name]


def find_live_article(site: Site, path: str):
    """The live article at this URL path, with bylines, topics and corrections, or None."""
    from sokuho.news.models import ArticlePage

    components = [component for component in path.split("/") if component]
    if len(components) != 2:
        return None
    url_path = f"{site.root_page.url_path}{'/'.join(components)}/"
    using = router.db_for_read(ArticlePage)
    found = compiled("article", using).run(url_path, limit=2)
    if len(found) != 1:
        return None
    article = found[0]
    # modelcluster's in-memory relations (as on a preview): the page reads these lists,
    # not the database.
    article._cluster_related_objects = {
        name: compiled(name, using).run(article.id) for name in ("bylines", "topics", "corrections")
    }
    if image := article.lead_image:
        image.prefetched_renditions = compiled("renditions", using).run(image.pk)
        for rendition in image.prefetched_renditions:
            rendition.image = image
    return article


# -- page URLs --------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _served_path(relative_path: str, script_prefix: str, urlconf: str | None) -> str | None:
    try:
        return reverse("wagtail_serve", args=(relative_path,), urlconf=urlconf)
    except NoReverseMatch:
        return None


def _forget_served_paths(setting: str, **kwargs: Any) -> None:
    if setting in {"ROOT_URLCONF", "WAGTAIL_I18N_ENABLED", "FORCE_SCRIPT_NAME"}:
        _served_path.cache_clear()


setting_changed.connect(_forget_served_paths)


class PageUrlMixin:
    """Wagtail's ``get_url_parts`` with the page's path under its site remembered.

    A page shows half a dozen page URLs (its own, its section's, its reporters', its
    topics'), and Wagtail resolves each one with ``reverse()`` again on every render. A
    path maps to the same URL for the life of the process, so the reverse is done once;
    sites are still looked up as Wagtail does. Pages on several sites, and translated
    sites, take Wagtail's own path.
    """

    def get_url_parts(self, request: HttpRequest | None = None) -> tuple | None:
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            return super().get_url_parts(request)  # type: ignore[misc]
        possible_sites = self._get_relevant_site_root_paths(request)  # type: ignore[attr-defined]
        if not possible_sites:
            return None
        if len({values[0] for values in possible_sites}) > 1:
            return super().get_url_parts(request)  # type: ignore[misc]
        site_id, root_path, root_url, _language = possible_sites[0]
        page_path = _served_path(
            self.url_path[len(root_path) :],  # type: ignore[attr-defined]
            get_script_prefix(),
            get_urlconf(),
        )
        if page_path is None:
            return (site_id, None, None)
        if not WAGTAIL_APPEND_SLASH and page_path != "/":
            page_path = page_path.rstrip("/")
        return (site_id, root_url, page_path)
