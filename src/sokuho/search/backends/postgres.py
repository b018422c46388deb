"""PostgreSQL: a ``tsvector`` column with a GIN index, 'simple' configuration over
pre-tokenised terms.

``search_searchdocument.vector`` (migration 0002) holds:

* ``to_tsvector('simple', title)`` with weight A, then ``to_tsvector('simple', body)``:
  the words, read by the same parser as the queries (``to_tsquery('simple', …)``);
* pair lexemes ``'東京 都'``, one for each two adjacent terms. Japanese words are mostly
  phrases of several terms, and checking a phrase needs the positions kept in the
  (TOASTed) vector, so PostgreSQL would read the vector of every article holding all the
  phrase's terms — most of the archive for 東京都 or 青葉市. A clause of several terms is
  matched by its pair lexemes instead, which the GIN index answers alone (the same rule
  as the SQLite backend: see ``sokuho.search.query``). A pair lexeme has a space in it,
  which the parser never produces, so no query word can reach one; they go in as
  literals;
* facet lexemes ``§s12`` ``§a3`` ``§p1`` for the filters, literals as well.

"Newest first" and date ranges use the b-tree on ``sort_key`` when hits are many, the GIN
index and a sort when they are few (decided by the exact hit count, see ``_order``).
Relevance is ``ts_rank`` over ``lead``, a small vector of the headline (weight A) and the
first LEAD_TERMS terms of the text with their pairs: news puts the essentials first, and
ranking the full vectors would mean de-TOASTing each one.
Sequential scans are switched off for search queries: the planner does not know that
testing each row means de-TOASTing its vector, and picks them for very common words. The
table keeps both vectors out of line (``toast_tuple_target = 128``), so the rows the GIN
index points at are about 80 bytes each: counting 60,000 hits reads a few hundred pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise

from django.db import transaction

from sokuho.search.backends import BaseSearchBackend, Filters, batched
from sokuho.search.documents import Document
from sokuho.search.query import Clause, Query

DOCUMENT_TABLE = "search_searchdocument"
FACET_MARK = "§"
#: PostgreSQL refuses lexemes of 2 KiB or more; longer pairs are not indexed (or asked for).
MAX_PAIR_BYTES = 1024
_BATCH = 500
#: Rows the newest-first index walk may be expected to test (see _order).
MAX_ROWS_WALKED = 500

#: Leading body terms kept in ``lead`` for ranking (about the first 150 characters).
LEAD_TERMS = 60

_VECTOR = (
    "setweight(to_tsvector('simple', %s), 'A') || to_tsvector('simple', %s)"
    " || array_to_tsvector(%s::text[])"
)


def pair_lexemes(terms: Sequence[str]) -> list[str]:
    return [
        pair
        for pair in (f"{first} {second}" for first, second in pairwise(terms))
        if len(pair.encode()) <= MAX_PAIR_BYTES
    ]


def document_lexemes(document: Document) -> list[str]:
    """The literal lexemes of a document: its term pairs and its facets."""
    pairs = pair_lexemes(document.title.split()) + pair_lexemes(document.body.split())
    facets = [FACET_MARK + facet for facet in document.facets]
    return list(dict.fromkeys(pairs + facets))


def lead_values(document: Document) -> tuple[str, str, list[str]]:
    """Title, leading body terms and their pairs: the parameters of ``lead``'s _VECTOR."""
    title, lead = document.title.split(), document.body.split()[:LEAD_TERMS]
    pairs = list(dict.fromkeys(pair_lexemes(title) + pair_lexemes(lead)))
    return document.title, " ".join(lead), pairs


def _literal(lexeme: str) -> str:
    """A lexeme in tsquery input syntax."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _clause(clause: Clause) -> tuple[str, list[str]]:
    """SQL for one clause: a single term through the parser; a word of several terms as
    its pair lexemes (see the module docstring), literals."""
    terms = [term for term in clause.terms if term]
    pairs = pair_lexemes(terms)
    if len(terms) == 1 or not pairs:
        return "to_tsquery('simple', %s)", [" <-> ".join(_literal(term) for term in terms)]
    return "%s::tsquery", [" & ".join(_literal(pair) for pair in pairs)]


def _any(clauses: Iterable[Clause]) -> tuple[str, list[str]] | None:
    parts, params = [], []
    for clause in clauses:
        if any(clause.terms):
            sql, clause_params = _clause(clause)
            parts.append(sql)
            params += clause_params
    return ("(" + " || ".join(parts) + ")", params) if parts else None


def tsquery_sql(query: Query, filters: Filters) -> tuple[str, list[str]]:
    """A tsquery-valued SQL expression for the query and the filters' facets."""
    parts, params = [], []
    for group in query.groups:
        if compiled := _any(group):
            parts.append(compiled[0])
            params += compiled[1]
    if compiled := _any(query.excluded):
        parts.append(f"!!{compiled[0]}")
        params += compiled[1]
    facets = filters.facets()
    if facets:
        parts.append("%s::tsquery")
        params.append(" & ".join(_literal(FACET_MARK + facet) for facet in facets))
    return "(" + " && ".join(parts) + ")", params


