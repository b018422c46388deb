"""The 人気ランキング box on the home, section and article pages, read from the HTML."""

from __future__ import annotations

import time

import pytest
from django.template import engines
from lxml import html as lxml_html

from sokuho.ja.width import display_width
from sokuho.news.tests import factories
from sokuho.rankings import counting, snapshot
from sokuho.rankings.tests.test_counting import CHROME

pytestmark = pytest.mark.django_db

LONG = "架空の北方三国協議、合計314人の交流再開で合意　交渉は来月にも再開へ、関係者が明らかに"


@pytest.fixture
def ranked():
    """12 articles; article n gets n readers now, in the last week and in the month."""
    now = time.time()
    articles = []
    for n in range(1, 13):
        title = LONG if n == 12 else f"架空の記事その{n}、市議会で予算案可決"
        section = ("world", "business", "japan")[n % 3]
        articles.append(factories.article(section, title=title, label="解説" if n == 5 else ""))
    for n, article in enumerate(articles, start=1):
        for reader in range(n):
            ip = f"192.0.2.{reader + 1}"
            counting.count_view(article.id, ip, CHROME, at=now - 60)
            counting.count_view(article.id, ip, CHROME, at=now - 3 * 86400)
            counting.count_view(article.id, ip, CHROME, at=now - 20 * 86400)
    # Older favourites: article 1 was the most read three days ago, article 2 in the month.
    for reader in range(40):
        counting.count_view(articles[0].id, f"198.51.100.{reader}", CHROME, at=now - 3 * 86400)
        counting.count_view(articles[1].id, f"203.0.113.{reader}", CHROME, at=now - 20 * 86400)
    snapshot.refresh(now)
    return articles


def get_tree(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return lxml_html.fromstring(response.content.decode())


def box_lists(tree) -> dict[str, list]:
    boxes = tree.xpath("//*[contains(concat(' ', @class, ' '), ' ranking ')]")
    assert len(boxes) == 1
    box = boxes[0]
    assert box.tag in ("aside", "section")
    assert [h.text_content() for h in box.xpath(".//h2")] == ["人気ランキング"]
    lists = {ol.get("data-window"): ol for ol in box.xpath(".//ol[@data-window]")}
    assert list(lists) == ["24h", "7d", "30d"]
    return lists


def test_three_lists_of_ten_on_the_article_page(client, ranked):
    tree = get_tree(client, ranked[0].url)
    lists = box_lists(tree)
    for ol in lists.values():
        assert len(ol.xpath("./li/a")) == 10
    ids = {article.title: article.id for article in ranked}
    top_24h = [a.get("title") for a in lists["24h"].xpath("./li/a")]
    assert top_24h[0] == LONG
    assert top_24h[1] == f"架空の記事その{11}、市議会で予算案可決"
    assert "【解説】架空の記事その5、市議会で予算案可決" in top_24h
    assert lists["7d"].xpath("./li/a")[0].get("title") == ranked[0].title
    assert lists["30d"].xpath("./li/a")[0].get("title") == ranked[1].title
    assert len(ids) == 12


def test_each_item_has_rank_section_and_a_cut_headline(client, ranked):
    lists = box_lists(get_tree(client, "/"))
    links = lists["24h"].xpath("./li/a")
    assert [a.xpath(".//*[@class='ranking__rank']")[0].text for a in links] == [
        str(n) for n in range(1, 11)
    ]
    for link in links:
        assert link.xpath(".//*[contains(@class,'section-label')]")[0].text in {
            "ワールド",
            "ビジネス",
            "日本",
        }
        shown = link.xpath(".//*[@class='ranking__title']")[0].text_content()
        full = link.get("title")
        assert display_width(shown) <= snapshot.HEADLINE_COLUMNS
        if shown == full:
            assert not shown.endswith("…")
        else:
            assert shown.endswith("…")
            assert full.startswith(shown[:-1])
    assert links[0].xpath(".//*[@class='ranking__title']")[0].text_content().endswith("…")


def test_tabs_switch_without_javascript_and_stay_accessible(client, ranked):
    tree = get_tree(client, "/world/")
    box_lists(tree)
    radios = tree.xpath("//fieldset[contains(@class,'ranking__tabs')]//input[@type='radio']")
    assert [r.get("value") for r in radios] == ["24h", "7d", "30d"]
    assert [r.get("checked") is not None for r in radios] == [True, False, False]
    assert tree.xpath("//fieldset[contains(@class,'ranking__tabs')]/legend")
    labels = {
        label.get("for"): label.text_content()
        for label in tree.xpath("//fieldset[contains(@class,'ranking__tabs')]//label")
    }
    assert [labels[r.get("id")] for r in radios] == ["24時間", "週間", "月間"]
    # Each list keeps a heading of its own for browsers without :has() and screen readers.
    assert [h.text_content() for h in tree.xpath("//h3[@class='ranking__window']")] == [
        "24時間",
        "週間",
        "月間",
    ]


def test_an_unpublished_article_leaves_the_box_at_once(client, ranked):
    gone = ranked[-1]
    gone.unpublish()
    lists = box_lists(get_tree(client, ranked[0].url))
    titles = [a.get("title") for ol in lists.values() for a in ol.xpath("./li/a")]
    assert LONG not in titles
    assert len(lists["24h"].xpath("./li/a")) == 10  # the 11th moved up


def test_sponsored_articles_are_not_ranked():
    from sokuho.sponsored.models import Sponsor

    sponsor = Sponsor.objects.create(name="テスト提供株式会社")
    advert = factories.article(title="提供記事：新しい家電の選び方", sponsor=sponsor)
    story = factories.article(title="市議会で予算案可決")
    for reader in range(5):
        counting.count_view(advert.id, f"192.0.2.{reader}", CHROME)
    counting.count_view(story.id, "192.0.2.200", CHROME)
    current = snapshot.refresh()
    assert [item["id"] for item in current["windows"][0]["items"]] == [story.id]


def test_rendering_the_box_is_one_cache_get_and_no_query(ranked, django_assert_num_queries):
    template = engines["jinja2"].from_string("{{ ranking_box() }}")
    with django_assert_num_queries(0):
        html = template.render({})
    assert html.count("<li>") == 30


def test_no_box_before_the_first_refresh(client):
    factories.article()
    assert snapshot.current() is None
    tree = get_tree(client, "/")
    assert not tree.xpath("//*[contains(concat(' ', @class, ' '), ' ranking ')]")


def test_an_empty_window_says_so(client):
    factories.article()
    snapshot.refresh()
    tree = get_tree(client, "/")
    assert [li.text_content() for li in tree.xpath("//ol[@data-window='24h']/li")] == [
        "集計中です。"
    ]


def test_the_refresh_job_is_registered():
    from sokuho.scheduler.jobs import registered_jobs

    jobs = {job.name: job for job in registered_jobs()}
    assert jobs["rankings_refresh"].every_seconds <= 60
    assert jobs["rankings_refresh"].func is snapshot.refresh
    assert jobs["rankings_flush"].func is counting.flush
