"""Shared test switches: services that CI must have, and the test database content."""

from __future__ import annotations

import os
import shutil
import socket

import pytest

REQUIRE_SERVICES = os.environ.get("SOKUHO_REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("SOKUHO_CHROMIUM", "/usr/bin/chromium")


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def require_service(available: bool, reason: str) -> None:
    """Skip with a printed reason, or fail under SOKUHO_REQUIRE_SERVICES=1 (CI)."""
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


# Headless and quiet: nothing phones home, so a test sees only the requests a page makes.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch_chromium(playwright, executable_path: str):
    """Debian's Chromium through Playwright (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=executable_path, args=CHROMIUM_ARGS)


@pytest.fixture
def chromium_path() -> str:
    require_service(
        os.path.exists(CHROMIUM) and shutil.which(CHROMIUM) is not None,
        f"Chromium not found at {CHROMIUM} (apt-get install chromium)",
    )
    return CHROMIUM


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, as after a deploy."""
    from django.core.cache import caches

    from sokuho.pagecache.store import forget_local

    for alias in ("default", "renditions"):
        caches[alias].clear()
    forget_local()
    yield


DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "live_server",
    "client",
    "admin_client",
    "django_user_model",
    "django_db_serialized_rollback",
}


def touches_the_database(item: pytest.Item) -> bool:
    """Whether the test's outcome can depend on the database DATABASE_URL names."""
    if item.get_closest_marker("own_database"):
        return False
    if item.get_closest_marker("django_db") or item.get_closest_marker("postgres"):
        return True
    if item.get_closest_marker("slow"):
        return True  # starts servers on the configured database
    return bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """SOKUHO_DATABASE_TESTS_ONLY=1 (the PostgreSQL pass of scripts/test): tests that
    never touch the database ran in the SQLite pass already; run the rest only."""
    if os.environ.get("SOKUHO_DATABASE_TESTS_ONLY") != "1":
        return
    keep = [item for item in items if touches_the_database(item)]
    left = [item for item in items if not touches_the_database(item)]
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = keep
