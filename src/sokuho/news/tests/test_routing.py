"""The article fast path finds exactly what Django's ORM would, from SQL compiled once."""

import threading

import pytest
from django.db import connection
from wagtail.models import Site

from sokuho.news.models import ArticlePage
from sokuho.news.routing import ARTICLE_RELATIONS, find_live_article, page_urls
from sokuho.news.tests import factories
from sokuho.sponsored.models import Sponsor

pytestmark = pytest.mark.django_db


def path_of(page) -> str:
    return page.url.strip("/")


def test_same_article_and_relations_as_the_orm():
    reporter = factories.author()
    topic = factories.topic()
    sponsor = Sponsor.objects.create(name="広告主（テスト用）")
    page = factories.article(
        "japan",
        title="高速経路の記事",
        authors=[reporter],
        topics=[topic],
        lead_image=factories.image(),
        lead_image_alt="開業した路面電車（テスト用）",
        provider=factories.provider(),
        sponsor=sponsor,
        ad_label="PR",
    )
    site = Site.objects.get(is_default_site=True)
    found = find_live_article(site, path_of(page))
    expected = ArticlePage.objects.select_related(*ARTICLE_RELATIONS).get(pk=page.pk)
    for field in ArticlePage._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    for relation in ARTICLE_RELATIONS:
        assert getattr(found, relation) == getattr(expected, relation), relation
    assert found.lead_image.width == expected.lead_image.width
    assert found.section.title == expected.section.title
    assert [b.author.title for b in found.bylines.all()] == [reporter.title]
    assert [t.title for t in found.topics.all()] == [topic.title]


def test_missing_draft_and_unpublished_articles_are_not_found():
    site = Site.objects.get(is_default_site=True)
    live = factories.article("japan", title="公開中")
    draft = factories.article("japan", title="下書き", publish=False)
    assert find_live_article(site, path_of(live)).pk == live.pk
    assert find_live_article(site, path_of(draft)) is None
    assert find_live_article(site, "japan/no-such-article") is None
    assert find_live_article(site, "japan") is None
    live.unpublish()
    assert find_live_article(site, path_of(live)) is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_works_in_other_threads_and_after_the_connection_closes():
    site = Site.objects.get(is_default_site=True)
    page = factories.article("japan")
    assert find_live_article(site, path_of(page)).pk == page.pk
    connection.close()
    assert find_live_article(site, path_of(page)).pk == page.pk
    found = []

    def in_thread():
        from django.db import connections

        try:  # its own connection, and its own compiled query
            found.append(find_live_article(site, path_of(page)).pk)
        finally:
            connections.close_all()

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join()
    assert found == [page.pk]


def test_page_urls_are_wagtails_own_and_follow_a_renamed_slug():
    from django.urls import set_script_prefix
    from wagtail.models import Page

    reporter = factories.author()
    page = factories.article("japan", title="URLの記事（テスト用）", authors=[reporter])
    for shown in (page, page.section, reporter, Site.objects.get(is_default_site=True).root_page):
        specific = shown.specific
        assert specific.get_url_parts() == Page.get_url_parts(specific)
    assert page.url == f"/japan/{page.slug}/"

    page.slug = "renamed-article"
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.url == "/japan/renamed-article/"
    assert page.get_full_url().endswith("/japan/renamed-article/")

    set_script_prefix("/news/")  # mounted under a path: the prefix is part of every URL
    try:
        assert page.url == "/news/japan/renamed-article/"
    finally:
        set_script_prefix("/")


def test_an_article_without_bylines_topics_or_corrections_is_one_query(
    django_assert_num_queries,
):
    site = Site.objects.get(is_default_site=True)
    bare = factories.article("japan", title="署名もまとめもない記事（テスト用）")
    find_live_article(site, path_of(bare))  # compiles the queries
    with django_assert_num_queries(1):
        found = find_live_article(site, path_of(bare))
        assert list(found.bylines.all()) == []
        assert list(found.topics.all()) == []
        assert list(found.corrections.all()) == []

    reporter, topic = factories.author(), factories.topic()
    full = factories.article("japan", title="全部ある記事（テスト用）", authors=[reporter])
    full.topics = [topic]
    full.corrections.create(note="第2段落の日付を訂正しました。")
    full.save_revision().publish()
    with django_assert_num_queries(4):
        found = find_live_article(site, path_of(full))
        assert [b.author.title for b in found.bylines.all()] == [reporter.title]
        assert [t.title for t in found.topics.all()] == [topic.title]
        assert [c.note for c in found.corrections.all()] == ["第2段落の日付を訂正しました。"]


