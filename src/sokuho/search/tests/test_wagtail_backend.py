"""Wagtail's admin search index: each write in one transaction on SQLite, so two workers
indexing the same page one after the other update one entry instead of failing."""

from unittest import mock

import pytest
from django.db import connection
from modelsearch import index
from modelsearch.backends import get_search_backend

from sokuho.news.models import ArticlePage
from sokuho.news.tests import factories
from sokuho.search import wagtail_backend

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="modelsearch's PostgreSQL index upserts already"
)


@pytest.fixture
def sqlite_index():
    from modelsearch.backends.database.sqlite import sqlite

    return sqlite


@pytest.mark.django_db
def test_index_writes_run_in_one_transaction(sqlite_index):
    page = factories.article("japan", title="検索索引のテスト記事")
    backend = get_search_backend()
    assert isinstance(backend, wagtail_backend.serialized_sqlite_backend())

    seen = []
    original = sqlite_index.SQLiteIndex._refresh_title_norms

    def record(self, *args, **kwargs):
        seen.append(len(connection.savepoint_ids))
        return original(self, *args, **kwargs)

    outside = len(connection.savepoint_ids)  # the test's own transaction holds the rest
    with mock.patch.object(sqlite_index.SQLiteIndex, "_refresh_title_norms", record):
        backend.add(page)
    assert seen == [outside + 1]


@pytest.mark.django_db
def test_indexing_a_page_twice_keeps_one_entry_that_the_admin_finds(sqlite_index):
    page = factories.article("japan", title="Aoba Tramway 延伸計画（テスト用）")
    index.insert_or_update_object(page)
    index.insert_or_update_object(page)
    assert sqlite_index.IndexEntry.objects.filter(object_id=str(page.pk)).count() == 1
    found = get_search_backend().search("tramway", ArticlePage)
    assert [hit.pk for hit in found] == [page.pk]
