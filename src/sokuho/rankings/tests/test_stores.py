"""The two ranking stores: windows follow their buckets, and SQL and Redis agree."""

from __future__ import annotations

import random
import time
from collections import Counter

import pytest
from django.core.exceptions import ImproperlyConfigured

from sokuho.rankings.backends.base import KEEP_HOURS, WINDOWS, View
from sokuho.rankings.conf import get_store

pytestmark = pytest.mark.django_db

NOW_HOUR = int(time.time()) // 3600
STORES = ["sql_store", "redis_store"]


def views_at(page_id: int, hours_back: int, count: int, *, first_key: int = 0) -> list[View]:
    """``count`` different visitors reading ``page_id`` in the hour ``hours_back`` hours
    before the current one (0: the current hour, the newest of a window's buckets)."""
    at = (NOW_HOUR - hours_back) * 3600 + 60
    return [View(first_key + n, page_id, at) for n in range(count)]


@pytest.fixture(params=STORES)
def store(request):
    return request.getfixturevalue(request.param)


def test_the_three_windows_differ_as_their_buckets_say(store):
    store.advance(NOW_HOUR)
    views = [
        *views_at(1, 2, 3, first_key=100),  # in all three windows
        *views_at(2, 23, 4, first_key=200),  # the 24th bucket: the oldest of 24 hours
        *views_at(3, 24, 5, first_key=300),  # the 25th: 7 days, not 24 hours
        *views_at(4, 167, 6, first_key=400),  # the oldest of 7 days
        *views_at(5, 168, 7, first_key=500),  # 30 days only
        *views_at(6, 719, 8, first_key=600),  # the oldest of 30 days
        *views_at(7, 720, 20, first_key=700),  # in no window
    ]
    views.sort(key=lambda view: view.at)
    assert store.record(views, 1800) == len(views)
    assert store.top(24, 10) == [(2, 4), (1, 3)]
    assert store.top(168, 10) == [(4, 6), (3, 5), (2, 4), (1, 3)]
    assert store.top(720, 10) == [(6, 8), (5, 7), (4, 6), (3, 5), (2, 4), (1, 3)]
    # The buckets themselves hold every counted view, windows or not.
    assert store.hour_views(NOW_HOUR - 720) == {7: 20}


def test_windows_slide_as_hours_pass(store):
    store.advance(NOW_HOUR - 30)
    store.record(views_at(1, 30, 5) + views_at(2, 10, 2, first_key=50), 1800)
    store.advance(NOW_HOUR - 10)
    assert store.top(24, 10) == [(1, 5), (2, 2)]
    store.advance(NOW_HOUR)  # 30 hours later: article 1's hour has left the 24h window
    assert store.top(24, 10) == [(2, 2)]
    assert store.top(168, 10) == [(1, 5), (2, 2)]
    store.advance(NOW_HOUR + 24 * 7)  # a week on, after a long gap: rebuilt from buckets
    assert store.top(24, 10) == []
    assert store.top(720, 10) == [(1, 5), (2, 2)]


def test_ties_go_to_the_newer_article(store):
    store.advance(NOW_HOUR)
    store.record(
        views_at(10, 1, 2) + views_at(30, 1, 2, first_key=10) + views_at(20, 1, 2, first_key=20),
        1800,
    )
    assert store.top(24, 2) == [(30, 2), (20, 2)]
    assert store.top(24, 10) == [(30, 2), (20, 2), (10, 2)]


def test_repeats_within_thirty_minutes_count_once(store):
    store.advance(NOW_HOUR)
    at = NOW_HOUR * 3600 - 7200
    views = [View(42, 1, at + second) for second in (0, 60, 600, 1799, 1800, 1900, 3700)]
    assert store.record(views, 1800) == 3  # at 0, 1800 and 3700
    assert store.record([View(42, 1, at + 3800)], 1800) == 0
    assert store.top(24, 10) == [(1, 3)]


