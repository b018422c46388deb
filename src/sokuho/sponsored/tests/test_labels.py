"""Sponsored articles are labelled as advertising on every surface a reader meets
(Japan's stealth-marketing rule): the article, lists, feeds and structured data."""

from __future__ import annotations

import json

import feedparser
import pytest
from django.contrib.auth import get_user_model
from django.db.models import ProtectedError
from lxml import html as lxml_html
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from sokuho.news.models import ArticlePage
from sokuho.news.tests import factories
from sokuho.sponsored.models import BrandedSeries, Sponsor

pytestmark = pytest.mark.django_db


@pytest.fixture
def sponsor():
    return Sponsor.objects.create(
        name="みなと精機（テスト用）", disclosure="この記事はみなと精機の提供です。"
    )


@pytest.fixture
def series(sponsor):
    return BrandedSeries.objects.create(
        title="CHALLENGING INNOVATOR", slug="challenging-innovator", sponsor=sponsor
    )


@pytest.fixture
def sponsored(sponsor, series):
    return factories.article(
        "business",
        title="町工場の三代目、宇宙部品に挑む",
        summary="小さな工場の挑戦。",
        body=(
            '<p>本文。<a href="https://maker.example.com/">提供企業</a>と'
            '<a href="/business/">自社のページ</a>。</p>'
        ),
        ad_label="PR",
        sponsor=sponsor,
        branded_series=series,
    )


def tree_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml_html.fromstring(response.content.decode())


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def labels_in(tree, scope: str) -> list[str]:
    return [text(item) for item in tree.xpath(f"{scope}//*[contains(@class,'badge--ad')]/..")]


def test_article_page_shows_label_sponsor_and_disclosure(client, sponsored):
    tree = tree_of(client, sponsored.url)
    kicker = text(tree.xpath("//*[contains(@class,'article__kicker')]")[0])
    assert "PR" in kicker and "提供：みなと精機（テスト用）" in kicker
    assert "CHALLENGING INNOVATOR" in kicker
    disclosure = tree.xpath("//header//*[contains(@class,'sponsor-disclosure')]")
    assert text(disclosure[0]) == "この記事はみなと精機の提供です。"


def test_editorial_article_has_no_ad_label(client):
    page = factories.article()
    tree = tree_of(client, page.url)
    assert not tree.xpath("//*[contains(@class,'badge--ad')]")
    assert "提供：" not in text(tree.xpath("//article")[0])


def test_outbound_links_carry_rel_sponsored(client, sponsored):
    tree = tree_of(client, sponsored.url)
    outbound = tree.xpath("//*[contains(@class,'article__body')]//a[contains(@href,'maker')]")[0]
    assert outbound.get("rel").split() == ["sponsored", "noopener", "noreferrer"]
    own = tree.xpath("//*[contains(@class,'article__body')]//a[@href='/business/']")[0]
    assert "sponsored" not in (own.get("rel") or "")


def test_editorial_outbound_links_are_not_marked_sponsored(client):
    page = factories.article(body='<p><a href="https://example.com/">出典</a></p>')
    tree = tree_of(client, page.url)
    link = tree.xpath("//*[contains(@class,'article__body')]//a")[0]
    assert "sponsored" not in link.get("rel", "")


def test_label_in_section_topic_home_and_series_lists(client, sponsored):
    factories.article("business", title="通常のニュース記事")
    for url in ("/business/", "/", "/sponsored/challenging-innovator/"):
        tree = tree_of(client, url)
        found = [
            text(item)
            for item in tree.xpath(
                "//a[.//*[contains(@class,'badge--ad')]]|//article[.//*[contains(@class,'badge--ad')]]"
            )
        ]
        assert any("町工場の三代目" in item and "提供：みなと精機" in item for item in found), url
        plain = tree.xpath("//a[contains(., '通常のニュース記事')]")
        if plain:
            assert not plain[0].xpath(".//*[contains(@class,'badge--ad')]")


