"""Anonymous readers get cached pages; publishing, updating or killing purges them."""

import time

import pytest
from django.contrib.auth import get_user_model
from lxml import html as lxml_html

from sokuho.news.tests import factories
from sokuho.pagecache.tags import SITE, purge

pytestmark = pytest.mark.django_db


def headline(response) -> str:
    return "".join(lxml_html.fromstring(response.content).xpath("//h1")[0].itertext())


def titles(response) -> list[str]:
    tree = lxml_html.fromstring(response.content)
    return ["".join(n.itertext()) for n in tree.xpath("//*[@class='article-item__title']")]


def test_second_anonymous_request_is_a_hit_with_no_queries(client, django_assert_num_queries):
    page = factories.article(title="キャッシュされる記事")
    first = client.get(page.url)
    assert first["X-Cache"] == "MISS"
    with django_assert_num_queries(0):
        second = client.get(page.url)
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content


def test_cdn_headers_etag_and_304(client):
    page = factories.article()
    response = client.get(page.url)
    assert "s-maxage=" in response["Cache-Control"]
    assert "stale-while-revalidate=" in response["Cache-Control"]
    assert f"page:{page.id}" in response["Surrogate-Key"].split()
    assert response["xkey"] == response["Surrogate-Key"]
    etag = response["ETag"]
    again = client.get(page.url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert client.get(page.url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_update_purges_the_article_and_every_list(client):
    topic = factories.topic()
    reporter = factories.author()
    page = factories.article("japan", title="初報の見出し", topics=[topic], authors=[reporter])
    urls = [page.url, "/", "/japan/", topic.url, reporter.url, "/feeds/rss.xml"]
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT"
    page.title = "続報の見出し"
    page.save_revision().publish()
    assert headline(client.get(page.url)) == "続報の見出し"
    assert "続報の見出し" in titles(client.get("/japan/"))
    assert "続報の見出し" in client.get("/feeds/rss.xml").content.decode()
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT"  # cached again, now current


def test_kill_is_never_served_stale(client):
    page = factories.article("world", title="取り消される記事")
    url = page.url
    client.get(url)
    client.get("/world/")
    assert client.get(url)["X-Cache"] == "HIT"
    page.unpublish()
    assert client.get(url).status_code == 404
    assert "取り消される記事" not in titles(client.get("/world/"))


def test_new_article_appears_on_cached_lists(client):
    client.get("/tech/")
    assert client.get("/tech/")["X-Cache"] == "HIT"
    factories.article("tech", title="新しいテック記事")
    assert titles(client.get("/tech/")) == ["新しいテック記事"]


def test_logged_in_editors_bypass_the_cache(client):
    page = factories.article()
    client.get(page.url)
    user = get_user_model().objects.create_superuser("desk", "desk@example.invalid", "p" * 20)
    client.force_login(user)
    response = client.get(page.url)
    assert "X-Cache" not in response


def test_errors_and_untagged_answers_are_not_cached(client):
    assert client.get("/no-such-page/").status_code == 404
    assert "X-Cache" not in client.get("/no-such-page/")


def test_site_purge_refreshes_every_page(client):
    page = factories.article()
    client.get(page.url)
    purge(SITE)
    assert client.get(page.url)["X-Cache"] == "MISS"


def test_purge_during_render_is_not_stored(client, monkeypatch):
    from sokuho.news.models import ArticlePage

    page = factories.article(title="描画中に更新される記事")
    original = ArticlePage.get_context

    def context_then_purge(self, request, *args, **kwargs):
        purge(f"page:{page.id}")  # an editor publishes while this render is in flight
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(ArticlePage, "get_context", context_then_purge)
    assert client.get(page.url)["X-Cache"] == "MISS"
    monkeypatch.setattr(ArticlePage, "get_context", original)
    assert client.get(page.url)["X-Cache"] == "MISS"  # the first render was not kept
    assert client.get(page.url)["X-Cache"] == "HIT"


def test_a_purge_is_made_again_once_near_caches_have_let_go(monkeypatch):
    # With Redis, other processes may read what a page shows from memory for a moment
    # after a purge; whatever they render then is purged again when that moment is over.
    from sokuho.pagecache import tags

    monkeypatch.setattr(tags.cache, "near_cache_seconds", 0.1, raising=False)
    bumped = []
    monkeypatch.setattr(tags, "_bump", lambda names: bumped.append(tuple(names)))
    tags.purge("page:1", "site")
    tags.purge("page:1")  # a second purge of the same tag in the window: one repeat
    assert bumped == [("page:1", "site"), ("page:1",)]
    time.sleep(0.5)
    repeated = [name for names in bumped[2:] for name in names]
    assert sorted(repeated) == ["page:1", "site"]  # each tag once more, after the window


def test_no_repeat_without_a_near_cache(monkeypatch):
    from sokuho.pagecache import tags

    bumped = []
    monkeypatch.setattr(tags, "_bump", lambda names: bumped.append(tuple(names)))
    tags.purge("page:2")
    time.sleep(0.2)
    assert bumped == [("page:2",)]
