"""The index follows publishing at once: publish, update, kill, delete, expiry, moves,
renamed reporters and topics, view restrictions; and rebuild_search_index repairs it."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from lxml import html as lxml_html
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import PageViewRestriction

from sokuho.news.models import ArticlePage
from sokuho.news.tests import factories
from sokuho.search.backends import get_search_backend
from sokuho.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def titles(client, q: str, **params) -> list[str]:
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    tree = lxml_html.fromstring(response.content.decode())
    return ["".join(a.itertext()) for a in tree.xpath("//ol[@class='search-results']/li/a")]


def test_publishing_indexes_at_once(client):
    page = factories.article("japan", title="台風が上陸", body="<p>本文。</p>")
    assert titles(client, "台風") == ["台風が上陸"]
    assert SearchDocument.objects.filter(page_id=page.pk).exists()


def test_drafts_are_not_indexed_until_published(client):
    page = factories.article("japan", title="台風の下書き", publish=False)
    assert titles(client, "台風") == []
    page.save_revision().publish()
    assert titles(client, "台風") == ["台風の下書き"]


def test_update_replaces_the_words(client):
    page = factories.article("japan", title="台風が接近", body="<p>初報。</p>")
    page.title = "台風が上陸　被害広がる"
    page.body = "<p>続報。原発への影響はない。</p>"
    page.save_revision().publish()
    assert titles(client, "上陸") == ["台風が上陸　被害広がる"]
    assert titles(client, "初報") == []
    assert titles(client, "原発") == ["台風が上陸　被害広がる"]
    assert titles(client, "台風") == ["台風が上陸　被害広がる"]  # one entry, not two
    assert SearchDocument.objects.count() == 1


def test_unsaved_draft_changes_are_not_searchable(client):
    page = factories.article("japan", title="台風が接近")
    page.title = "下書きの見出し"
    page.save_revision()  # not published: readers still see the live version
    assert titles(client, "台風") == ["台風が接近"]
    assert titles(client, "下書き") == []


def test_a_killed_article_leaves_the_results_immediately(client):
    page = factories.article("japan", title="誤報　台風の被害")
    assert titles(client, "台風") == ["誤報　台風の被害"]
    page.unpublish()
    assert titles(client, "台風") == []
    assert client.get("/api/search/", {"q": "台風"}).json()["count"] == 0
    assert not SearchDocument.objects.filter(page_id=page.pk).exists()
    page.save_revision().publish()  # republished after correction
    assert titles(client, "台風") == ["誤報　台風の被害"]


def test_unpublishing_a_section_takes_its_articles_out(client):
    factories.article("japan", title="台風　日本")
    factories.article("world", title="台風　世界")
    editor = get_user_model().objects.create_superuser("desk", "desk@example.invalid", "p" * 20)
    UnpublishPageAction(factories.section("japan"), user=editor, include_descendants=True).execute()
    assert titles(client, "台風") == ["台風　世界"]


def test_deleting_removes_the_entry(client):
    page = factories.article("japan", title="台風が上陸")
    page_id = page.pk
    page.delete()
    assert titles(client, "台風") == []
    assert not SearchDocument.objects.filter(page_id=page_id).exists()
    assert get_search_backend().indexed_page_ids() == set()


def test_expiry_unpublishes_and_unindexes(client):
    page = factories.article("japan", title="期限つきの台風情報")
    ArticlePage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    call_command("publish_scheduled", stdout=io.StringIO())
    assert titles(client, "台風") == []


def test_scheduled_article_is_indexed_when_it_goes_live(client):
    page = factories.article("japan", title="予約した台風情報", publish=False)
    page.go_live_at = timezone.now() - timedelta(minutes=1)
    page.save_revision().publish()  # a go-live in the past publishes at once
    assert titles(client, "台風") == ["予約した台風情報"]


def test_moving_an_article_updates_the_section_filter(client):
    page = factories.article("japan", title="台風が上陸")
    page.move(factories.section("world"), pos="last-child")
    assert titles(client, "台風", section="world") == ["台風が上陸"]
    assert titles(client, "台風", section="japan") == []
    assert ArticlePage.objects.get(pk=page.pk).section == factories.section("world")


def test_view_restricted_articles_are_not_searchable(client):
    page = factories.article("japan", title="会員限定の台風記事")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret-pass"
    )
    assert titles(client, "台風") == []
    restriction.delete()
    assert titles(client, "台風") == ["会員限定の台風記事"]


def test_renamed_reporter_is_found_by_the_new_name(client):
    reporter = factories.author("佐藤 健太", "kenta-sato")
    factories.article("japan", title="市議会が閉会", authors=[reporter])
    assert titles(client, "佐藤健太") == ["市議会が閉会"]
    reporter.title = "佐藤 健一"
    reporter.save_revision().publish()
    assert titles(client, "佐藤健一") == ["市議会が閉会"]
    assert titles(client, "健太") == []


def test_deleted_topic_is_no_longer_found(client, django_capture_on_commit_callbacks):
    topic = factories.topic("青葉市長選 記事まとめ", "aoba-election")
    factories.article("japan", title="候補者が出馬表明", topics=[topic])
    assert titles(client, "市長選") == ["候補者が出馬表明"]
    with django_capture_on_commit_callbacks(execute=True):
        topic.delete()
    assert titles(client, "市長選") == []
    assert titles(client, "出馬") == ["候補者が出馬表明"]


def test_index_rows_never_outlive_their_document():
    """After a flush (transactional tests), orphaned FTS5 rows are pruned on post_migrate."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("FTS5 storage is SQLite's")
    factories.article("japan", title="台風が上陸")
    SearchDocument.objects.all().delete()  # what a flush does: the model table only
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_fts")
        assert cursor.fetchone()[0] == 1
        get_search_backend().prune()
        cursor.execute("SELECT count(*) FROM search_fts")
        assert cursor.fetchone()[0] == 0