def test_series_page_names_sponsor_and_404_for_unknown(client, sponsored):
    tree = tree_of(client, "/sponsored/challenging-innovator/")
    assert text(tree.xpath("//h1")[0]) == "CHALLENGING INNOVATOR"
    assert "提供：みなと精機（テスト用）" in text(tree.xpath("//header")[1])
    assert client.get("/sponsored/no-such-series/").status_code == 404


def test_feeds_label_sponsored_items(client, sponsored):
    factories.article("business", title="通常のニュース記事")
    for url in ("/feeds/rss.xml", "/feeds/atom.xml", "/feeds/section/business/rss.xml"):
        feed = feedparser.parse(client.get(url).content)
        titles = {entry.title: entry for entry in feed.entries}
        ad = next(entry for title, entry in titles.items() if "町工場" in title)
        assert ad.title.startswith("【PR】") and "提供：みなと精機（テスト用）" in ad.title
        assert "PR" in [tag.term for tag in ad.tags]
        assert "通常のニュース記事" in titles


def test_json_ld_type_is_advertiser_content_article(client, sponsored):
    tree = tree_of(client, sponsored.url)
    data = [json.loads(s.text) for s in tree.xpath("//script[@type='application/ld+json']")]
    article = next(item for item in data if item["@type"] != "BreadcrumbList")
    assert article["@type"] == "AdvertiserContentArticle"
    assert article["sponsor"] == {"@type": "Organization", "name": "みなと精機（テスト用）"}
    editorial = factories.article()
    tree = tree_of(client, editorial.url)
    data = [json.loads(s.text) for s in tree.xpath("//script[@type='application/ld+json']")]
    assert any(item["@type"] == "NewsArticle" for item in data)


def test_sponsored_article_page_stays_within_five_queries(
    client, sponsored, django_assert_max_num_queries
):
    client.get(sponsored.url)
    with django_assert_max_num_queries(5):
        assert client.get(sponsored.url).status_code == 200


def test_a_sponsor_with_articles_cannot_be_deleted(sponsored, sponsor):
    with pytest.raises(ProtectedError):
        sponsor.delete()


def test_article_saved_by_a_script_with_a_sponsor_is_still_labelled(sponsor):
    page = factories.article(sponsor=sponsor)
    assert ArticlePage.objects.get(pk=page.pk).ad_label == "PR"


# --- the admin ------------------------------------------------------------------------
@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser("desk", "desk@example.invalid", "p" * 20)
    client.force_login(user)
    return client


def post_article(client, **fields):
    data = {
        "title": "広告記事のテスト",
        "slug": "",
        "summary": "",
        "body": rich_text("本文。"),
        "dateline_place": "",
        "ad_label": "",
        "bylines": inline_formset([]),
        "corrections": inline_formset([]),
        "comments": inline_formset([]),
    }
    data.update(fields)
    url = f"/admin/pages/add/news/articlepage/{factories.section('business').id}/"
    return client.post(url, nested_form_data(data))


def test_admin_refuses_a_labelled_article_without_a_sponsor(editor_client):
    response = post_article(editor_client, ad_label="PR")
    assert response.status_code == 200
    assert "提供元（スポンサー）を指定してください" in response.content.decode()
    assert not ArticlePage.objects.exists()


def test_admin_accepts_a_series_article_and_fills_its_sponsor(editor_client, series, sponsor):
    response = post_article(editor_client, branded_series=series.id)
    assert response.status_code == 302
    page = ArticlePage.objects.get()
    assert page.sponsor == sponsor and page.ad_label == "PR"


def test_admin_refuses_a_sponsor_other_than_the_series_sponsor(editor_client, series):
    other = Sponsor.objects.create(name="別の会社（テスト用）")
    response = post_article(
        editor_client, branded_series=series.id, sponsor=other.id, ad_label="PR"
    )
    assert "タイアップシリーズのスポンサーと同じ提供元" in response.content.decode()
    assert not ArticlePage.objects.exists()
