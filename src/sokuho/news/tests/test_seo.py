"""JSON-LD, OGP and canonical links on the article page."""

import json

import pytest
from lxml import html as lxml_html

from sokuho.news.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return factories.article(
        title="北方三国が協議再開",
        summary="三国の代表が集まった。",
        authors=[
            factories.author("佐藤 健", "ken-sato"),
            factories.author("鈴木 一郎", "ichiro-suzuki"),
        ],
        lead_image=factories.image(1600, 1200),
        lead_image_alt="会場の外観",
        published_at=factories.hours_ago(3),
    )


def structured(tree) -> list[dict]:
    return [json.loads(s.text) for s in tree.xpath("//script[@type='application/ld+json']")]


def test_news_article_json_ld(client, article):
    tree = lxml_html.fromstring(client.get(article.url).content)
    data = structured(tree)
    news = next(item for item in data if item["@type"] == "NewsArticle")
    assert news["headline"] == "北方三国が協議再開"
    assert len(news["image"]) == 3
    assert news["datePublished"].endswith("+09:00") and news["dateModified"].endswith("+09:00")
    assert [a["name"] for a in news["author"]] == ["佐藤 健", "鈴木 一郎"]
    assert all(a["@type"] == "Person" and "/author/" in a["url"] for a in news["author"])
    assert news["publisher"]["logo"]["url"].endswith(".png")
    crumbs = next(item for item in data if item["@type"] == "BreadcrumbList")
    assert [c["name"] for c in crumbs["itemListElement"]] == [
        "トップ",
        "ワールド",
        "北方三国が協議再開",
    ]


def test_json_ld_urls_are_on_the_sites_origin_whatever_the_host(client, article):
    # The request comes in with another allowed Host (an internal name behind a proxy):
    # every URL a search engine reads is still on the site's own origin.
    tree = lxml_html.fromstring(client.get(article.url, HTTP_HOST="127.0.0.1").content)
    data = structured(tree)
    news = next(item for item in data if item["@type"] == "NewsArticle")
    crumbs = next(item for item in data if item["@type"] == "BreadcrumbList")
    urls = [
        news["url"],
        news["publisher"]["url"],
        news["publisher"]["logo"]["url"],
        *news["image"],
        *(author["url"] for author in news["author"]),
        *(crumb["item"] for crumb in crumbs["itemListElement"]),
    ]
    assert {url.split("/", 3)[2] for url in urls} == {"localhost"}


def test_json_ld_images_have_the_three_ratios(client, article):
    from wagtail.images.models import Rendition

    client.get(article.url)
    sizes = {(r.width, r.height) for r in Rendition.objects.filter(image=article.lead_image)}
    assert {(1200, 675), (1200, 900), (1200, 1200)} <= sizes


def test_ogp_twitter_and_canonical(client, article):
    tree = lxml_html.fromstring(client.get(article.url).content)
    prop = {m.get("property"): m.get("content") for m in tree.xpath("//meta[@property]")}
    assert prop["og:type"] == "article"
    assert prop["og:title"] == "北方三国が協議再開"
    assert prop["og:description"] == "三国の代表が集まった。"
    assert prop["og:image"].startswith("http")
    assert prop["og:locale"] == "ja_JP"
    assert prop["article:published_time"].endswith("+09:00")
    assert tree.xpath("//meta[@name='twitter:card']/@content") == ["summary_large_image"]
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    assert canonical == [prop["og:url"]] and canonical[0].endswith(article.url)


def test_json_ld_cannot_be_broken_out_of(client):
    page = factories.article(title="</script><script>alert(1)</script>見出し", summary="<b>&</b>")
    body = client.get(page.url).content.decode()
    scripts = lxml_html.fromstring(body).xpath("//script[not(@src)]")  # files: our own
    assert all(s.get("type") == "application/ld+json" for s in scripts)
    assert "</script><script>alert(1)" not in body
