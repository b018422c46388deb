"""Most-read rankings at scale: views per second through the counting path into each
store, and the time to read the three top-10 lists.

    python bench/rankings.py [--events 10000000] [--articles 100000] [--stores sql,redis]

Article ids are simulated (no Wagtail pages): the beacon's live-article set is filled
with them. Everything after the beacon's parsing is the real code: the live-article
check, the bot filter, the keyed visitor hash, the batching recorder and the store's
de-duplication and counters. Views span 30 simulated days in time order (readers from a
pool, a share of bots and reloads, popularity that fades with a story's age); the
hourly window advance runs as the refresh job would, timed apart. Redis: 127.0.0.1:6379,
database 15, a key prefix of its own, removed afterwards.
"""

from __future__ import annotations

import argparse
import bisect
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from itertools import accumulate
from pathlib import Path

CHUNK = 50_000
DAYS = 30


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--stores", default="sql,redis")
    parser.add_argument("--data", help="data directory for the SQLite database")
    args = parser.parse_args()
    unknown = set(args.stores.split(",")) - {"sql", "redis"}
    if unknown:
        parser.error(f"unknown stores {sorted(unknown)}: use sql and/or redis")
    data = Path(args.data or tempfile.mkdtemp(prefix="sokuho-bench-rankings-")).resolve()
    os.environ["SOKUHO_DATA"] = str(data)
    try:
        measure(args)
    finally:
        if not args.data:
            shutil.rmtree(data, ignore_errors=True)


def measure(args: argparse.Namespace) -> None:
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ.pop("REDIS_URL", None)  # the Django cache stays local memory
    os.environ["DJANGO_SETTINGS_MODULE"] = "sokuho.settings"
    # Python put this folder first on sys.path, where a sibling script may shadow a
    # standard module (a bench/http.py hides the http package): import from src instead.
    here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
    sys.path.insert(0, str(here.parent / "src"))

    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings

    from sokuho.rankings.conf import get_store

    call_command("migrate", verbosity=0, interactive=False)
    print(f"{args.events:,} view events, {args.articles:,} articles, {DAYS} days")
    now = time.time()  # one clock for every store: the same events, the same hours
    results = {}
    for name in args.stores.split(","):
        if name == "sql":
            store = {"BACKEND": "sokuho.rankings.backends.sql.SQLRankingStore"}
        else:
            store = {
                "BACKEND": "sokuho.rankings.backends.redis.RedisRankingStore",
                "OPTIONS": {
                    "url": "redis://127.0.0.1:6379/15",
                    "prefix": f"sokuho-bench-{os.getpid()}",
                },
            }
        # override_settings sends setting_changed, so the store is built anew.
        with override_settings(SOKUHO_RANKINGS=store):
            try:
                results[name] = run(args, now)
            finally:
                if name == "redis":
                    get_store().clear()
    if len(results) == 2:
        same = results["sql"] == results["redis"]
        print(f"SQL and Redis top 50 of each window identical: {'yes' if same else 'NO'}")


def run(args: argparse.Namespace, now: float) -> list:
    from sokuho.rankings import counting, snapshot
    from sokuho.rankings.backends.base import WINDOWS
    from sokuho.rankings.conf import config, get_store
    from sokuho.rankings.demo import BOTS, BROWSERS
    from sokuho.rankings.views import live_articles

    store = get_store()
    store.clear()
    label = type(store).__name__
    if label.startswith("SQL"):
        from django.db import connection

        label += f" ({connection.vendor})"
    rng = random.Random(7)
    start = now - DAYS * 86400
    articles = args.articles
    simulated_ids = set(range(1, articles + 1))
    # Articles published evenly over the 30 days (and before); a story's pull fades.
    published = [start - 10 * 86400 + i * (DAYS + 10) * 86400 / articles for i in range(articles)]
    pull = [rng.paretovariate(1.2) for _ in range(articles)]
    readers = [
        (f"198.51.{rng.randrange(256)}.{rng.randrange(1, 255)}", rng.choice(BROWSERS))
        for _ in range(200_000)
    ]
    per_hour = args.events / (DAYS * 24)

    counting_seconds = advance_seconds = 0.0
    sent = passed = 0
    hour0 = int(start) // 3600
    store.advance(hour0)
    for hour in range(DAYS * 24):
        hour_start = start + hour * 3600
        # Candidate stories: the ~2,000 newest (the rest of the tail is rarely read).
        newest = bisect.bisect(published, hour_start + 3600)
        first = max(0, newest - 2000)
        weights = list(
            accumulate(
                pull[i] * 0.5 ** max(0.0, (hour_start - published[i]) / 3600 / 20)
                for i in range(first, newest)
            )
        )
        count = int(per_hour * (hour + 1)) - int(per_hour * hour)
        events = []
        for _ in range(count):
            index = first + bisect.bisect(weights, rng.random() * weights[-1])
            at = hour_start + rng.random() * 3600
            if rng.random() < 0.1:
                ip, user_agent = f"203.0.113.{rng.randrange(1, 255)}", rng.choice(BOTS)
            else:
                ip, user_agent = readers[int(rng.paretovariate(0.8)) % len(readers)]
            events.append((at, min(index, newest - 1) + 1, ip, user_agent))
        events.sort()
        # The simulated ids are not in the database: keep them "live" past a reload.
        live_articles.replace(simulated_ids)
        began = time.perf_counter()
        for at, page_id, ip, user_agent in events:
            if page_id in live_articles:
                passed += counting.count_view(page_id, ip, user_agent, at=at)
        counting.flush()
        counting_seconds += time.perf_counter() - began
        sent += len(events)
        began = time.perf_counter()
        store.advance(hour0 + hour + 1)
        store.prune(int(hour_start + 3600), config()["DEDUP_SECONDS"])
        advance_seconds += time.perf_counter() - began
        if sent and (hour + 1) % 72 == 0:
            print(
                f"  {label}: {sent:,} events, {sent / counting_seconds:,.0f}/s so far",
                flush=True,
            )

    reads = []
    for _ in range(50):
        began = time.perf_counter()
        store.tops(WINDOWS, snapshot.CANDIDATES)
        reads.append((time.perf_counter() - began) * 1000)
    snapshot.refresh(start + DAYS * 86400)
    renders = []
    for _ in range(1000):
        began = time.perf_counter()
        snapshot.current()
        renders.append((time.perf_counter() - began) * 1000)
    tops = [store.top(hours, 3) for hours in WINDOWS]

    print(f"{label}")
    print(
        f"  counting path: {sent:,} events in {counting_seconds:.1f} s = "
        f"{sent / counting_seconds:,.0f} events/s ({passed:,} past the bot filter)"
    )
    print(f"  hourly window advance + prune: {advance_seconds / (DAYS * 24) * 1000:.1f} ms an hour")
    print(
        f"  store read of all three lists (top {snapshot.CANDIDATES} each): "
        f"median {statistics.median(reads):.2f} ms, max {max(reads):.2f} ms"
    )
    print(
        f"  a page render's read (the cached snapshot): "
        f"median {statistics.median(renders) * 1000:.1f} µs"
    )
    print(f"  top 3 (id, views): 24h {tops[0]}, 7d {tops[1]}, 30d {tops[2]}")
    return [store.top(hours, snapshot.CANDIDATES) for hours in WINDOWS]


if __name__ == "__main__":
    main()
