"""The rankings settings, read from ``settings.SOKUHO_RANKINGS``, and the store they name.

    SOKUHO_RANKINGS = {
        "BACKEND": "sokuho.rankings.backends.sql.SQLRankingStore",  # or ...redis.RedisRankingStore
        "OPTIONS": {},                  # passed to the store: {"url": ..., "prefix": ...} for Redis
        "DEDUP_SECONDS": 1800,          # one view per visitor and article in this time
        "RATE_LIMIT_PER_MINUTE": 300,   # beacons one address may send a minute
        "CLIENT_IP_HEADER": "",         # e.g. "X-Forwarded-For" behind one trusted proxy
    }

Like Wagtail's frontend_cache backends: a dotted path loaded with ``import_string``, and a
setting that cannot work stops with ``ImproperlyConfigured`` saying what to fix.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

DEFAULTS: dict[str, Any] = {
    "BACKEND": "sokuho.rankings.backends.sql.SQLRankingStore",
    "OPTIONS": {},
    "DEDUP_SECONDS": 1800,
    "BATCH_SIZE": 500,
    "FLUSH_SECONDS": 1.0,
    "RATE_LIMIT_PER_MINUTE": 300,
    "CLIENT_IP_HEADER": "",
    "REFRESH_SECONDS": 60,
}


@cache
def config() -> dict[str, Any]:
    configured = getattr(settings, "SOKUHO_RANKINGS", {}) or {}
    if not isinstance(configured, dict):
        raise ImproperlyConfigured("SOKUHO_RANKINGS must be a dict, e.g. {'BACKEND': '...'}.")
    unknown = set(configured) - set(DEFAULTS)
    if unknown:
        raise ImproperlyConfigured(
            f"SOKUHO_RANKINGS has unknown keys {sorted(unknown)}; known: {sorted(DEFAULTS)}."
        )
    merged = {**DEFAULTS, **configured}
    for key in ("DEDUP_SECONDS", "BATCH_SIZE", "RATE_LIMIT_PER_MINUTE", "REFRESH_SECONDS"):
        if not isinstance(merged[key], int) or merged[key] <= 0:
            raise ImproperlyConfigured(f"SOKUHO_RANKINGS['{key}'] must be a positive integer.")
    if not isinstance(merged["FLUSH_SECONDS"], int | float) or merged["FLUSH_SECONDS"] < 0:
        raise ImproperlyConfigured("SOKUHO_RANKINGS['FLUSH_SECONDS'] must be a number ≥ 0.")
    return merged


@cache
def get_store():
    """The configured ranking store, built once per process."""
    from sokuho.rankings.backends.base import RankingStore

    path = config()["BACKEND"]
    try:
        store_class = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(
            f"SOKUHO_RANKINGS['BACKEND'] = {path!r} cannot be imported ({error}). Use "
            "'sokuho.rankings.backends.sql.SQLRankingStore' or "
            "'sokuho.rankings.backends.redis.RedisRankingStore'."
        ) from error
    if not (isinstance(store_class, type) and issubclass(store_class, RankingStore)):
        raise ImproperlyConfigured(
            f"SOKUHO_RANKINGS['BACKEND'] = {path!r} is not a RankingStore subclass."
        )
    options = config()["OPTIONS"]
    try:
        return store_class(**options)
    except TypeError as error:
        raise ImproperlyConfigured(
            f"SOKUHO_RANKINGS['OPTIONS'] do not suit {store_class.__name__}: {error}"
        ) from error


@receiver(setting_changed)
def _forget(setting: str, **kwargs: Any) -> None:
    if setting == "SOKUHO_RANKINGS":
        config.cache_clear()
        get_store.cache_clear()
