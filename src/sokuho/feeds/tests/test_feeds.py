"""Feeds and sitemaps as their clients read them: feedparser and an XML parser."""

from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone
from lxml import etree
from lxml import html as lxml_html

from sokuho.news.tests import factories

pytestmark = pytest.mark.django_db

SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@pytest.fixture
def content():
    reporter = factories.author("佐藤 健", "ken-sato")
    topic = factories.topic()
    wire = factories.provider()
    fresh = factories.article(
        "world",
        title="北方三国が協議再開",
        label="解説",
        summary="三国の代表が青葉市に集まった。",
        authors=[reporter],
        topics=[topic],
        provider=wire,
        published_at=factories.hours_ago(2),
    )
    old = factories.article(
        "business", title="東和電機の決算", published_at=factories.hours_ago(72)
    )
    draft = factories.article("world", title="下書きの記事", publish=False)
    return {"reporter": reporter, "topic": topic, "fresh": fresh, "old": old, "draft": draft}


def parse_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    return feed


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_every_feed_parses_cleanly(client, content, kind):
    urls = [
        f"/feeds/{kind}.xml",
        f"/feeds/section/world/{kind}.xml",
        f"/feeds/topic/{content['topic'].slug}/{kind}.xml",
        f"/feeds/author/{content['reporter'].slug}/{kind}.xml",
    ]
    for url in urls:
        feed = parse_feed(client, url)
        titles = [entry.title for entry in feed.entries]
        assert "【解説】北方三国が協議再開" in titles
        assert "下書きの記事" not in titles
    site = parse_feed(client, f"/feeds/{kind}.xml")
    assert feed.feed.get("language", "ja") == "ja" or kind == "atom"
    entry = next(e for e in site.entries if e.title.startswith("【解説】"))
    assert entry.summary == "三国の代表が青葉市に集まった。"
    assert entry.author == "佐藤 健"
    assert [tag.term for tag in entry.tags] == ["ワールド"]
    assert entry.link.endswith(content["fresh"].url)


def test_feed_times_are_in_japan_time(client, content):
    rss = client.get("/feeds/rss.xml").content.decode()
    assert "+0900</pubDate>" in rss
    atom = client.get("/feeds/atom.xml").content.decode()
    assert "+09:00</updated>" in atom or "+09:00</published>" in atom


def test_section_feed_has_only_its_section_and_unknown_feed_is_404(client, content):
    titles = [e.title for e in parse_feed(client, "/feeds/section/business/rss.xml").entries]
    assert titles == ["東和電機の決算"]
    assert client.get("/feeds/section/nope/rss.xml").status_code == 404


def test_pages_advertise_their_feeds(client, content):
    home = lxml_html.fromstring(client.get("/").content)
    assert home.xpath("//link[@rel='alternate' and @type='application/rss+xml']/@href") == [
        "/feeds/rss.xml"
    ]
    section = lxml_html.fromstring(client.get("/world/").content)
    assert "/feeds/section/world/rss.xml" in section.xpath("//link[@rel='alternate']/@href")
    author = lxml_html.fromstring(client.get(content["reporter"].url).content)
    assert f"/feeds/author/{content['reporter'].slug}/rss.xml" in author.xpath(
        "//link[@rel='alternate']/@href"
    )


def test_news_sitemap_has_the_last_48_hours_only(client, content):
    response = client.get("/news-sitemap.xml")
    assert response.status_code == 200
    tree = etree.fromstring(response.content)
    urls = tree.findall("s:url", SITEMAP_NS)
    assert len(urls) == 1
    url = urls[0]
    assert url.findtext("s:loc", namespaces=SITEMAP_NS).endswith(content["fresh"].url)
    news = url.find("news:news", SITEMAP_NS)
    assert news.findtext("news:publication/news:language", namespaces=SITEMAP_NS) == "ja"
    assert news.findtext("news:publication/news:name", namespaces=SITEMAP_NS)
    assert news.findtext("news:title", namespaces=SITEMAP_NS) == "【解説】北方三国が協議再開"
    assert news.findtext("news:publication_date", namespaces=SITEMAP_NS).endswith("+09:00")


def test_news_sitemap_caps_at_1000(client, monkeypatch):
    from sokuho.feeds import sitemaps

    monkeypatch.setattr(sitemaps, "NEWS_LIMIT", 3)
    for number in range(5):
        factories.article(
            title=f"記事{number}", published_at=timezone.now() - timedelta(hours=number)
        )
    tree = etree.fromstring(client.get("/news-sitemap.xml").content)
    assert len(tree.findall("s:url", SITEMAP_NS)) == 3


def test_sitemap_index_and_robots(client, content):
    index = etree.fromstring(client.get("/sitemap.xml").content)
    locs = [loc.text for loc in index.iter(f"{{{SITEMAP_NS['s']}}}loc")]
    assert [loc.rsplit("/", 1)[1] for loc in locs] == ["sitemap-pages.xml", "news-sitemap.xml"]
    pages = etree.fromstring(client.get("/sitemap-pages.xml").content)
    entries = {
        url.findtext("s:loc", namespaces=SITEMAP_NS): url.findtext(
            "s:lastmod", namespaces=SITEMAP_NS
        )
        for url in pages.findall("s:url", SITEMAP_NS)
    }
    assert any(loc.endswith(content["old"].url) and lastmod for loc, lastmod in entries.items())
    assert not any(loc.endswith(f"/{content['draft'].slug}/") for loc in entries)
    robots = client.get("/robots.txt").content.decode()
    # On the site's origin, as the URLs in the sitemaps are, whatever the request's Host.
    assert {loc.split("/", 3)[2] for loc in [*locs, *entries]} == {"localhost"}
    assert "Sitemap: http://localhost/sitemap.xml" in robots
    assert "Sitemap: http://localhost/news-sitemap.xml" in robots
