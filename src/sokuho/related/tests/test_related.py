"""あわせて読みたい: chosen by content, never the article itself, never what may not be
promoted, recomputed when a read goes away; shown from the HTML a reader gets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from lxml import html as lxml_html
from wagtail.models import Page

from sokuho.news.tests import factories
from sokuho.related import reads, similarity
from sokuho.related.models import IndexedArticle, Posting, RelatedRead, Term

pytestmark = pytest.mark.django_db

TRAM = "<p>青葉市の路面電車が延伸し、新しい停留所が開業した。路面電車の利用者は増えている。</p>"
ELECTION = "<p>青葉市長選の投票が行われ、新人候補が当選した。市長選の投票率は上昇した。</p>"
WEATHER = "<p>台風が接近し、気象台は大雨と暴風に警戒するよう呼びかけた。</p>"


@pytest.fixture
def newsroom():
    """Five tram stories, three election stories, three weather stories."""
    stories = {}
    for n in range(5):
        stories[f"tram{n}"] = factories.article(
            "japan", title=f"青葉市の路面電車、延伸区間{n}が開業", body=TRAM
        )
    for n in range(3):
        stories[f"election{n}"] = factories.article(
            "japan", title=f"青葉市長選、候補者{n}が出馬表明", body=ELECTION
        )
    for n in range(3):
        stories[f"weather{n}"] = factories.article(
            "life", title=f"台風{n}号が接近、大雨に警戒", body=WEATHER
        )
    return stories


def related_ids(article) -> list[int]:
    return list(
        RelatedRead.objects.filter(article=article)
        .order_by("rank")
        .values_list("related_id", flat=True)
    )


def test_related_reads_are_computed_on_publish_by_content(newsroom):
    tram = factories.article("japan", title="路面電車の新型車両、来春に導入へ", body=TRAM)
    chosen = related_ids(tram)
    assert len(chosen) == 4
    tram_ids = {newsroom[f"tram{n}"].id for n in range(5)}
    assert set(chosen) <= tram_ids
    assert tram.id not in chosen
    assert len(set(chosen)) == 4


def test_the_aside_shows_four_links_with_section_labels(client, newsroom):
    page = newsroom["election0"]
    page.save_revision().publish()  # recompute now that all the stories exist
    response = client.get(page.url)
    tree = lxml_html.fromstring(response.content.decode())
    asides = tree.xpath("//aside[contains(@class,'related')]")
    assert len(asides) == 1
    assert [h.text_content() for h in asides[0].xpath(".//h2")] == ["あわせて読みたい"]
    assert response.content.decode().count("あわせて読みたい") == 1
    links = asides[0].xpath(".//a")
    assert len(links) == 4
    assert len({link.get("href") for link in links}) == 4
    assert page.url not in {link.get("href") for link in links}
    for link in links:
        assert link.xpath(".//*[contains(@class,'section-label')]")[0].text in {"日本", "ライフ"}
    titles = [link.xpath(".//*[@class='related__title']")[0].text for link in links]
    assert sum("市長選" in title for title in titles) == 2  # the other two election stories


def test_never_the_article_itself_nor_an_unpublished_or_killed_one(newsroom):
    page = newsroom["tram0"]
    page.save_revision().publish()
    chosen = related_ids(page)
    assert page.id not in chosen
    killed_id = chosen[0]
    newsroom_by_id = {story.id: story for story in newsroom.values()}
    newsroom_by_id[killed_id].unpublish()
    # Recomputed on unpublish: still four, without the killed story.
    recomputed = related_ids(page)
    assert killed_id not in recomputed
    assert len(recomputed) == 4
    assert not IndexedArticle.objects.filter(article_id=killed_id).exists()
    # No other article shows it either.
    assert not RelatedRead.objects.filter(related_id=killed_id).exists()


def test_deleted_articles_are_replaced(newsroom):
    page = newsroom["tram0"]
    page.save_revision().publish()
    gone_id = related_ids(page)[0]
    newsroom_by_id = {story.id: story for story in newsroom.values()}
    newsroom_by_id[gone_id].delete()
    recomputed = related_ids(page)
    assert gone_id not in recomputed
    assert len(recomputed) == 4
    assert not Posting.objects.filter(article_id=gone_id).exists()


def test_drafts_embargoed_and_sponsored_articles_are_never_chosen(newsroom):
    from sokuho.sponsored.models import Sponsor

    draft = factories.article("japan", title="路面電車の延伸区間、下書き", body=TRAM, publish=False)
    embargoed = factories.article(
        "japan", title="路面電車の延伸区間、解禁前", body=TRAM, publish=False
    )
    embargoed.go_live_at = timezone.now() + timedelta(days=1)
    embargoed.save_revision().publish()  # scheduled, not live
    embargoed.refresh_from_db()
    assert not embargoed.live
    sponsor = Sponsor.objects.create(name="路面電車メーカー（テスト）")
    advert = factories.article(
        "japan", title="提供：路面電車の最新車両", body=TRAM * 3, sponsor=sponsor
    )
    page = factories.article("japan", title="路面電車の延伸区間、利用好調", body=TRAM)
    chosen = related_ids(page)
    assert len(chosen) == 4
    assert not {draft.id, embargoed.id, advert.id} & set(chosen)
    assert not IndexedArticle.objects.filter(article_id__in=[draft.id, embargoed.id, advert.id])
    # A sponsored article still gets editorial reads of its own.
    assert len(related_ids(advert)) == 4


def test_too_few_similar_stories_are_filled_with_the_newest(newsroom):
    lonely = factories.article(
        "life", title="猫の写真展が開幕", body="<p>猫の写真展が開幕した。</p>"
    )
    chosen = related_ids(lonely)
    assert len(chosen) == 4
    weather_ids = {newsroom[f"weather{n}"].id for n in range(3)}
    assert weather_ids <= set(chosen)  # the same section first


def test_shared_topic_boosts(newsroom):
    topic = factories.topic()
    for n in (3, 4):
        story = newsroom[f"tram{n}"]
        story.topics = [topic]
        story.save_revision().publish()
    page = factories.article(
        "japan", title="路面電車の延伸区間、来月開業", body=TRAM, topics=[topic]
    )
    assert set(related_ids(page)[:2]) == {newsroom["tram3"].id, newsroom["tram4"].id}


def test_the_aside_is_one_query_and_shows_the_database_as_it_is(
    newsroom, django_assert_num_queries
):
    page = newsroom["weather2"]  # published last: all the others were there to choose
    first = reads.for_article(page.id)
    assert len(first) == 4
    with django_assert_num_queries(1):
        assert reads.for_article(page.id) == first
    # Changed behind every signal's back: the box still follows the database at once.
    shown = related_ids(page)
    Page.objects.filter(id=shown[0]).update(title="台風の進路予想を更新")
    Page.objects.filter(id=shown[1]).update(live=False)
    now = reads.for_article(page.id)
    assert now[0]["title"] == "台風の進路予想を更新"
    assert first[1]["url"] not in [item["url"] for item in now]
    assert len(now) == 3


def test_a_retitled_read_is_shown_with_its_new_title(client, newsroom):
    page = newsroom["tram4"]
    page.save_revision().publish()
    target_id = related_ids(page)[0]
    client.get(page.url)  # cache the box
    target = {story.id: story for story in newsroom.values()}[target_id]
    target.title = "路面電車、延伸区間の名称を変更"
    target.save_revision().publish()
    tree = lxml_html.fromstring(client.get(page.url).content.decode())
    titles = [t.text_content() for t in tree.xpath("//*[@class='related__title']")]
    assert "路面電車、延伸区間の名称を変更" in titles


def test_index_document_frequencies_follow_the_articles(newsroom):
    term = Term.objects.get(text="路面電車")
    assert term.df == 5
    newsroom["tram0"].unpublish()
    term.refresh_from_db()
    assert term.df == 4
    assert IndexedArticle.objects.count() == 10


def test_noun_extraction_weights_the_headline():
    terms = similarity.article_terms("路面電車が開業", "", "<p>青葉市で<b>開業</b>式。</p>")
    assert terms["路面電車"] == similarity.TITLE_WEIGHT
    assert terms["開業"] == similarity.TITLE_WEIGHT + 1
    assert "b" not in terms


def test_rebuild_all_matches_publishing(newsroom):
    page = newsroom["election1"]
    page.save_revision().publish()
    before = related_ids(page)
    reads.rebuild_all()
    assert related_ids(page) == before
    assert IndexedArticle.objects.count() == 11


def test_quiz_articles_get_and_give_related_reads(newsroom, client):
    from sokuho.quizzes.tests.test_quiz import make_quiz

    quiz = make_quiz()
    assert len(related_ids(quiz)) == 4
    assert IndexedArticle.objects.filter(article_id=quiz.id).exists()
    quiz.unpublish()
    assert not IndexedArticle.objects.filter(article_id=quiz.id).exists()


def test_a_stale_index_entry_is_dropped_not_shown(newsroom):
    from sokuho.news.models import ArticlePage

    page = newsroom["tram0"]
    page.save_revision().publish()
    stale_id = related_ids(page)[0]
    # Unpublished behind the signals' back (a raw update): the index still has it.
    ArticlePage.objects.filter(id=stale_id).update(live=False)
    assert IndexedArticle.objects.filter(article_id=stale_id).exists()
    assert stale_id not in reads.update(page.id)
    assert len(related_ids(page)) == 4
    assert not IndexedArticle.objects.filter(article_id=stale_id).exists()
