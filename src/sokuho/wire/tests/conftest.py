"""The wire parser tests are pure Python: no Django, no database, no cache.

The repository's root conftest clears Django caches before every test (autouse).
These tests run with ``-p no:django`` (settings may be mid-edit), so that fixture is
overridden here by name with one that does nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    yield