def brute_force_top(views: list[View], now_hour: int, hours: int, limit: int, dedup: int):
    """The rules applied naively: count views one by one, then sum the window's hours."""
    last: dict[int, int] = {}
    buckets: Counter = Counter()
    for view in views:
        if view.key in last and view.at - last[view.key] < dedup:
            continue
        last[view.key] = view.at
        buckets[(view.at // 3600, view.page_id)] += 1
    totals: Counter = Counter()
    for (hour, page_id), count in buckets.items():
        if now_hour - hours < hour <= now_hour:
            totals[page_id] += count
    return sorted(totals.items(), key=lambda item: (-item[1], -item[0]))[:limit]


def random_views(seed: int, count: int = 4000) -> list[View]:
    rng = random.Random(seed)
    views = []
    for _ in range(count):
        # Popular articles, returning visitors, some repeats within minutes.
        page_id = int(rng.paretovariate(1.2)) % 200 + 1
        key = rng.randint(1, 600) if rng.random() < 0.5 else rng.getrandbits(63)
        at = NOW_HOUR * 3600 - int(rng.random() ** 2 * 35 * 86400)
        views.append(View(key, page_id, at))
        if rng.random() < 0.1:
            views.append(View(key, page_id, at + rng.randint(1, 3600)))
    return sorted(views, key=lambda view: view.at)


@pytest.mark.parametrize("seed", [1, 2])
def test_sql_and_redis_give_identical_rankings(sql_store, redis_store, seed):
    views = random_views(seed)
    for store in (sql_store, redis_store):
        # As a running site sees them: views, then the hourly advance, over 40 days.
        hour = NOW_HOUR - 40 * 24
        store.advance(hour)
        done = 0
        while hour < NOW_HOUR:
            hour = min(hour + 40, NOW_HOUR)
            batch = [view for view in views[done:] if view.at // 3600 < hour]
            store.record(batch, 1800)
            done += len(batch)
            store.advance(hour)
        store.record(views[done:], 1800)
    for hours in WINDOWS:
        expected = brute_force_top(views, NOW_HOUR, hours, 50, 1800)
        assert sql_store.top(hours, 50) == expected
        assert redis_store.top(hours, 50) == expected
    for hours_ago in (0, 5, 24 * 20):
        hour = NOW_HOUR - hours_ago
        assert sql_store.hour_views(hour) == redis_store.hour_views(hour)


def test_old_buckets_are_pruned_and_older_views_never_stored(store):
    store.advance(NOW_HOUR)
    views = views_at(9, KEEP_HOURS - 1, 3) + views_at(8, 1, 1, first_key=9)
    assert store.record(views_at(7, KEEP_HOURS + 2, 3, first_key=20), 1800) == 0
    assert store.record(views, 1800) == 4
    assert store.hour_views(NOW_HOUR - KEEP_HOURS - 2) == {}
    assert store.hour_views(NOW_HOUR - KEEP_HOURS + 1) == {9: 3}
    later = (NOW_HOUR + 3) * 3600
    store.prune(later, 1800)
    if store.__class__.__name__ == "RedisRankingStore":
        # Redis drops a bucket by itself: it expires 31 days after its hour.
        ttl = store.redis.ttl(f"{store.prefix}:h:{NOW_HOUR - KEEP_HOURS + 1}")
        assert 0 < ttl <= 2 * 3600
    else:
        assert store.hour_views(NOW_HOUR - KEEP_HOURS + 1) == {}
    assert store.hour_views(NOW_HOUR - 1) == {8: 1}


def test_the_store_is_chosen_by_the_settings(settings, redis_settings):
    from sokuho.rankings.backends.redis import RedisRankingStore

    assert isinstance(get_store(), RedisRankingStore)
    assert get_store().prefix == redis_settings.prefix


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"BACKEND": "sokuho.rankings.backends.nope.Store"}, "cannot be imported"),
        ({"BACKEND": "sokuho.rankings.models.HourlyViews"}, "not a RankingStore"),
        ({"BACKEND": "sokuho.rankings.backends.redis.RedisRankingStore"}, "needs SOKUHO_RANKINGS"),
        (
            {
                "BACKEND": "sokuho.rankings.backends.sql.SQLRankingStore",
                "OPTIONS": {"url": "redis://"},
            },
            "do not suit",
        ),
        ({"BACKNED": "typo"}, "unknown keys"),
        ({"DEDUP_SECONDS": 0}, "positive integer"),
        ("sql", "must be a dict"),
    ],
)
def test_bad_settings_say_what_to_fix(settings, value, message):
    settings.SOKUHO_RANKINGS = value
    with pytest.raises(ImproperlyConfigured, match=message):
        get_store()
