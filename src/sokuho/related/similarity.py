"""Content similarity between articles: TF-IDF over Japanese nouns.

An article becomes a bag of nouns (``sokuho.ja.analysis.nouns``: SudachiPy, normalised),
headline nouns counted three times and summary nouns twice, since they say what the
story is about. A term's weight in an article is (1 + log tf) divided by the length of
the article's tf vector; idf = log(1 + (N - df + 0.5) / (df + 0.5)) (the BM25 form,
always positive) is applied at query time, so stored weights never go stale as df
changes. The similarity of B to A is Σ a(t)·b(t)·idf(t)² over A's query terms, divided
by the same sum for A itself: 1 for an identical article, 0 for nothing in common.

To stay fast against 100,000 articles the index keeps, per article, only its
``POSTINGS_PER_ARTICLE`` strongest terms (by tf·idf when indexed), and a query reads only
the new article's ``QUERY_TERMS`` strongest terms, each term's most recent
``POSTINGS_PER_TERM`` postings (an index range scan): a few thousand rows at most,
summed in Python.
"""

from __future__ import annotations

import heapq
import html
import math
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.db.models import F
from django.utils.html import strip_tags

from sokuho.ja.analysis import nouns
from sokuho.related.models import IndexedArticle, Posting, Term

TITLE_WEIGHT = 3
SUMMARY_WEIGHT = 2
#: Longest term kept (Term.text max_length): longer "nouns" are noise (URLs, codes).
MAX_TERM_LENGTH = 100
POSTINGS_PER_ARTICLE = 40
QUERY_TERMS = 20
POSTINGS_PER_TERM = 300


@dataclass
class Document:
    """What the index knows of an article."""

    article_id: int
    published_at: datetime
    terms: Counter[str]
    section_id: int | None = None
    topic_ids: list[int] = field(default_factory=list)


def article_terms(title: str, summary: str, body_html: str) -> Counter[str]:
    """Noun counts of an article: headline ×3, summary ×2, body text ×1."""
    counts: Counter[str] = Counter()
    body = html.unescape(strip_tags(body_html.replace("<", " <")))
    for text, weight in ((title, TITLE_WEIGHT), (summary, SUMMARY_WEIGHT), (body, 1)):
        for term in nouns(text) if text else ():
            if len(term) <= MAX_TERM_LENGTH:
                counts[term] += weight
    return counts


def document_for(article) -> Document:
    return Document(
        article_id=article.id,
        published_at=article.first_published_at
        or article.go_live_at
        or article.latest_revision_created_at,
        terms=article_terms(article.title, article.summary, article.body),
        section_id=article.section_id,
        topic_ids=sorted(topic.id for topic in article.topics.all()),
    )


def idf(df: int, total: int) -> float:
    return math.log(1 + (total - df + 0.5) / (df + 0.5))


def _tf_weights(terms: Counter[str]) -> dict[str, float]:
    """(1 + log tf), divided by the vector's length: a long article is not favoured."""
    raw = {text: 1 + math.log(count) for text, count in terms.items()}
    norm = math.sqrt(sum(value * value for value in raw.values())) or 1.0
    return {text: value / norm for text, value in raw.items()}


# -- the index ------------------------------------------------------------------------


class _CollectionSize:
    """N for idf: counted at most once a minute (an exact N changes no ranking)."""

    SECONDS = 60.0

    def __init__(self) -> None:
        self._value = 0
        self._counted = -self.SECONDS

    def get(self) -> int:
        if time.monotonic() - self._counted >= self.SECONDS:
            self._value = IndexedArticle.objects.count()
            self._counted = time.monotonic()
        return max(self._value, 1)

    def add(self, change: int) -> None:
        self._value += change

    def forget(self) -> None:
        self._counted = -self.SECONDS


collection_size = _CollectionSize()


def _term_stats(texts: Iterable[str], *, create: bool) -> dict[str, tuple[int, int]]:
    """``{text: (term id, df)}`` of these terms; missing ones created (df 0) or skipped."""
    texts = list(texts)
    found: dict[str, tuple[int, int]] = {}

    def fetch(chunk: list[str]) -> None:
        rows = Term.objects.filter(text__in=chunk).values_list("text", "id", "df")
        found.update((text, (term_id, df)) for text, term_id, df in rows)

    for start in range(0, len(texts), 500):
        fetch(texts[start : start + 500])
    missing = [text for text in texts if text not in found]
    if missing and create:
        Term.objects.bulk_create([Term(text=text) for text in missing], ignore_conflicts=True)
        for start in range(0, len(missing), 500):
            fetch(missing[start : start + 500])
    return found


