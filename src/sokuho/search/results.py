"""Running a search: hit count, one page of hits as articles with marked-up snippets."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.utils.safestring import SafeString

from sokuho.search.backends import Filters, Order, get_search_backend
from sokuho.search.documents import html_to_text
from sokuho.search.query import Query
from sokuho.search.snippets import highlight, snippet


@dataclass(frozen=True, slots=True)
class Hit:
    article: object  # a live ArticlePage, section loaded
    title_html: SafeString
    snippet_html: SafeString


class SearchResults:
    """The hits of a query, lazily: ``count()`` and slices, as Django's Paginator wants.

    A page of hits is fetched as live articles in one query; an id the index still holds
    but that is no longer live is dropped from the page.
    """

    def __init__(self, query: Query, filters: Filters | None = None, order: Order = Order.NEWEST):
        self.query = query
        self.filters = filters or Filters()
        self.order = order
        self.backend = get_search_backend()  # one instance: it may reuse the count

    @cached_property
    def _count(self) -> int:
        if self.query.is_empty:
            return 0
        return self.backend.count(self.query, self.filters)

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, item: slice) -> list[Hit]:
        if not isinstance(item, slice) or item.step not in (None, 1):
            raise TypeError("SearchResults only supports slices")
        start = item.start or 0
        stop = self._count if item.stop is None else item.stop
        if self.query.is_empty or stop <= start:
            return []
        ids = self.backend.search(self.query, self.filters, self.order, start, stop - start)
        return self._hits(ids)

    def _hits(self, ids: list[int]) -> list[Hit]:
        from sokuho.news.listings import published_articles

        articles = {a.pk: a for a in published_articles().filter(pk__in=ids)}
        hits = []
        for page_id in ids:
            article = articles.get(page_id)
            if article is None:
                continue
            paragraphs = [article.summary, *html_to_text(article.body).split("\n")]
            hits.append(
                Hit(
                    article=article,
                    title_html=highlight(article.title, self.query, phrase_breaks=True),
                    snippet_html=snippet(paragraphs, self.query),
                )
            )
        return hits