def test_page_urls_without_loading_the_pages_are_wagtails():
    from django.urls import set_script_prefix

    reporter = factories.author()
    page = factories.article("japan", title="URLだけの記事（テスト用）", authors=[reporter])
    pages = [page, page.section, reporter]
    assert page_urls([p.url_path for p in pages]) == [p.get_url() for p in pages]
    set_script_prefix("/news/")
    try:
        assert page_urls([page.url_path]) == [f"/news/japan/{page.slug}/"]
    finally:
        set_script_prefix("/")


def test_loaded_pages_are_django_models_as_the_orm_makes_them():
    reporter = factories.author()
    page = factories.article("japan", title="読み込みの記事（テスト用）", authors=[reporter])
    loaded = ArticlePage.objects.get(pk=page.pk)
    assert loaded._state.adding is False and loaded._state.db == "default"
    assert loaded.content_type_id == page.content_type_id
    assert loaded.show_in_menus == page.show_in_menus
    deferred = ArticlePage.objects.only("title").get(pk=page.pk)
    assert deferred.get_deferred_fields() >= {"summary", "body"}
    assert deferred.summary == page.summary  # loaded on access, as Django does
    loaded.title = "読み込みの記事、改題（テスト用）"
    loaded.save_revision().publish()
    assert ArticlePage.objects.get(pk=page.pk).title == "読み込みの記事、改題（テスト用）"


def test_page_constructors_still_act_only_on_new_pages():
    """ReaderPageMixin.from_db skips the constructors below Model's; that is right only
    while they are these (Wagtail's act on pages without an id, modelcluster's on child
    relations passed in). A new one in an upgrade must be looked at before this passes."""
    from django.db.models import Model
    from modelcluster.models import ClusterableModel
    from wagtail.models.pages import AbstractPage, ShowInMenusMixin

    from sokuho.news.models import AuthorPage, HomePage, SectionPage, TopicPage

    for model in (ArticlePage, AuthorPage, HomePage, SectionPage, TopicPage):
        constructors = {klass for klass in model.__mro__ if "__init__" in vars(klass)}
        assert constructors == {AbstractPage, ShowInMenusMixin, ClusterableModel, Model, object}


def test_an_article_page_looks_up_the_site_root_paths_once_for_its_pages(
    client, monkeypatch, settings
):
    """The article, its section, reporter and topic share the request's lookup (as
    Wagtail's get_url(request) would); the related-reads box makes its own."""
    settings.SOKUHO_PAGE_CACHE = False  # rendered every time
    reporter, topic = factories.author(), factories.topic()
    page = factories.article("japan", title="共有の記事（テスト用）", authors=[reporter])
    page.topics = [topic]
    page.save_revision().publish()
    links = [f'href="{shown.url}"' for shown in (page.section, reporter, topic)]
    client.get(page.url)
    lookups = []
    original = Site.get_site_root_paths
    monkeypatch.setattr(
        Site, "get_site_root_paths", staticmethod(lambda: lookups.append(1) or original())
    )
    html = client.get(page.url).content.decode()
    assert all(link in html for link in links)
    assert f'<link rel="canonical" href="{page.full_url}">' in html
    assert len(lookups) == 2


def test_a_full_article_page_reads_nothing_it_did_not_load(
    client, settings, django_assert_num_queries
):
    """Every part of the page shown, with the fields the fast path leaves in the database
    (UNSHOWN_PAGE_FIELDS, the section's): no query beyond the planned ones."""
    from sokuho.sponsored.models import BrandedSeries

    settings.SOKUHO_PAGE_CACHE = False
    reporter, topic = factories.author(), factories.topic()
    sponsor = Sponsor.objects.create(name="広告主（テスト用）")
    series = BrandedSeries.objects.create(title="特集（テスト用）", slug="tokushu", sponsor=sponsor)
    page = factories.article(
        "japan",
        title="全部入りの記事（テスト用）",
        authors=[reporter],
        lead_image=factories.image(),
        lead_image_alt="写真（テスト用）",
        provider=factories.provider(),
        sponsor=sponsor,
        branded_series=series,
        ad_label="PR",
    )
    page.topics = [topic]
    page.corrections.create(note="見出しを訂正しました。")
    page.save_revision().publish()
    client.get(page.url)  # renditions made, queries compiled
    # article, bylines, topics, corrections, renditions, related reads
    with django_assert_num_queries(6):
        html = client.get(page.url).content.decode()
    for shown in (
        "全部入りの記事（テスト用）",
        reporter.title,
        topic.title,
        "見出しを訂正しました。",
    ):
        assert shown in html
    assert "特集（テスト用）" in html and page.section.title in html
