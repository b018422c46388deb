"""The labelled query set over the fictional corpus, through the real backend (SQLite
FTS5, or PostgreSQL when DATABASE_URL says so: scripts/test runs both)."""

import pytest
from django.conf import settings
from django.db import connection

from sokuho.search.backends import Order, get_search_backend
from sokuho.search.query import parse_query
from sokuho.search.results import SearchResults
from sokuho.search.tests.corpus import ARTICLES, NEVER, QUERIES

pytestmark = pytest.mark.django_db


def found(corpus, text: str, order: Order = Order.NEWEST) -> list[str]:
    keys = {page.pk: key for key, page in corpus.items()}
    results = SearchResults(parse_query(text), order=order)
    return [keys[hit.article.pk] for hit in results[:100]]


def test_the_query_set_is_big_enough():
    assert len(QUERIES) >= 40
    assert all(must <= ARTICLES.keys() and not_ <= ARTICLES.keys() for _, must, not_ in QUERIES)


def test_backend_follows_the_database():
    backend = get_search_backend()
    assert backend.vendor == connection.vendor
    expected = "postgres" if connection.vendor == "postgresql" else "sqlite"
    assert settings.SOKUHO_SEARCH["BACKEND"].rsplit(".", 2)[-2] == expected


@pytest.mark.parametrize(("text", "must", "must_not"), QUERIES, ids=[q[0] for q in QUERIES])
def test_labelled_query(corpus, text, must, must_not):
    keys = found(corpus, text)
    assert must <= set(keys), f"{text!r} missed {must - set(keys)}"
    assert not set(keys) & must_not, f"{text!r} wrongly found {set(keys) & must_not}"
    assert not set(keys) & NEVER
    assert len(keys) == len(set(keys))
    assert SearchResults(parse_query(text)).count() == len(keys)


@pytest.mark.parametrize(("text", "must", "must_not"), QUERIES, ids=[q[0] for q in QUERIES])
def test_labelled_query_by_relevance(corpus, text, must, must_not):
    assert set(found(corpus, text, Order.RELEVANCE)) == set(found(corpus, text))


def test_newest_first(corpus):
    order = list(ARTICLES)  # the corpus is published newest first
    keys = found(corpus, "協議")
    assert keys == sorted(keys, key=order.index)


def test_relevance_puts_headline_matches_first(corpus):
    # 半導体 is in the headline of computer-kana and quarter's body only.
    keys = found(corpus, "半導体", Order.RELEVANCE)
    assert keys[0] == "computer-kana"
    assert set(keys) == {"computer-kana", "quarter"}
