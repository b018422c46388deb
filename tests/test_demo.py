"""`sokuho demo` end to end: first run builds the site, a second run reuses it."""

from __future__ import annotations

import re
import urllib.request

import pytest
from lxml import html as lxml_html

from tests.demo_server import DemoServer

pytestmark = [pytest.mark.slow, pytest.mark.own_database]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    server = DemoServer(tmp_path_factory.mktemp("demo") / "sokuho-data")
    server.first_start_seconds = server.start()
    yield server
    if server.process and server.process.poll() is None:
        server.stop()


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_first_run_prints_the_admin_account_once(demo):
    printed = demo.printed()
    assert re.search(r"ユーザー名: admin\n\s+パスワード: \S{12,}", printed)
    assert "デモ記事" in printed


def test_demo_serves_home_sections_articles_and_sitemap(demo):
    status, body = fetch(demo.url + "/")
    assert status == 200
    tree = lxml_html.fromstring(body)
    assert tree.xpath("//section[contains(@class,'breaking-strip')]//li")
    assert "デモサイト" in body
    article_links = tree.xpath("//section[contains(@class,'top-stories')]//h3/a/@href")
    assert len(article_links) >= 3
    for link in article_links:  # every story, wire copy included, says it is a sample
        status, article = fetch(demo.url + link)
        assert status == 200 and "data-page-id" in article
        assert "架空のサンプル記事" in article, link
    status, sitemap = fetch(demo.url + "/sitemap-pages.xml")
    assert status == 200 and sitemap.count("<url>") >= 80
    for section in ("world", "business", "japan", "tech", "culture", "life"):
        assert fetch(f"{demo.url}/{section}/")[0] == 200
    assert fetch(demo.url + "/no-such-page/")[0] == 404
    assert fetch(demo.url + "/static/news/css/site.css")[0] == 200


def test_demo_serves_uploaded_images(demo):
    _, body = fetch(demo.url + "/")
    src = lxml_html.fromstring(body).xpath("//section[contains(@class,'top-stories')]//img/@src")[0]
    with urllib.request.urlopen(demo.url + src, timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "image/webp"


def test_second_run_reuses_the_data_and_serves_within_seconds(demo):
    demo.stop()
    marker = demo.data / "sokuho.sqlite3"
    size_before = marker.stat().st_size
    again = DemoServer(demo.data)
    seconds = again.start(timeout=60)
    try:
        assert seconds < 20, f"second start took {seconds:.1f}s"
        printed = again.printed()
        assert "パスワード" not in printed  # printed once, on the first run only
        assert "デモ記事を作成" not in printed
        assert marker.stat().st_size >= size_before
        assert fetch(again.url + "/")[0] == 200
    finally:
        again.stop()
