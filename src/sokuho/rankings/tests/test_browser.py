"""A reader in Chromium: the beacon really counts the view, and the tabs switch lists
with JavaScript off."""

from __future__ import annotations

import time

import pytest

from conftest import launch_chromium
from sokuho.news.tests import factories
from sokuho.rankings import counting, snapshot
from sokuho.rankings.models import HourlyViews
from sokuho.rankings.tests.test_counting import CHROME

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_beacon_counts_a_real_browser_view(chromium_path, live_server):
    from playwright.sync_api import sync_playwright

    article = factories.article(title="路面電車の利用者が初日で1万人")
    url = live_server.url + article.url  # the ORM may not run inside Playwright's loop
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium_path)
        # Headless Chromium says "HeadlessChrome": a bot, rightly. Pose as a reader.
        page = browser.new_page(locale="ja-JP", user_agent=CHROME)
        with page.expect_request(lambda request: request.url.endswith("/pv/")) as beacon:
            page.goto(url)
        assert beacon.value.method == "POST"
        browser.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        counting.flush()
        if HourlyViews.objects.filter(page_id=article.id).exists():
            break
        time.sleep(0.2)
    assert HourlyViews.objects.get(page_id=article.id).views == 1


def test_the_tabs_switch_without_javascript(chromium_path, live_server):
    from playwright.sync_api import sync_playwright

    articles = [factories.article(title=f"架空の記事その{n}") for n in range(3)]
    for n, article in enumerate(articles):
        counting.count_view(article.id, f"192.0.2.{n}", CHROME, at=time.time() - 3 * 86400)
    counting.count_view(articles[0].id, "192.0.2.100", CHROME)
    snapshot.refresh()
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium_path)
        page = browser.new_page(java_script_enabled=False, viewport={"width": 1280, "height": 900})
        page.goto(live_server.url + "/")

        def visible() -> list[str]:
            return [
                window
                for window in ("24h", "7d", "30d")
                if page.locator(f"ol[data-window='{window}']").is_visible()
            ]

        assert visible() == ["24h"]
        page.click("label[for='ranking-tab-7d']")
        assert visible() == ["7d"]
        assert page.locator("ol[data-window='7d'] li a").count() == 3
        page.keyboard.press("ArrowRight")  # a radio group: arrow keys move between tabs
        assert visible() == ["30d"]
        browser.close()
