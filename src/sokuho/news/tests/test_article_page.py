"""Every element of the article page, read from the HTML a reader receives."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from lxml import html as lxml_html

from sokuho.news.models import ArticleCorrection, ArticlePage, AuthorPage, Provider
from sokuho.news.tests import factories

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2026, 2, 5, 16, 55, tzinfo=UTC)  # 2026-02-06 01:55 JST, a Friday


@pytest.fixture
def wire_article():
    hokushin = factories.provider()
    reporters = [
        factories.author("ミラ・コヴァレンコ", "mira-kovalenko", name_romanized="Mira Kovalenko"),
        factories.author("トマス・ハンター", "tomas-hunter", name_romanized="Tomas Hunter"),
    ]
    topic = factories.topic("北方三国協議 記事まとめ", "three-party-talks")
    page = factories.article(
        "world",
        title="北方三国協議、合計314人の交流再開で合意　交渉継続",
        label="解説",
        summary="架空の北方三国が2日間の協議を終えた。",
        body="<p>架空の北方三国は5日、協議の2日目を終えた。</p><p>次回の日程は未定。</p>",
        provider=hokushin,
        dateline_place="ノルデン",
        lead_image=factories.image(),
        lead_image_alt="握手する代表団",
        lead_image_caption="協議を終えて握手する代表団。5日撮影の提供写真。",
        lead_image_credit="ノルデン外務省/提供",
        authors=reporters,
        topics=[topic],
        is_breaking=True,
        breaking_until=timezone.now() + timedelta(hours=3),
        published_at=PUBLISHED,
        updated_at=PUBLISHED + timedelta(hours=2, minutes=10),
    )
    ArticleCorrection.objects.create(
        page=page,
        corrected_at=PUBLISHED + timedelta(hours=5),
        note="人数を「300人」から「314人」に訂正しました。",
    )
    return page


def get_tree(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response, lxml_html.fromstring(response.content.decode())


def text(element) -> str:
    return "".join(element.itertext()).strip()


def test_article_page_shows_every_element(client, wire_article):
    _, tree = get_tree(client, wire_article.url)
    assert tree.get("lang") == "ja"
    articles = tree.xpath("//article")
    assert len(articles) == 1
    article = articles[0]
    assert article.get("data-page-id") == str(wire_article.id)

    # Row 1: section label and breaking badge.
    assert text(article.xpath(".//a[contains(@class,'section-label')]")[0]) == "ワールド"
    assert text(article.xpath(".//*[contains(@class,'badge--breaking')]")[0]) == "速報"
    # Rows 2 and 17: one h1, label as data, BudouX breaks.
    h1s = tree.xpath("//h1")
    assert len(h1s) == 1
    assert text(h1s[0]) == "【解説】北方三国協議、合計314人の交流再開で合意　交渉継続"
    assert h1s[0].xpath(".//wbr")
    # Row 3: published and updated times.
    times = article.xpath(".//header//time")
    assert text(times[0]) == "2026年02月06日(金)01時55分"
    assert times[0].get("datetime") == "2026-02-06T01:55:00+09:00"
    assert text(times[1]) == "2026年02月06日(金)04時05分"
    # Row 4: figure, alt, caption and credit apart.
    figure = article.xpath(".//figure")[0]
    assert figure.xpath(".//img")[0].get("alt") == "握手する代表団"
    assert text(figure.xpath(".//figcaption/*[@class='caption']")[0]).startswith("協議を終えて")
    assert text(figure.xpath(".//figcaption/*[@class='credit']")[0]) == "ノルデン外務省/提供"
    # Row 5: structured bylines linking to author pages.
    bylines = article.xpath(".//*[contains(@class,'article__byline')]/a")
    assert [text(a) for a in bylines] == ["ミラ・コヴァレンコ", "トマス・ハンター"]
    assert all("/author/" in a.get("href") for a in bylines)
    # Rows 6 and 7: the dateline opens the first paragraph of the body.
    first_paragraph = article.xpath(".//*[contains(@class,'article__body')]/p")[0]
    assert text(first_paragraph).startswith("[ノルデン 6日 北辰] - 架空の北方三国は5日")
    # Rows 8 and 9: signature and copyright with the publish year.
    assert text(article.xpath(".//*[contains(@class,'article__signature')]")[0]) == "北辰"
    assert (
        text(article.xpath(".//*[contains(@class,'article__copyright')]")[0])
        == "Copyright (C) 2026 北辰通信(株) 記事の無断転用を禁じます。"
    )
    # Row 14: topic link.
    topic_links = article.xpath(".//nav[contains(@class,'article__topics')]//a")
    assert [text(a) for a in topic_links] == ["北方三国協議 記事まとめ"]
    # Corrections at the end.
    corrections = article.xpath(".//section[contains(@class,'article__corrections')]")
    assert "訂正" in text(corrections[0])
    assert "314人" in text(corrections[0])


def test_page_has_landmarks_and_skip_link(client, wire_article):
    _, tree = get_tree(client, wire_article.url)
    assert tree.xpath("//a[@class='skip-link' and @href='#main']")
    assert tree.xpath("//main[@id='main']")
    assert tree.xpath("//header") and tree.xpath("//footer") and tree.xpath("//nav")


def test_own_newsroom_story_has_no_signature_or_copyright(client):
    page = factories.article("japan", dateline_place="青葉市")
    _, tree = get_tree(client, page.url)
    assert not tree.xpath("//*[contains(@class,'article__signature')]")
    assert not tree.xpath("//*[contains(@class,'article__copyright')]")
    assert not tree.xpath("//*[contains(@class,'badge--breaking')]")
    assert not tree.xpath("//*[contains(@class,'article__updated')]")


def test_breaking_badge_disappears_after_expiry(client):
    page = factories.article(is_breaking=True, breaking_until=timezone.now() - timedelta(minutes=1))
    _, tree = get_tree(client, page.url)
    assert not tree.xpath("//*[contains(@class,'badge--breaking')]")


def test_article_renders_after_its_image_author_and_provider_are_deleted(client, wire_article):
    wire_article.lead_image.delete()
    AuthorPage.objects.get(slug="mira-kovalenko").delete()
    Provider.objects.all().delete()
    _, tree = get_tree(client, wire_article.url)
    assert not tree.xpath("//figure")
    assert [text(a) for a in tree.xpath("//*[contains(@class,'article__byline')]/a")] == [
        "トマス・ハンター"
    ]
    assert not tree.xpath("//*[contains(@class,'article__signature')]")
    assert text(tree.xpath("//h1")[0]).endswith("交渉継続")


def test_draft_and_unpublished_articles_are_404(client):
    draft = factories.article(publish=False)
    assert client.get(f"/world/{draft.slug}/").status_code == 404
    live = factories.article(title="あとで取り下げる記事")
    url = live.url
    assert client.get(url).status_code == 200
    live.unpublish()
    assert client.get(url).status_code == 404


def test_body_is_sanitised_on_save():
    page = factories.article(
        body='<p onclick="x()">本文<script>alert(1)</script>'
        '<a href="javascript:alert(1)">リンク</a></p>'
        '<p style="color:red">二段落</p>'
    )
    stored = ArticlePage.objects.get(pk=page.pk).body
    assert "script" not in stored and "onclick" not in stored
    assert "javascript:" not in stored and "style" not in stored
    assert "本文" in stored and "二段落" in stored


def test_article_page_weight_is_small(client, wire_article, settings):
    from django.contrib.staticfiles import finders

    response = client.get(wire_article.url)
    css = finders.find("news/css/site.css")
    with open(css, "rb") as handle:
        css_bytes = len(handle.read())
    assert len(response.content) + css_bytes < 60 * 1024


def test_article_page_needs_at_most_five_queries(
    client, wire_article, django_assert_max_num_queries
):
    client.get(wire_article.url)  # renditions and the site lookup are cached from here on
    with django_assert_max_num_queries(5):
        response = client.get(wire_article.url)
    assert response.status_code == 200


def test_article_page_takes_its_renditions_from_one_query_not_the_cache(
    client, wire_article, monkeypatch
):
    """Wagtail writes a rendition back to the renditions cache on every get_rendition; the
    article page reads the lead image's renditions with the article and writes nothing."""
    from django.core.cache import caches

    client.get(wire_article.url)  # creates the renditions
    writes = []
    renditions_cache = caches["renditions"]
    monkeypatch.setattr(renditions_cache, "set", lambda *args, **kwargs: writes.append(args))
    monkeypatch.setattr(renditions_cache, "set_many", lambda *args, **kwargs: writes.append(args))
    monkeypatch.setattr(renditions_cache, "get_many", lambda *args, **kwargs: writes.append(args))
    html = client.get(wire_article.url).content.decode()
    assert writes == []
    assert html.count(".webp") >= 3 and 'sizes="(min-width: 60rem) 44rem, 100vw"' in html
    assert 'property="og:image:width" content="1200"' in html
    assert html.count(".fill-1200x") >= 4  # the card and the three JSON-LD ratios
