"""Search backends: one interface, a SQLite FTS5 and a PostgreSQL implementation.

Chosen like Wagtail's frontend_cache backends: ``settings.SOKUHO_SEARCH = {"BACKEND":
"dotted.path.Class", …}`` (settings.py picks it from DATABASE_URL's engine), loaded with
``import_string``. The other keys of the dict are passed to the backend as ``params``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from itertools import islice
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.utils.module_loading import import_string

from sokuho.search.documents import (
    Document,
    author_facet,
    key_range,
    provider_facet,
    section_facet,
)
from sokuho.search.query import Query

__all__ = [
    "RELEVANCE_WINDOW",
    "BaseSearchBackend",
    "Filters",
    "Order",
    "batched",
    "get_search_backend",
]

#: How many of the newest hits relevance order ranks (see BaseSearchBackend.search).
RELEVANCE_WINDOW = 1000


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Lists of up to ``size`` items (itertools.batched arrives in Python 3.12)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class Order(StrEnum):
    NEWEST = "newest"
    RELEVANCE = "relevance"


@dataclass(frozen=True, slots=True)
class Filters:
    """Restrictions on a search, by primary key; ``since <= published < until``."""

    section_id: int | None = None
    provider_id: int | None = None
    author_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None

    def facets(self) -> list[str]:
        facets = []
        if self.section_id is not None:
            facets.append(section_facet(self.section_id))
        if self.provider_id is not None:
            facets.append(provider_facet(self.provider_id))
        if self.author_id is not None:
            facets.append(author_facet(self.author_id))
        return facets

    def key_range(self) -> tuple[int, int]:
        return key_range(self.since, self.until)


class BaseSearchBackend:
    """What every backend does. Queries are never empty here (``Query.is_empty`` is the
    caller's business); every method runs on the configured database connection."""

    #: Django's ``connection.vendor`` this backend works with.
    vendor = ""
    #: How many of the newest hits relevance order ranks.
    relevance_window = RELEVANCE_WINDOW

    def __init__(self, params: dict[str, Any]) -> None:
        alias = params.get("DATABASE", "default")
        if alias not in connections:
            raise ImproperlyConfigured(
                f"SOKUHO_SEARCH['DATABASE'] is {alias!r}, which is not in DATABASES."
            )
        self.connection = connections[alias]
        if self.connection.vendor != self.vendor:
            raise ImproperlyConfigured(
                f"{type(self).__name__} needs a {self.vendor} database, but DATABASES[{alias!r}]"
                f" is {self.connection.vendor}. Leave SOKUHO_SEARCH to settings.py, which "
                "picks the backend from DATABASE_URL."
            )

    def index(self, documents: Sequence[Document]) -> None:
        """Add or replace these articles' entries."""
        raise NotImplementedError

    def remove(self, page_ids: Iterable[int]) -> None:
        """Drop these articles from the index (unknown ids are ignored)."""
        raise NotImplementedError

    def indexed_page_ids(self) -> set[int]:
        raise NotImplementedError

    def count(self, query: Query, filters: Filters) -> int:
        raise NotImplementedError

    def search(
        self, query: Query, filters: Filters, order: Order, offset: int, limit: int
    ) -> list[int]:
        """Page ids of one page of hits, in order.

        By relevance, the newest ``relevance_window`` hits are ranked and the older ones follow,
        newest first: ranking every hit of a word in half the archive would cost a score
        for each, and for news the recent hits are the ones readers look for.
        """
        if order != Order.RELEVANCE or offset >= self.relevance_window:
            return self.newest(query, filters, offset, limit)
        ranked = self.ranked(query, filters, offset, min(limit, self.relevance_window - offset))
        if len(ranked) < limit and offset + len(ranked) == self.relevance_window:
            ranked += self.newest(query, filters, self.relevance_window, limit - len(ranked))
        return ranked

    def newest(self, query: Query, filters: Filters, offset: int, limit: int) -> list[int]:
        """Hits, newest first."""
        raise NotImplementedError

    def ranked(self, query: Query, filters: Filters, offset: int, limit: int) -> list[int]:
        """The newest ``relevance_window`` hits, most relevant first."""
        raise NotImplementedError

    def prune(self) -> None:
        """Drop storage rows no document row accounts for (after a test-database flush)."""


def get_search_backend() -> BaseSearchBackend:
    """The backend ``settings.SOKUHO_SEARCH`` names; ImproperlyConfigured when it is wrong."""
    config = getattr(settings, "SOKUHO_SEARCH", None)
    if not isinstance(config, dict) or not isinstance(config.get("BACKEND"), str):
        raise ImproperlyConfigured(
            'SOKUHO_SEARCH must be a dict with a "BACKEND" dotted path, e.g. '
            '{"BACKEND": "sokuho.search.backends.sqlite.SQLiteSearchBackend"}.'
        )
    try:
        backend_class = import_string(config["BACKEND"])
    except ImportError as error:
        raise ImproperlyConfigured(
            f"SOKUHO_SEARCH['BACKEND'] {config['BACKEND']!r} cannot be imported: {error}"
        ) from error
    if not (isinstance(backend_class, type) and issubclass(backend_class, BaseSearchBackend)):
        raise ImproperlyConfigured(
            f"SOKUHO_SEARCH['BACKEND'] {config['BACKEND']!r} is not a search backend class."
        )
    params = {key: value for key, value in config.items() if key != "BACKEND"}
    return backend_class(params)
