from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.urls import path
from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from sokuho.feeds import sitemaps
from sokuho.feeds.feeds import AuthorFeed, SectionFeed, SiteFeed, TopicFeed, atom
from sokuho.pagecache.decorators import cache_tagged
from sokuho.pagecache.tags import LISTINGS, SITE

# Feeds and sitemaps list articles: the page cache keeps them until a list changes.
listing = cache_tagged(SITE, LISTINGS)

urlpatterns = [
    path("feeds/rss.xml", listing(SiteFeed()), name="feed_rss"),
    path("feeds/atom.xml", listing(atom(SiteFeed)()), name="feed_atom"),
    path("feeds/section/<slug:slug>/rss.xml", listing(SectionFeed()), name="section_feed_rss"),
    path(
        "feeds/section/<slug:slug>/atom.xml",
        listing(atom(SectionFeed)()),
        name="section_feed_atom",
    ),
    path("feeds/topic/<slug:slug>/rss.xml", listing(TopicFeed()), name="topic_feed_rss"),
    path("feeds/topic/<slug:slug>/atom.xml", listing(atom(TopicFeed)()), name="topic_feed_atom"),
    path("feeds/author/<slug:slug>/rss.xml", listing(AuthorFeed()), name="author_feed_rss"),
    path("feeds/author/<slug:slug>/atom.xml", listing(atom(AuthorFeed)()), name="author_feed_atom"),
    path("sitemap.xml", listing(sitemaps.sitemap_index), name="sitemap_index"),
    path(
        "sitemap-pages.xml",
        listing(sitemap_view),
        {"sitemaps": {"pages": PageSitemap}},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("news-sitemap.xml", listing(sitemaps.news_sitemap), name="news_sitemap"),
    path("robots.txt", listing(sitemaps.robots_txt), name="robots_txt"),
]
