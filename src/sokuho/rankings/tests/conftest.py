"""Stores for the rankings tests: SQL always, Redis when it answers (a test DB and a
unique key prefix, removed afterwards)."""

from __future__ import annotations

import uuid

import pytest

from conftest import port_open, require_service
from sokuho.rankings import counting
from sokuho.rankings.views import live_articles, rate_limiter

REDIS_TEST_URL = "redis://127.0.0.1:6379/14"

SQL_SETTINGS = {"BACKEND": "sokuho.rankings.backends.sql.SQLRankingStore"}


@pytest.fixture(autouse=True)
def _fresh_counting(settings):
    """The SQL store (whatever REDIS_URL says), and no state left by another test."""
    settings.SOKUHO_RANKINGS = SQL_SETTINGS
    counting.recorder.discard()
    live_articles.forget()
    rate_limiter.reset()
    yield
    counting.recorder.discard()


@pytest.fixture
def sql_store(db):
    from sokuho.rankings.backends.sql import SQLRankingStore

    return SQLRankingStore()


@pytest.fixture
def redis_store():
    require_service(port_open("127.0.0.1", 6379), "Redis is not running at 127.0.0.1:6379")
    from sokuho.rankings.backends.redis import RedisRankingStore

    store = RedisRankingStore(url=REDIS_TEST_URL, prefix=f"sokuho-test-{uuid.uuid4().hex}")
    yield store
    store.clear()


@pytest.fixture
def redis_settings(settings, redis_store):
    """The Redis store as the configured one."""
    settings.SOKUHO_RANKINGS = {
        "BACKEND": "sokuho.rankings.backends.redis.RedisRankingStore",
        "OPTIONS": {"url": REDIS_TEST_URL, "prefix": redis_store.prefix},
    }
    return redis_store
