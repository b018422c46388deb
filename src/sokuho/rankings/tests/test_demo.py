"""The demo's readers go through the real counting path and leave live-looking lists."""

from __future__ import annotations

import time

import pytest

from sokuho.news.tests import factories
from sokuho.rankings import snapshot
from sokuho.rankings.demo import load_demo_activity, simulate_views
from sokuho.rankings.models import HourlyViews, WindowViews
from sokuho.related.models import RelatedRead

pytestmark = pytest.mark.django_db


def test_simulated_views_pass_the_bot_filter_and_dedup():
    now = time.time()
    articles = [(1000 + n, now - n * 86400) for n in range(12)]
    sent, passed = simulate_views(articles, now=now, days=3, views_per_hour=20)
    assert 0 < passed < sent  # some were bots
    counted = sum(HourlyViews.objects.values_list("views", flat=True))
    assert 0 < counted <= passed  # and some were reloads
    # Totals were never written directly: no window holds anything until advanced.
    assert not WindowViews.objects.exists()


def test_the_demo_step_fills_the_box_and_the_related_reads():
    articles = [
        factories.article(
            ("world", "business", "japan")[n % 3],
            title=f"架空の市で路面電車の新路線{n}が開業",
            published_at=factories.hours_ago(n * 20),
        )
        for n in range(12)
    ]
    message = load_demo_activity()
    assert "閲覧" in message
    current = snapshot.current()
    assert [len(window["items"]) for window in current["windows"]] == [10, 10, 10]
    assert RelatedRead.objects.filter(article=articles[0]).count() == 4