class PostgresSearchBackend(BaseSearchBackend):
    vendor = "postgresql"

    def __init__(self, params: dict) -> None:
        super().__init__(params)
        # Per instance, so per search: the count decides the plan of the page query.
        self._counts: dict[tuple, int] = {}
        self._rows: int | None = None

    def index(self, documents: Sequence[Document]) -> None:
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            for batch in batched(documents, _BATCH):
                cursor.executemany(
                    f"INSERT INTO {DOCUMENT_TABLE} (page_id, sort_key, vector, lead) "  # noqa: S608
                    f"VALUES (%s, %s, {_VECTOR}, {_VECTOR}) ON CONFLICT (page_id) DO UPDATE "
                    "SET sort_key = EXCLUDED.sort_key, vector = EXCLUDED.vector, "
                    "lead = EXCLUDED.lead",
                    [
                        (
                            d.page_id,
                            d.sort_key,
                            d.title,
                            d.body,
                            document_lexemes(d),
                            *lead_values(d),
                        )
                        for d in batch
                    ],
                )

    def remove(self, page_ids: Iterable[int]) -> None:
        ids = list(page_ids)
        if not ids:
            return
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {DOCUMENT_TABLE} WHERE page_id = ANY(%s)",  # noqa: S608
                [ids],
            )

    def indexed_page_ids(self) -> set[int]:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT page_id FROM {DOCUMENT_TABLE}")  # noqa: S608
            return {row[0] for row in cursor.fetchall()}

    def _where(self, query: Query, filters: Filters, key: str = "sort_key + 0") -> tuple[str, list]:
        """The WHERE clause. The date range is on ``key``: ``sort_key + 0`` keeps the planner
        off the sort_key index (a range scan would test, and de-TOAST, every row in it), so
        the GIN index finds the hits; plain ``sort_key`` for the index walk of ``_order``."""
        tsquery, params = tsquery_sql(query, filters)
        where = f"vector @@ {tsquery}"
        if filters.since or filters.until:
            where += f" AND {key} BETWEEN %s AND %s"
            params = [*params, *filters.key_range()]
        return where, params

    def _fetch(self, sql: str, params: list) -> list:
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(sql, params)
            return cursor.fetchall()

    def count(self, query: Query, filters: Filters) -> int:
        where, params = self._where(query, filters)
        key = (where, tuple(params))
        if key not in self._counts:
            self._counts[key] = self._fetch(
                f"SELECT count(*) FROM {DOCUMENT_TABLE} WHERE {where}",  # noqa: S608
                params,
            )[0][0]
        return self._counts[key]

    def _order(self, query: Query, filters: Filters, wanted: int) -> str:
        """ORDER BY for the newest ``wanted`` hits.

        Walking the sort_key index from the newest row tests each row's vector until enough
        hits are found: quick when hits are many, a scan of the whole table when they are
        few, and the planner cannot tell which (its guess for a rare word or phrase can be
        hundreds of rows when there are none). The exact count decides instead; ``+ 0``
        keeps the planner off the index, so the GIN index finds the hits and they are sorted.
        """
        hits = self.count(query, filters)
        if hits and wanted * self._table_rows() <= MAX_ROWS_WALKED * hits:
            return "sort_key DESC"
        return "sort_key + 0 DESC"

    def _table_rows(self) -> int:
        if self._rows is None:
            rows = self._fetch(
                "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [DOCUMENT_TABLE]
            )
            self._rows = max(1, int(rows[0][0])) if rows else 1
        return self._rows

    def newest(self, query: Query, filters: Filters, offset: int, limit: int) -> list[int]:
        order = self._order(query, filters, offset + limit)
        where, params = self._where(query, filters, key=order.removesuffix(" DESC"))
        rows = self._fetch(
            f"SELECT page_id FROM {DOCUMENT_TABLE} WHERE {where} "  # noqa: S608
            f"ORDER BY {order} LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        return [row[0] for row in rows]

    def ranked(self, query: Query, filters: Filters, offset: int, limit: int) -> list[int]:
        order = self._order(query, filters, self.relevance_window)
        where, params = self._where(query, filters, key=order.removesuffix(" DESC"))
        rank_query, rank_params = tsquery_sql(query, Filters())
        rows = self._fetch(
            f"SELECT page_id FROM (SELECT page_id, sort_key, lead FROM {DOCUMENT_TABLE} "  # noqa: S608
            f"WHERE {where} ORDER BY {order} LIMIT %s) AS recent "
            f"ORDER BY ts_rank(lead, {rank_query}) DESC, sort_key DESC LIMIT %s OFFSET %s",
            [*params, self.relevance_window, *rank_params, limit, offset],
        )
        return [row[0] for row in rows]
