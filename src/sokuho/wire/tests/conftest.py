"""Fixtures for the wire tests.

The parser tests are pure Python and also run with ``-p no:django``; the repository's
root conftest clears Django caches before every test (autouse), so that fixture is
overridden here by one that clears them only when Django is configured.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    from django.conf import settings

    if settings.configured:
        from django.core.cache import caches

        for alias in ("default", "renditions"):
            caches[alias].clear()
    yield


@pytest.fixture
def sample_provider(db):
    """サンプル通信 (the provider of the fixtures), publishing at once into ワールド."""
    from sokuho.wire.tests.ingest_helpers import make_provider

    return make_provider()
