"""The URL configuration: reader pages go to the page view without passing every app
route; every app route still answers for its own paths."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import path, resolve, reverse

from sokuho import urls
from sokuho.news import views as news_views

APP_PATHS = {
    "/admin/": "wagtailadmin_home",
    "/feeds/rss.xml": "feed_rss",
    "/feeds/section/japan/atom.xml": "section_feed_atom",
    "/sitemap.xml": "sitemap_index",
    "/robots.txt": "robots_txt",
    "/magazine/": "index",
    "/magazine/2026/": "archive",
    "/magazine/2026-11-27/": "issue",
    "/mook/": "editions",
    "/newsletter/": "signup",
    "/newsletter/confirm/abc123/": "confirm",
    "/sponsored/aoba-series/": "series",
    "/pv/": "rankings_page_view",
    "/search/": "search",
    "/api/search/": "search_api",
    "/wire/sample-news/": "receive",
}


@pytest.mark.parametrize(("url", "name"), APP_PATHS.items())
def test_app_routes_answer_for_their_paths(url, name):
    assert resolve(url).url_name == name


@pytest.mark.parametrize("url", ["/", "/japan/", "/japan/202611271200-abc123/", "/author/x/"])
def test_page_paths_go_to_the_page_view_first(url):
    match = resolve(url)
    assert match.func is news_views.serve
    assert match.route == urls.urlpatterns[0].pattern.regex.pattern
    assert match.args == (url.removeprefix("/"),)


def test_page_urls_reverse_as_before():
    assert reverse("wagtail_serve", args=("japan/202611271200-abc123/",)) == (
        "/japan/202611271200-abc123/"
    )
    assert reverse("wagtail_serve", args=("",)) == "/"


def test_an_app_route_must_start_with_a_fixed_segment():
    with pytest.raises(ImproperlyConfigured):
        urls.first_segments([path("<slug:section>/feed/", news_views.serve)])
    assert urls.first_segments([path("sitemap.xml", news_views.serve)]) == set()
