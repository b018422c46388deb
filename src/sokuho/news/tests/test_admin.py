"""The editor's side: the Japanese admin refuses incomplete articles in Japanese."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from sokuho.news.models import ArticlePage
from sokuho.news.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser("desk", "desk@example.invalid", "p" * 20)
    client.force_login(user)
    return client


def add_url() -> str:
    return f"/admin/pages/add/news/articlepage/{factories.section('japan').id}/"


def post_article(client, **fields):
    data = {
        "title": "",
        "slug": "",
        "summary": "",
        "body": rich_text(""),
        "dateline_place": "",
        "bylines": inline_formset([]),
        "corrections": inline_formset([]),
        "comments": inline_formset([]),
    }
    data.update(fields)
    return client.post(add_url(), nested_form_data(data))


def test_admin_is_in_japanese(editor_client):
    response = editor_client.get(add_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="ja"' in page
    assert "見出し" in page and "本文" in page and "発信地" in page


def test_article_without_headline_or_body_is_refused_in_japanese(editor_client):
    response = post_article(editor_client)
    assert response.status_code == 200  # the form again, not a redirect
    page = response.content.decode()
    assert "この項目は必須です" in page
    assert not ArticlePage.objects.exists()


def test_label_typed_into_headline_is_refused(editor_client):
    response = post_article(
        editor_client, title="【クイズ】青葉市の人口は？", body=rich_text("本文です。")
    )
    assert "「ラベル」欄で選んでください" in response.content.decode()
    assert not ArticlePage.objects.exists()


def test_valid_article_is_saved_with_an_ascii_slug(editor_client):
    response = post_article(
        editor_client, title="青葉市で路面電車が開業", body=rich_text("初日の利用者は1万人。")
    )
    assert response.status_code == 302
    page = ArticlePage.objects.get()
    assert page.slug.isascii() and page.slug
    assert page.section.slug == "japan"
    assert "初日の利用者は1万人" in page.body


def test_photo_without_alt_text_is_refused(editor_client):
    photo = factories.image()
    response = post_article(
        editor_client, title="写真つき記事", body=rich_text("本文。"), lead_image=photo.id
    )
    assert "代替テキストが必要です" in response.content.decode()