# -- rebuild ------------------------------------------------------------------------------


def test_rebuild_repairs_a_stale_index(client):
    kept = factories.article("japan", title="台風が上陸")
    backdated = factories.article("japan", title="台風の古い記事")
    gone = factories.article("japan", title="台風の消えた記事")
    # Changes that bypass signals: a QuerySet.update and a lost index row.
    ArticlePage.objects.filter(pk=backdated.pk).update(
        first_published_at=timezone.now() - timedelta(days=400)
    )
    ArticlePage.objects.filter(pk=gone.pk).update(live=False)
    get_search_backend().remove([kept.pk])
    assert get_search_backend().indexed_page_ids() == {backdated.pk, gone.pk}
    assert titles(client, "台風") == ["台風の古い記事"]  # hits no longer live are dropped

    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    output = out.getvalue()
    assert "[" + "#" * 30 + "] 2/2 件 (100%)" in output
    assert "2 件の記事を登録、1 件を削除" in output
    assert titles(client, "台風") == ["台風が上陸", "台風の古い記事"]
    assert get_search_backend().indexed_page_ids() == {kept.pk, backdated.pk}


def test_rebuild_of_an_empty_site():
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "0 件の記事を登録、0 件を削除" in out.getvalue()


def test_hostile_article_text_is_indexed_without_error(client):
    """Very long words, huge bodies and odd characters must never break publishing."""
    long_word = "a" * 5000
    factories.article(
        "japan",
        title="長い単語の記事　" + "x" * 200,
        body=f"<p>{long_word} {long_word} 台風</p><p>{'東京都の知事。' * 8000}</p>"
        "<p>\u0000 \ufffe 𠮷野家 \ue000 ﷺ</p>",
    )
    assert titles(client, "台風") == ["長い単語の記事　" + "x" * 200]
    assert titles(client, "知事") == ["長い単語の記事　" + "x" * 200]


def test_migrate_indexes_live_articles_the_index_lacks(client):
    from sokuho.search.indexing import index_missing

    first = factories.article("japan", title="台風が上陸")
    second = factories.article("japan", title="台風の続報")
    restricted = factories.article("japan", title="台風の会員記事")
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="secret-pass"
    )
    get_search_backend().remove([first.pk, second.pk])
    assert titles(client, "台風") == []
    assert index_missing() == 2  # the restricted article is checked, not indexed
    assert titles(client, "台風") == ["台風の続報", "台風が上陸"]
    assert index_missing() == 0


def test_relevance_ranks_the_newest_hits_and_lists_older_ones_after(client, monkeypatch):
    from sokuho.search.backends import BaseSearchBackend

    monkeypatch.setattr(BaseSearchBackend, "relevance_window", 3)
    start = timezone.now() - timedelta(days=10)
    for day, title in enumerate(
        ["台風 一", "台風 台風 台風 二", "台風 三", "台風 四", "台風 台風 五"]
    ):
        factories.article("japan", title=title, first_published_at=start + timedelta(days=day))
    api = client.get("/api/search/", {"q": "台風", "order": "relevance"}).json()
    # 五, 四 and 三 are the newest three: ranked (五 says 台風 twice); 二 and 一 follow.
    assert [r["title"] for r in api["results"]] == [
        "台風 台風 五",
        "台風 四",
        "台風 三",
        "台風 台風 台風 二",
        "台風 一",
    ]
