"""Demo reader activity: 30 days of plausible views, through the real counting path.

Nothing writes totals: simulated readers (addresses from the documentation ranges,
common browsers, a share of bots and of reloads) go through ``count_view`` exactly as
beacons do, so the bot filter and the de-duplication shape the demo's rankings too.
"""

from __future__ import annotations

import bisect
import math
import random
import time
from datetime import datetime
from itertools import accumulate

from sokuho.rankings import counting, snapshot

BROWSERS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1 Line/14.19.0",
    "Mozilla/5.0 (Linux; Android 14; SO-51D) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; SC-53E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
]
BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
    "+https://openai.com/gptbot)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; "
    "+claudebot@anthropic.com)",
    "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile "
    "Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)",
    "python-requests/2.32.3",
]
#: Relative traffic by JST hour: the morning commute, lunch and the evening peak.
HOURLY_TRAFFIC = [
    0.5, 0.3, 0.2, 0.15, 0.15, 0.3, 0.8, 1.6, 1.9, 1.4, 1.1, 1.1,
    1.6, 1.3, 1.0, 1.0, 1.0, 1.2, 1.4, 1.5, 1.7, 1.9, 1.6, 1.0,
]  # fmt: skip
BOT_SHARE = 0.15
RELOAD_SHARE = 0.1
#: A story's pull halves every this many hours after it is published, down to a tail.
HALF_LIFE_HOURS = 20.0
TAIL = 0.03


def _address(rng: random.Random) -> str:
    """An address from the ranges reserved for documentation (RFC 5737, RFC 3849)."""
    if rng.random() < 0.2:
        return f"2001:db8:{rng.randrange(65536):x}::{rng.randrange(1, 65536):x}"
    prefix = rng.choice(("192.0.2", "198.51.100", "203.0.113"))
    return f"{prefix}.{rng.randrange(1, 255)}"


def simulate_views(
    articles: list[tuple[int, float]],
    *,
    now: float,
    days: int = 30,
    views_per_hour: float = 40.0,
    seed: int = 20260101,
) -> tuple[int, int]:
    """Send simulated views of ``(article id, published at)`` through ``count_view``.

    Returns (views sent, views that passed the bot filter); the store drops repeats.
    """
    rng = random.Random(seed)
    pull = {article_id: rng.paretovariate(1.3) for article_id, _ in articles}
    readers = [(_address(rng), rng.choice(BROWSERS)) for _ in range(3000)]
    reader_weights = list(accumulate(1 / (rank + 1) ** 0.6 for rank in range(len(readers))))
    sent = passed = 0
    start = now - days * 86400
    for hour in range(days * 24):
        hour_start = start + hour * 3600
        live = [(a, p) for a, p in articles if p <= hour_start + 3600]
        if not live:
            continue
        weights = list(
            accumulate(
                pull[a] * max(TAIL, 0.5 ** (max(0.0, hour_start - p) / 3600 / HALF_LIFE_HOURS))
                for a, p in live
            )
        )
        traffic = HOURLY_TRAFFIC[(int(hour_start) // 3600 + 9) % 24]  # JST, UTC+9
        count = max(0, round(rng.gauss(views_per_hour * traffic, math.sqrt(views_per_hour))))
        events = []
        for _ in range(count):
            index = bisect.bisect(weights, rng.random() * weights[-1])
            article_id, published = live[min(index, len(live) - 1)]
            at = max(published, hour_start + rng.random() * 3600)
            if rng.random() < BOT_SHARE:
                events.append((at, article_id, _address(rng), rng.choice(BOTS)))
                continue
            reader = readers[bisect.bisect(reader_weights, rng.random() * reader_weights[-1])]
            events.append((at, article_id, *reader))
            if rng.random() < RELOAD_SHARE:
                events.append((at + rng.uniform(5, 900), article_id, *reader))
        events.sort()
        for at, article_id, ip, user_agent in events:
            if at > now:
                continue
            sent += 1
            passed += counting.count_view(article_id, ip, user_agent, at=at)
    counting.flush()
    return sent, passed


def load_demo_activity(now: datetime | None = None) -> str:
    """The demo's readers: related reads with the stories' real dates, then 30 days of
    views and the ranking snapshot (called once, at the end of ``load_demo``)."""
    from sokuho.rankings.eligibility import rankable_articles
    from sokuho.related.reads import rebuild_all

    moment = now.timestamp() if now else time.time()
    rebuild_all()
    articles = [
        (article_id, published.timestamp())
        for article_id, published in rankable_articles().values_list("id", "first_published_at")
        if published
    ]
    sent, passed = simulate_views(articles, now=moment)
    snapshot.refresh(moment)
    return f"閲覧 {sent} 件（うちボット {sent - passed} 件は集計外）を生成しました。"
