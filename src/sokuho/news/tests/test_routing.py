"""The article fast path finds exactly what Django's ORM would, from SQL compiled once."""

import threading

import pytest
from django.db import connection
from wagtail.models import Site

from sokuho.news.models import ArticlePage
from sokuho.news.routing import ARTICLE_RELATIONS, find_live_article
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
