"""Fast page lookup for readers.

Wagtail routes a URL by walking the tree one segment at a time (two queries a
segment) and checks view restrictions with another query. A news site serves
mostly article pages, so an article is found here by its `url_path` in one query
with everything its template needs, and the site and the view-restricted paths
come from the cache. Anything else goes through Wagtail's own routing.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import router
from django.db.models import DEFERRED, Exists, Model, OuterRef, QuerySet
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.urls import NoReverseMatch, get_script_prefix, reverse
from wagtail.coreutils import WAGTAIL_APPEND_SLASH
from wagtail.models import PageViewRestriction, Site

from sokuho.db.compiled import CompiledQueries

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


# The article's own rows shown on its page, each read only when the article has some
# (most articles have no corrections and no topic): whether it has is asked in the
# article's query.
RELATION_FLAGS = {
    "bylines": "has_byline_rows",
    "topics": "has_topic_rows",
    "corrections": "has_correction_rows",
}


# Wagtail's editing state of the article, which its page never shows (a test renders a
# full article and counts its queries: one of these read would be one more).
UNSHOWN_PAGE_FIELDS = [
    "numchild",
    "translation_key",
    "latest_revision",
    "has_unpublished_changes",
    "live_revision",
    "expired",
    "locked",
    "locked_at",
    "locked_by",
    "draft_title",
    "owner",
    "latest_revision_created_at",
    "alias_of",
    "show_in_menus",
]

# Of its section, an article page shows the name and the link (and the tree position
# Wagtail's page methods read): the rest of the section's row stays in the database.
SHOWN_SECTION_FIELDS = {"id", "page_ptr", "title", "slug", "url_path", "path", "depth"}


def _unshown_section_fields() -> list[str]:
    from sokuho.news.models import SectionPage

    return [
        f"section__{field.name}"
        for field in SectionPage._meta.concrete_fields
        if field.name not in SHOWN_SECTION_FIELDS
    ]


def _relation_rows() -> dict[str, QuerySet]:
    from sokuho.news.models import ArticleByline, ArticleCorrection, ArticlePage

    article = OuterRef("pk")
    return {
        RELATION_FLAGS["bylines"]: ArticleByline.objects.filter(page_id=article),
        RELATION_FLAGS["topics"]: ArticlePage.topics.through.objects.filter(articlepage_id=article),
        RELATION_FLAGS["corrections"]: ArticleCorrection.objects.filter(page_id=article),
    }


def _article_queries() -> dict[str, tuple[QuerySet, Any]]:
    """The article by URL path and, by its id, what its page shows of related rows (only
    the fields a byline, topic link or correction shows)."""
    from wagtail.images import get_image_model

    from sokuho.news.models import ArticleByline, ArticleCorrection, ArticlePage, TopicPage

    url_path, page_id = "\x00sokuho-url-path\x00", -20260205
    rendition_model = get_image_model().get_rendition_model()
    return {
        # No ORDER BY or LIMIT: url_path is unique among pages (and indexed, migration
        # news 0003).
        "article": (
            ArticlePage.objects.select_related(*ARTICLE_RELATIONS)
            .defer(*UNSHOWN_PAGE_FIELDS, *_unshown_section_fields())
            .annotate(**{name: Exists(rows) for name, rows in _relation_rows().items()})
            .filter(url_path=url_path, live=True)
            .order_by(),
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


ARTICLE_QUERIES = CompiledQueries(_article_queries)


def find_live_article(site: Site, path: str, request: HttpRequest | None = None):
    """The live article at this URL path, with bylines, topics and corrections, or None.

    Given the request, the pages loaded here (the article, its section, reporters and
    topics) look up the site's root paths for their URLs once, on the request, as
    Wagtail's ``page.get_url(request)`` does, instead of once each (``PageUrlMixin``)."""
    from sokuho.news.models import ArticlePage

    components = [component for component in path.split("/") if component]
    if len(components) != 2:
        return None
    url_path = f"{site.root_page.url_path}{'/'.join(components)}/"
    using = router.db_for_read(ArticlePage)
    found = ARTICLE_QUERIES.get("article", using).run(url_path, limit=2)
    if len(found) != 1:
        return None
    article = found[0]
    # modelcluster's in-memory relations (as on a preview): the page reads these lists,
    # not the database.
    article._cluster_related_objects = {
        name: ARTICLE_QUERIES.get(name, using).run(article.id) if getattr(article, flag) else []
        for name, flag in RELATION_FLAGS.items()
    }
    if image := article.lead_image:
        image.prefetched_renditions = ARTICLE_QUERIES.get("renditions", using).run(image.pk)
        for rendition in image.prefetched_renditions:
            rendition.image = image
    if request is not None:
        related = article._cluster_related_objects
        for page in (
            article,
            article.section,
            *(byline.author for byline in related["bylines"]),
            *related["topics"],
        ):
            if page is not None:
                page._url_cache_object = request
    return article


