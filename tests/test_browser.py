"""A reader in Chromium: open the demo's home page, follow a breaking story, read it."""

from __future__ import annotations

import pytest

from conftest import launch_chromium
from tests.demo_server import DemoServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    server = DemoServer(tmp_path_factory.mktemp("browser") / "sokuho-data")
    server.start()
    yield server
    server.stop()


def test_reader_follows_a_breaking_story(chromium_path, demo_site, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium_path)
        page = browser.new_page(viewport={"width": 390, "height": 844}, locale="ja-JP")
        errors: list[str] = []
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(demo_site.url + "/")
        strip = page.locator("section.breaking-strip")
        assert strip.locator("h2").inner_text() == "ニュース速報"
        first = strip.locator("li a").first
        headline = first.inner_text()
        first.click()
        page.wait_for_load_state()

        article = page.locator("article[data-page-id]")
        assert article.count() == 1
        assert page.locator("h1").inner_text().replace("\n", "").endswith(headline.split("】")[-1])
        assert article.locator(".badge--breaking").inner_text() == "速報"
        published = article.locator("time.article__published").inner_text()
        assert published.startswith("20") and "日(" in published and published.endswith("分")
        assert article.locator(".article__body p").count() >= 3
        # Nothing wider than the phone's screen: the layout holds at 390 px.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(tmp_path / "breaking-article.png"), full_page=True)
        assert errors == []
        browser.close()


def test_article_page_loads_cleanly_and_stays_on_this_machine(chromium_path, demo_site):
    from urllib.parse import urlsplit

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium_path)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ja-JP")
        errors: list[str] = []
        hosts: set[str] = set()
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname or ""))
        page.goto(demo_site.url + "/")
        # The first top story that has a lead photo (fresh wire copy may come without one).
        article_url = page.locator("section.top-stories article:has(img) h3 a").first.get_attribute(
            "href"
        )
        hosts.clear()
        page.goto(demo_site.url + article_url, wait_until="networkidle")
        assert page.locator("article[data-page-id] figure img").count() == 1
        image = page.locator("article figure img")
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        assert image.get_attribute("width") and image.get_attribute("height")
        assert hosts == {"127.0.0.1"}, hosts
        assert errors == []
        browser.close()
