"""The counting path: bots are dropped, a reader counts once per article per 30 minutes,
and nothing that identifies a reader is stored."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from django.db import connection

from sokuho.rankings import counting
from sokuho.rankings.backends.base import View, repeat_rounds
from sokuho.rankings.bots import is_bot
from sokuho.rankings.conf import get_store
from sokuho.rankings.models import HourlyViews, RecentView

pytestmark = pytest.mark.django_db

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
LINE_APP = f"{IPHONE} Line/14.3.0"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
    "+https://openai.com/gptbot)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; ChatGPT-User/1.0; "
    "+https://openai.com/bot",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; "
    "+claudebot@anthropic.com)",
    "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile "
    "Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)",
    "Mozilla/5.0 (compatible; PerplexityBot/1.0; +https://perplexity.ai/perplexitybot)",
    "CCBot/2.0 (https://commoncrawl.org/faq/)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Twitterbot/1.0",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "Hatena::Bookmark/0.1",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse",
    "python-requests/2.32.3",
    "python-httpx/0.27.0",
    "curl/8.5.0",
    "Wget/1.21.4",
    "Go-http-client/2.0",
    "okhttp/4.12.0",
    "axios/1.7.2",
    "Scrapy/2.11.2 (+https://scrapy.org)",
    "",
    "   ",
    "x" * 2000,
]


def recorded(page_id: int) -> int:
    counting.flush()
    return sum(HourlyViews.objects.filter(page_id=page_id).values_list("views", flat=True))


@pytest.mark.parametrize("user_agent", BOTS)
def test_bots_are_not_counted(user_agent):
    assert is_bot(user_agent)
    assert counting.count_view(7, "192.0.2.10", user_agent) is False
    assert recorded(7) == 0


@pytest.mark.parametrize("user_agent", [CHROME, IPHONE, LINE_APP, FIREFOX])
def test_browsers_are_counted(user_agent):
    assert not is_bot(user_agent)
    assert counting.count_view(7, "192.0.2.10", user_agent) is True
    assert recorded(7) == 1


@pytest.fixture
def one_salt(monkeypatch):
    """One salt for the whole test: a test whose views span minutes must not count a
    visitor again because they straddle JST midnight, when the daily salt changes (that
    is by design, and tested below)."""
    monkeypatch.setattr(counting, "daily_salt", lambda at: b"\x01" * 32)


def test_one_visitor_reloading_ten_times_counts_once(one_salt):
    start = time.time()
    for second in range(10):
        counting.count_view(7, "192.0.2.10", CHROME, at=start + second * 60)
    assert recorded(7) == 1


def test_reloads_in_separate_batches_count_once(one_salt):
    start = time.time()
    for second in range(10):
        counting.count_view(7, "192.0.2.10", CHROME, at=start + second)
        counting.flush()
    assert recorded(7) == 1


def test_the_same_visitor_counts_again_after_thirty_minutes(one_salt):
    start = time.time() - 3600
    counting.count_view(7, "192.0.2.10", CHROME, at=start)
    counting.count_view(7, "192.0.2.10", CHROME, at=start + 1799)
    counting.count_view(7, "192.0.2.10", CHROME, at=start + 1800)
    assert recorded(7) == 2


def test_different_visitors_and_articles_count_separately():
    counting.count_view(7, "192.0.2.10", CHROME)
    counting.count_view(7, "192.0.2.11", CHROME)  # another address
    counting.count_view(7, "192.0.2.10", FIREFOX)  # another browser on the same address
    counting.count_view(8, "192.0.2.10", CHROME)  # another article
    assert recorded(7) == 3
    assert recorded(8) == 1


def test_repeat_rounds_keep_each_key_in_order():
    views = [View(1, 7, 0), View(2, 7, 0), View(1, 7, 5), View(1, 7, 9), View(3, 8, 1)]
    assert repeat_rounds(views) == [
        [View(1, 7, 0), View(2, 7, 0), View(3, 8, 1)],
        [View(1, 7, 5)],
        [View(1, 7, 9)],
    ]


def test_visitor_key_is_keyed_and_rotates_daily():
    counting._salts.clear()
    today = time.time()
    salt = counting.daily_salt(today)
    assert counting.daily_salt(today) == salt
    assert counting.daily_salt(today + 86400) != salt
    key = counting.visitor_key("192.0.2.10", CHROME, salt)
    assert key == counting.visitor_key("192.0.2.10", CHROME, salt)
    assert key != counting.visitor_key("192.0.2.10", CHROME, counting.daily_salt(today + 86400))
    assert b"192.0.2.10" not in key
    # The salt lives in the cache only, with an expiry: never in the database.
    assert cache.get(f"{counting.SALT_CACHE_KEY}{counting._jst_day(today)}") == salt


def test_workers_agree_on_the_salt_after_the_cache_lost_it():
    counting._salts.clear()
    today = time.time()
    salt = counting.daily_salt(today)
    cache.clear()
    counting._salts[counting._jst_day(today)] = (salt, 0.0)  # due for a re-check
    assert counting.daily_salt(today) == salt  # put back, not replaced
    assert cache.get(f"{counting.SALT_CACHE_KEY}{counting._jst_day(today)}") == salt


def test_nothing_personal_is_stored():
    counting.count_view(7, "192.0.2.123", CHROME)
    counting.flush()
    assert RecentView.objects.count() == 1
    stored = []
    with connection.cursor() as cursor:
        for model in (RecentView, HourlyViews):
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608
            stored.extend(str(value) for row in cursor.fetchall() for value in row)
    dump = " ".join(stored)
    assert "192.0.2.123" not in dump
    assert "Chrome" not in dump


def test_expired_dedup_keys_and_old_buckets_are_pruned():
    now = int(time.time())
    counting.count_view(7, "192.0.2.10", CHROME, at=now - 40 * 86400)
    counting.count_view(8, "192.0.2.10", CHROME, at=now - 60)
    counting.flush()
    get_store().prune(now, 1800)
    assert RecentView.objects.count() == 1
    assert not HourlyViews.objects.filter(page_id=7).exists()
    assert HourlyViews.objects.filter(page_id=8).exists()


def test_a_store_outage_loses_views_not_the_request(settings, caplog):
    settings.SOKUHO_RANKINGS = {
        "BACKEND": "sokuho.rankings.backends.redis.RedisRankingStore",
        "OPTIONS": {"url": "redis://127.0.0.1:1/0"},  # nothing listens on port 1
    }
    assert counting.count_view(7, "192.0.2.10", CHROME) is True
    assert counting.flush() == 0
    assert counting.recorder.pending() == 0
    assert "Could not record" in caplog.text


def test_rate_limit_source_groups_ipv6_by_64():
    assert counting.rate_limit_source("2001:db8:1:2:aaaa::1") == counting.rate_limit_source(
        "2001:db8:1:2:bbbb::9"
    )
    assert counting.rate_limit_source("192.0.2.1") == "192.0.2.1"
    assert counting.rate_limit_source("not an address") == "not an address"
