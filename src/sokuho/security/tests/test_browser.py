"""In Chromium: stored-XSS payloads typed into every editor and wire field never run on
the reader site, and the admin works under its own Content-Security-Policy."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from conftest import launch_chromium
from sokuho.news.tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def watch(page) -> tuple[list[str], list[str]]:
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    return dialogs, errors


def test_stored_xss_never_runs_on_the_reader_site(chromium_path, live_server, hostile_site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium_path)
        page = browser.new_page(locale="ja-JP")
        dialogs, errors = watch(page)
        for url in hostile_site:
            response = page.goto(live_server.url + url)
            assert response.status == 200, url
            page.wait_for_load_state("load")
            assert page.evaluate("window.__xss") is None, url
            assert page.locator("main iframe, main svg script").count() == 0, url
        page.goto(live_server.url + hostile_site[0])
        headline = page.locator("h1").inner_text()
        body_links = page.locator(".article__body a").evaluate_all("els => els.map(e => e.href)")
        browser.close()
    assert dialogs == []
    assert errors == []
    # The editor's markup shows as text, not as elements.
    assert "<script>" in headline.replace("\n", "")
    assert all(not href.lower().startswith("javascript") for href in body_links)


def test_admin_works_under_its_content_security_policy(chromium_path, live_server):
    from playwright.sync_api import sync_playwright

    password = "admin-browser-test-pw-42"
    get_user_model().objects.create_superuser("chief", "chief@example.invalid", password)
    article = factories.article(lead_image=factories.image(), lead_image_alt="写真")
    section_id = article.get_parent().pk  # no ORM inside Playwright's event loop
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium_path)
        page = browser.new_page(locale="ja-JP")
        dialogs, errors = watch(page)
        page.goto(live_server.url + "/admin/login/")
        page.fill("input[name=username]", "chief")
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(live_server.url + "/admin/")
        for url in (
            "/admin/",
            f"/admin/pages/{article.pk}/edit/",
            f"/admin/pages/{section_id}/",
            "/admin/images/",
            "/admin/images/multiple/add/",
            "/admin/reports/site-history/",
            "/admin/login-log/",
        ):
            response = page.goto(live_server.url + url)
            assert response.status == 200, url
            page.wait_for_load_state("networkidle")
        editor_loaded = page.goto(live_server.url + f"/admin/pages/{article.pk}/edit/")
        page.wait_for_selector(".Draftail-Editor")
        browser.close()
    assert editor_loaded.status == 200
    assert [error for error in errors if "Content Security Policy" in error] == []
    assert errors == []
    assert dialogs == []
