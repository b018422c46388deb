"""SQLite: an FTS5 table over pre-tokenised terms.

``search_fts(title, body, facets, pairs)`` (migration 0002) has the article's sort key as
its rowid, so "newest first" is FTS5's own rowid order and a date range is a rowid range:
no join, no sort. ``search_searchdocument`` maps page ids to their current key, to find
the row to replace or delete. Relevance is FTS5's bm25 with the headline weighted up.

``pairs`` holds one token per two adjacent terms of the title or body (``東京_都``).
Japanese words are mostly phrases of several terms (東京都 is 東京 + 都), and FTS5 checks
a phrase by merging the position lists of its terms: slow when they are as common as 市
or 都. A clause of several terms is matched by its pair tokens instead, a plain lookup
(the rule is in ``sokuho.search.query``). The underscore is made a token character for
this (``tokenchars '_'``); terms never contain one (they are letters, digits and marks
only), and single words are matched in ``{title body}`` only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise

from django.db import transaction

from sokuho.search.backends import BaseSearchBackend, Filters, batched
from sokuho.search.documents import Document, page_id_of
from sokuho.search.query import Clause, Query

FTS_TABLE = "search_fts"
DOCUMENT_TABLE = "search_searchdocument"
PAIR_JOINER = "_"
#: bm25 weights of the columns title, body, facets, pairs.
BM25_WEIGHTS = (4.0, 1.0, 0.0, 1.0)
_BATCH = 500


def pair_tokens(terms: Sequence[str]) -> list[str]:
    return [first + PAIR_JOINER + second for first, second in pairwise(terms)]


def _string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _clause(clause: Clause) -> str:
    terms = [term for term in clause.terms if term]
    if len(terms) == 1:
        return "{title body} : " + _string(terms[0])
    pairs = [f"pairs : {_string(pair)}" for pair in pair_tokens(terms)]
    return pairs[0] if len(pairs) == 1 else "(" + " AND ".join(pairs) + ")"


def _any(clauses: Iterable[Clause]) -> str:
    parts = [_clause(clause) for clause in clauses if any(clause.terms)]
    return "(" + " OR ".join(parts) + ")" if parts else ""


def match_expression(query: Query, filters: Filters) -> str:
    """The MATCH string: the query's words, AND each facet of the filters."""
    parts = [part for part in map(_any, query.groups) if part]
    parts += [f"facets : {_string(facet)}" for facet in filters.facets()]
    positive = " AND ".join(parts)
    excluded = _any(query.excluded)
    return f"({positive}) NOT {excluded}" if excluded else positive


class SQLiteSearchBackend(BaseSearchBackend):
    vendor = "sqlite"

    def index(self, documents: Sequence[Document]) -> None:
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            for batch in batched(documents, _BATCH):
                ids = [document.page_id for document in batch]
                cursor.execute(
                    f"SELECT sort_key FROM {DOCUMENT_TABLE} WHERE page_id IN "  # noqa: S608
                    f"({', '.join(['%s'] * len(ids))})",
                    ids,
                )
                stale = [row[0] for row in cursor.fetchall()]
                stale += [document.sort_key for document in batch]
                cursor.executemany(
                    f"DELETE FROM {FTS_TABLE} WHERE rowid = %s",  # noqa: S608
                    [(key,) for key in dict.fromkeys(stale)],
                )
                cursor.executemany(
                    f"INSERT INTO {FTS_TABLE} (rowid, title, body, facets, pairs) "  # noqa: S608
                    "VALUES (%s, %s, %s, %s, %s)",
                    [
                        (
                            d.sort_key,
                            d.title,
                            d.body,
                            " ".join(d.facets),
                            " ".join(pair_tokens(d.title.split()) + pair_tokens(d.body.split())),
                        )
                        for d in batch
                    ],
                )
                cursor.executemany(
                    f"INSERT INTO {DOCUMENT_TABLE} (page_id, sort_key) VALUES (%s, %s) "  # noqa: S608
                    "ON CONFLICT (page_id) DO UPDATE SET sort_key = excluded.sort_key",
                    [(d.page_id, d.sort_key) for d in batch],
                )

    def remove(self, page_ids: Iterable[int]) -> None:
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            for batch in batched(page_ids, _BATCH):
                placeholders = ", ".join(["%s"] * len(batch))
                cursor.execute(
                    f"DELETE FROM {FTS_TABLE} WHERE rowid IN "  # noqa: S608
                    f"(SELECT sort_key FROM {DOCUMENT_TABLE} WHERE page_id IN ({placeholders}))",
                    batch,
                )
                cursor.execute(
                    f"DELETE FROM {DOCUMENT_TABLE} WHERE page_id IN ({placeholders})",  # noqa: S608
                    batch,
                )

    def indexed_page_ids(self) -> set[int]:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT page_id FROM {DOCUMENT_TABLE}")  # noqa: S608
            return {row[0] for row in cursor.fetchall()}

    def prune(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN "  # noqa: S608
                f"(SELECT sort_key FROM {DOCUMENT_TABLE})"
            )

    def count(self, query: Query, filters: Filters) -> int:
        low, high = filters.key_range()
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608
                "AND rowid BETWEEN %s AND %s",
                [match_expression(query, filters), low, high],
            )
            return cursor.fetchone()[0]

    def newest(self, query: Query, filters: Filters, offset: int, limit: int) -> list[int]:
        low, high = filters.key_range()
        return self._page_ids(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608
            "AND rowid BETWEEN %s AND %s ORDER BY rowid DESC LIMIT %s OFFSET %s",
            [match_expression(query, filters), low, high, limit, offset],
        )

    def ranked(self, query: Query, filters: Filters, offset: int, limit: int) -> list[int]:
        low, high = filters.key_range()
        weights = ", ".join(map(str, BM25_WEIGHTS))
        return self._page_ids(
            f"SELECT rowid FROM (SELECT rowid, bm25({FTS_TABLE}, {weights}) AS score "  # noqa: S608
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid BETWEEN %s AND %s "
            "ORDER BY rowid DESC LIMIT %s) ORDER BY score, rowid DESC LIMIT %s OFFSET %s",
            [match_expression(query, filters), low, high, self.relevance_window, limit, offset],
        )

    def _page_ids(self, sql: str, params: list) -> list[int]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [page_id_of(row[0]) for row in cursor.fetchall()]
