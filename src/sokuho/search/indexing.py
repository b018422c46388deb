"""Keeping the index in step with what readers can see.

An article is indexed while it is live, is not an alias, and no view restriction covers
it; anything else is removed. The signal handlers (``sokuho.search.signals``) call
:func:`update_articles` at once, inside the publishing transaction, so the index changes
exactly when the page does; :func:`rebuild` repairs everything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Prefetch, QuerySet
from wagtail.models import PageViewRestriction

from sokuho.search.backends import get_search_backend
from sokuho.search.documents import build_document

REBUILD_BATCH = 200


def _articles() -> QuerySet:
    from sokuho.news.models import ArticleByline, ArticlePage

    return ArticlePage.objects.prefetch_related(
        Prefetch("bylines", queryset=ArticleByline.objects.select_related("author")),
        "topics",
    )


def _restricted_paths() -> tuple[str, ...]:
    return tuple(PageViewRestriction.objects.values_list("page__path", flat=True))


def _visible(page, restricted: tuple[str, ...]) -> bool:
    return (
        page.live
        and page.alias_of_id is None
        and not any(page.path.startswith(path) for path in restricted)
    )


def update_articles(page_ids: Iterable[int]) -> set[int]:
    """Index these articles as they now are in the database, or drop them (returned)."""
    ids = set(page_ids)
    if not ids:
        return set()
    restricted = _restricted_paths()
    pages = [page for page in _articles().filter(pk__in=ids) if _visible(page, restricted)]
    backend = get_search_backend()
    backend.index([build_document(page) for page in pages])
    removed = ids - {page.pk for page in pages}
    backend.remove(removed)
    return removed


def remove_articles(page_ids: Iterable[int]) -> None:
    get_search_backend().remove(list(page_ids))


def articles_under(page) -> list[int]:
    """Ids of the articles in a page's subtree (the page itself included)."""
    from sokuho.news.models import ArticlePage

    return list(ArticlePage.objects.filter(path__startswith=page.path).values_list("pk", flat=True))


def index_missing() -> int:
    """Index the live articles the index lacks (after a migration emptied it); how many.

    Restricted articles and aliases are live but never indexed: they are checked again
    (a few queries) and not counted.
    """
    from sokuho.news.models import ArticlePage

    live = set(ArticlePage.objects.live().values_list("pk", flat=True))
    missing = sorted(live - get_search_backend().indexed_page_ids())
    added = 0
    for start in range(0, len(missing), REBUILD_BATCH):
        batch = missing[start : start + REBUILD_BATCH]
        added += len(batch) - len(update_articles(batch))
    return added


def rebuild(progress: Callable[[int, int], None] | None = None) -> tuple[int, int]:
    """Index every visible article, then drop entries of anything else.

    Batches commit one by one and nothing is cleared first, so searches keep working
    during a rebuild. Returns (indexed, removed); ``progress(done, total)`` after each batch.
    """
    from sokuho.news.models import ArticlePage

    backend = get_search_backend()
    ids = list(ArticlePage.objects.live().order_by("pk").values_list("pk", flat=True))
    restricted = _restricted_paths()
    indexed: set[int] = set()
    if progress:
        progress(0, len(ids))
    for start in range(0, len(ids), REBUILD_BATCH):
        batch = ids[start : start + REBUILD_BATCH]
        pages = [p for p in _articles().filter(pk__in=batch) if _visible(p, restricted)]
        backend.index([build_document(page) for page in pages])
        indexed.update(page.pk for page in pages)
        if progress:
            progress(min(start + REBUILD_BATCH, len(ids)), len(ids))
    # Checked again, not just dropped: an article published during the rebuild is indexed
    # by its signal but missing from ``ids``.
    removed = update_articles(backend.indexed_page_ids() - indexed)
    return len(indexed), len(removed)
