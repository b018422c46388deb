"""Attempts counted per source in the shared cache, so every node sees the same count:
sign-ups per address, failed wire-push logins per address."""

from __future__ import annotations

from django.core.cache import cache


def _key(scope: str, source: str) -> str:
    return f"sokuho:ratelimit:{scope}:{source}"


def count_attempt(scope: str, source: str, window_seconds: int) -> int:
    """Record one attempt; the attempts in the current window, this one included."""
    key = _key(scope, source)
    cache.add(key, 0, window_seconds)  # the window starts with the first attempt
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        return 1


def attempts(scope: str, source: str) -> int:
    """Attempts recorded in the current window (0 when none, or once it has passed)."""
    return cache.get(_key(scope, source)) or 0