# -- page URLs --------------------------------------------------------------------------


# No per-request urlconf (request.urlconf) is set anywhere in sokuho, so a path's URL
# depends on the script prefix (and on ROOT_URLCONF, whose change clears this) only.
@lru_cache(maxsize=8192)
def _served_path(relative_path: str, script_prefix: str) -> str | None:
    try:
        return reverse("wagtail_serve", args=(relative_path,))
    except NoReverseMatch:
        return None


def _forget_served_paths(setting: str, **kwargs: Any) -> None:
    if setting in {"ROOT_URLCONF", "WAGTAIL_I18N_ENABLED", "FORCE_SCRIPT_NAME"}:
        _served_path.cache_clear()


setting_changed.connect(_forget_served_paths)


def _url_parts(url_path: str, possible_sites: tuple, script_prefix: str) -> tuple | None:
    """Wagtail's ``get_url_parts`` for one site, the reverse() remembered (above)."""
    if not possible_sites:
        return None
    site_id, root_path, root_url, _language = possible_sites[0]
    page_path = _served_path(url_path[len(root_path) :], script_prefix)
    if page_path is None:
        return (site_id, None, None)
    if not WAGTAIL_APPEND_SLASH and page_path != "/":
        page_path = page_path.rstrip("/")
    return (site_id, root_url, page_path)


def page_urls(url_paths: list[str]) -> list[str | None]:
    """The URLs ``Page.get_url()`` gives the pages at these url_paths, without loading the
    pages: for boxes that read a few columns of several pages."""
    all_sites = Site.get_site_root_paths()
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False) or len(all_sites) != 1:
        from wagtail.models import Page

        return [Page(url_path=url_path).get_url() for url_path in url_paths]
    # One site (the usual case): a page's URL is its path relative to the site's root.
    (site_root,) = all_sites
    script_prefix = get_script_prefix()
    urls: list[str | None] = []
    for url_path in url_paths:
        sites = (site_root,) if url_path.startswith(site_root.root_path) else ()
        parts = _url_parts(url_path, sites, script_prefix)
        urls.append(parts[2] if parts else None)
    return urls


class PageUrlMixin:
    """Wagtail's ``get_url_parts`` with the page's path under its site remembered.

    A page shows half a dozen page URLs (its own, its section's, its reporters', its
    topics'), and Wagtail resolves each one with ``reverse()`` again on every render. A
    path maps to the same URL for the life of the process, so the reverse is done once;
    sites are still looked up as Wagtail does. Pages on several sites, and translated
    sites, take Wagtail's own path.
    """

    def _get_site_root_paths(self, cache_object: Any = None) -> Any:
        # ``page.url`` in a template passes no request; a page loaded for one carries it.
        return super()._get_site_root_paths(  # type: ignore[misc]
            cache_object or self.__dict__.get("_url_cache_object")
        )

    def get_url_parts(self, request: HttpRequest | None = None) -> tuple | None:
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            return super().get_url_parts(request)  # type: ignore[misc]
        # A page's url, full_url and relative_url all start here, several times a render:
        # the parts are kept on the instance while its path and the script prefix stay
        # (as Wagtail keeps the site root paths on it).
        url_path, script_prefix = self.url_path, get_script_prefix()  # type: ignore[attr-defined]
        held = self.__dict__.get("_url_parts_held")
        if held is not None and held[0] == url_path and held[1] == script_prefix:
            return held[2]
        possible_sites = self._get_relevant_site_root_paths(request)  # type: ignore[attr-defined]
        if len({values[0] for values in possible_sites}) > 1:
            return super().get_url_parts(request)  # type: ignore[misc]
        parts = _url_parts(url_path, possible_sites, script_prefix)
        self.__dict__["_url_parts_held"] = (url_path, script_prefix, parts)
        return parts


class ReaderPageMixin(PageUrlMixin):
    """What every sokuho page type shares: remembered URLs (``PageUrlMixin``) and a
    cheaper load from the database.

    Loading a row runs the model's constructors. Wagtail's (AbstractPage,
    ShowInMenusMixin) act only on a page being created, one without an id, and
    modelcluster's only on child relations passed as arguments: a loaded row is neither,
    yet modelcluster lists the model's child relations each time (about 8 us a page, and
    a reader's page loads several). ``from_db`` here is Django's, building the instance
    with ``Model.__init__`` alone. A test checks those constructors are still the only
    ones, so an upgrade that adds one is noticed.
    """

    @classmethod
    def from_db(cls, db: str, field_names: list[str], values: Sequence[Any]) -> Any:
        concrete_fields = cls._meta.concrete_fields  # type: ignore[attr-defined]
        if len(values) != len(concrete_fields):
            given, loaded = iter(values), set(field_names)
            values = [
                next(given) if field.attname in loaded else DEFERRED for field in concrete_fields
            ]
        new = cls.__new__(cls)
        Model.__init__(new, *values)
        new._state.adding = False
        new._state.db = db
        return new
