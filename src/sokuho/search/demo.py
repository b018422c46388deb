"""Demo data for search: the demo's articles, indexed with their real dates."""

from __future__ import annotations

from sokuho.search.indexing import rebuild


def index_demo_articles() -> None:
    """Publishing indexed every demo article, but the loader then back-dates them with a
    QuerySet.update(), which sends no signal: index them again with their real dates."""
    rebuild()
