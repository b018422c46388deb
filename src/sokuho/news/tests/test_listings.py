from datetime import timedelta

import pytest
from django.utils import timezone
from lxml import html as lxml_html

from sokuho.news.tests import factories

pytestmark = pytest.mark.django_db


def tree_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status
    return lxml_html.fromstring(response.content.decode())


def titles(tree) -> list[str]:
    return ["".join(node.itertext()) for node in tree.xpath("//*[@class='article-item__title']")]


def test_home_has_breaking_strip_top_stories_and_sections(client):
    factories.article(
        "business", title="東和電機が新工場　港北県に", published_at=factories.hours_ago(5)
    )
    factories.article(
        "japan",
        title="青葉川が増水　避難指示",
        is_breaking=True,
        breaking_until=timezone.now() + timedelta(hours=2),
        published_at=factories.hours_ago(1),
    )
    factories.article(
        "japan",
        title="終わった速報",
        is_breaking=True,
        breaking_until=timezone.now() - timedelta(hours=1),
        published_at=factories.hours_ago(9),
    )
    tree = tree_of(client, "/")
    strip = tree.xpath("//section[contains(@class,'breaking-strip')]")[0]
    assert "ニュース速報" in "".join(strip.xpath(".//h2")[0].itertext())
    strip_text = "".join(strip.itertext())
    assert "青葉川が増水" in strip_text
    assert "終わった速報" not in strip_text
    lead = tree.xpath("//section[contains(@class,'top-stories')]//h3")[0]
    assert "青葉川が増水" in "".join(lead.itertext())
    section_headings = [
        "".join(h.itertext()) for h in tree.xpath("//section[contains(@class,'section-block')]/h2")
    ]
    assert section_headings == ["ワールド", "ビジネス", "日本", "テック", "カルチャー", "ライフ"]
    nav = ["".join(a.itertext()) for a in tree.xpath("//nav[@aria-label='セクション']//a")]
    assert nav[0] == "ニュース速報" and "ワールド" in nav and "ライフ" in nav


def test_breaking_list_page(client):
    factories.article(
        title="港北県で震度5弱",
        is_breaking=True,
        breaking_until=timezone.now() + timedelta(hours=1),
    )
    factories.article(title="通常の記事")
    tree = tree_of(client, "/breaking/")
    assert titles(tree) == ["港北県で震度5弱"]


def test_section_page_lists_newest_first_20_per_page(client):
    for number in range(23):
        factories.article(
            "tech", title=f"テック記事その{number}", published_at=factories.hours_ago(number + 1)
        )
    factories.article("life", title="暮らしの記事")
    first = titles(tree_of(client, "/tech/"))
    assert len(first) == 20
    assert first[0] == "テック記事その0" and first[19] == "テック記事その19"
    second = titles(tree_of(client, "/tech/?page=2"))
    assert second == ["テック記事その20", "テック記事その21", "テック記事その22"]
    assert "暮らしの記事" not in first + second


@pytest.mark.parametrize("bad", ["x", "-1", "0", "99999", "1e9", "%00", "２"])
def test_bad_page_parameter_gives_a_page_not_an_error(client, bad):
    factories.article("tech", title="ただひとつの記事")
    response = client.get("/tech/", {"page": bad})
    assert response.status_code == 200
    assert titles(lxml_html.fromstring(response.content.decode())) == ["ただひとつの記事"]


def test_topic_and_author_pages_list_their_articles(client):
    reporter = factories.author()
    topic = factories.topic()
    factories.article(title="市長選の告示", topics=[topic], authors=[reporter])
    factories.article(title="関係ない記事")
    topic_tree = tree_of(client, topic.url)
    assert titles(topic_tree) == ["市長選の告示"]
    assert "/author/" in reporter.url
    author_tree = tree_of(client, reporter.url)
    assert titles(author_tree) == ["市長選の告示"]
    assert "山田 花子" in tree_of(client, "/author/").text_content()
    assert "青葉市長選 記事まとめ" in tree_of(client, "/topics/").text_content()


def test_unknown_url_gets_japanese_404_page(client):
    response = client.get("/world/no-such-article/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "ページが見つかりません" in body
    assert 'lang="ja"' in body and "site.css" in body
    assert client.get("/no/such/deep/path/").status_code == 404


def test_500_page_is_japanese_and_styled():
    from django.template.loader import get_template

    page = get_template("500.html").render()
    assert "エラーが発生しました" in page and "site.css" in page and 'lang="ja"' in page


def test_the_header_lists_every_section_and_marks_the_one_shown(client):
    article = factories.article("japan", title="見出しの記事（テスト用）")
    factories.article("life", title="暮らしの記事（テスト用）")

    def nav(url):
        tree = lxml_html.fromstring(client.get(url).content.decode())
        links = tree.xpath("//nav[contains(@class,'site-nav')]//a")
        current = [link.get("href") for link in links if link.get("aria-current") == "page"]
        return [link.get("href") for link in links], current

    on_section, current = nav("/japan/")
    assert {"/japan/", "/life/"} <= set(on_section)
    assert current == ["/japan/"]
    assert nav("/japan/?page=2")[1] == ["/japan/"]
    assert nav("/life/")[1] == ["/life/"]
    on_article, current = nav(article.url)
    assert on_article == on_section and current == []