@transaction.atomic
def index_document(doc: Document) -> None:
    """Put the article in the index, replacing what it had there."""
    _remove(doc.article_id)
    if not doc.terms:
        return
    stats = _term_stats(doc.terms, create=True)
    Term.objects.filter(id__in=[term_id for term_id, _ in stats.values()]).update(df=F("df") + 1)
    total = collection_size.get() + 1
    weights = _tf_weights(doc.terms)
    strength = {text: weights[text] * idf(stats[text][1] + 1, total) for text in weights}
    strongest = sorted(strength, key=lambda text: (-strength[text], text))[:POSTINGS_PER_ARTICLE]
    IndexedArticle.objects.create(
        article_id=doc.article_id,
        published_at=doc.published_at,
        section_id=doc.section_id,
        topic_ids=doc.topic_ids,
        term_ids=sorted(term_id for term_id, _ in stats.values()),
    )
    Posting.objects.bulk_create(
        Posting(
            term_id=stats[text][0],
            article_id=doc.article_id,
            weight=weights[text],
            published_at=doc.published_at,
        )
        for text in strongest
    )
    collection_size.add(1)


@transaction.atomic
def index_many(docs: list[Document], batch_size: int = 2000) -> int:
    """Fill an empty index with many articles at once (rebuilds, benchmarks).

    The same entries ``index_document`` makes one by one, with every df counted first,
    so each article's strongest terms are chosen against the whole collection.
    """
    if IndexedArticle.objects.exists():
        raise ValueError("index_many fills an empty index: clear it first")
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.terms.keys())
    Term.objects.all().delete()
    Term.objects.bulk_create(
        (Term(text=text, df=count) for text, count in df.items()), batch_size=batch_size
    )
    ids = dict(Term.objects.values_list("text", "id"))
    total = len(docs)
    for start in range(0, total, batch_size):
        chunk = [doc for doc in docs[start : start + batch_size] if doc.terms]
        IndexedArticle.objects.bulk_create(
            IndexedArticle(
                article_id=doc.article_id,
                published_at=doc.published_at,
                section_id=doc.section_id,
                topic_ids=doc.topic_ids,
                term_ids=sorted(ids[text] for text in doc.terms),
            )
            for doc in chunk
        )
        postings = []
        for doc in chunk:
            weights = _tf_weights(doc.terms)
            strength = {text: weights[text] * idf(df[text], total) for text in weights}
            strongest = sorted(strength, key=lambda text: (-strength[text], text))
            postings.extend(
                Posting(
                    term_id=ids[text],
                    article_id=doc.article_id,
                    weight=weights[text],
                    published_at=doc.published_at,
                )
                for text in strongest[:POSTINGS_PER_ARTICLE]
            )
        Posting.objects.bulk_create(postings, batch_size=batch_size)
    collection_size.forget()
    return total


@transaction.atomic
def remove_document(article_id: int) -> bool:
    """Take the article out of the index; False when it was not in it."""
    return _remove(article_id)


def _remove(article_id: int) -> bool:
    entry = IndexedArticle.objects.filter(article_id=article_id).first()
    if entry is None:
        return False
    for start in range(0, len(entry.term_ids), 500):
        chunk = entry.term_ids[start : start + 500]
        Term.objects.filter(id__in=chunk).update(df=F("df") - 1)
    Posting.objects.filter(article_id=article_id).delete()
    entry.delete()
    collection_size.add(-1)
    return True


# -- the query ------------------------------------------------------------------------


def similar(doc: Document, exclude: Iterable[int] = (), limit: int = 50) -> list[tuple[int, float]]:
    """``(article_id, similarity)`` of the indexed articles most like ``doc``, best first."""
    if not doc.terms:
        return []
    stats = {
        text: (term_id, df)
        for text, (term_id, df) in _term_stats(doc.terms, create=False).items()
        if df > 0
    }
    if not stats:
        return []
    total = collection_size.get()
    weights = _tf_weights(doc.terms)
    squared_idf = {text: idf(df, total) ** 2 for text, (_, df) in stats.items()}
    strength = {text: weights[text] * squared_idf[text] for text in stats}
    strongest = sorted(strength, key=lambda text: (-strength[text], text))[:QUERY_TERMS]
    # Dividing by the article's own score makes 1 "the same", whatever N and the lengths.
    own = sum(strength[text] * weights[text] for text in strongest) or 1.0
    factors = {stats[text][0]: strength[text] / own for text in strongest}

    scores: dict[int, float] = {}
    for term_id, article_id, weight in _postings(list(factors)):
        scores[article_id] = scores.get(article_id, 0.0) + factors[term_id] * weight
    for article_id in exclude:
        scores.pop(article_id, None)
    scores.pop(doc.article_id, None)
    return heapq.nlargest(limit, scores.items(), key=lambda item: (item[1], item[0]))


def _postings(term_ids: list[int]) -> list[tuple[int, int, float]]:
    """The most recent postings of each term, in one statement."""
    if not term_ids:
        return []
    table = connection.ops.quote_name(Posting._meta.db_table)
    part = (
        f"SELECT * FROM (SELECT term_id, article_id, weight FROM {table} "  # noqa: S608
        f"WHERE term_id = %s ORDER BY published_at DESC LIMIT {POSTINGS_PER_TERM}) AS p{{n}}"
    )
    sql = " UNION ALL ".join(part.format(n=n) for n in range(len(term_ids)))
    with connection.cursor() as cursor:
        cursor.execute(sql, term_ids)
        return cursor.fetchall()
