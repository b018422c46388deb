"""The search index's own table: one row per indexed article.

The words themselves live in backend-specific storage that migration 0002 creates: an
FTS5 table (``search_fts``) on SQLite, a ``vector tsvector`` column with a GIN index on
this table on PostgreSQL.
"""

from __future__ import annotations

from django.db import models


class SearchDocument(models.Model):
    # No database constraint: the index is derived data that the benchmark also fills
    # without pages, and sokuho.search.signals removes a deleted article's row itself.
    page = models.OneToOneField(
        "news.ArticlePage",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # Publication time and page id in one integer (sokuho.search.documents.sort_key):
    # "newest first" and date ranges are range scans on it, and it is the FTS5 rowid.
    sort_key = models.BigIntegerField(unique=True)

    class Meta:
        verbose_name = "検索インデックスの記事"
        verbose_name_plural = "検索インデックスの記事"

    def __str__(self) -> str:
        return f"article {self.page_id}"
