from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.urls import path
from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from sokuho.feeds import sitemaps
from sokuho.feeds.feeds import AuthorFeed, SectionFeed, SiteFeed, TopicFeed, atom

urlpatterns = [
    path("feeds/rss.xml", SiteFeed(), name="feed_rss"),
    path("feeds/atom.xml", atom(SiteFeed)(), name="feed_atom"),
    path("feeds/section/<slug:slug>/rss.xml", SectionFeed(), name="section_feed_rss"),
    path("feeds/section/<slug:slug>/atom.xml", atom(SectionFeed)(), name="section_feed_atom"),
    path("feeds/topic/<slug:slug>/rss.xml", TopicFeed(), name="topic_feed_rss"),
    path("feeds/topic/<slug:slug>/atom.xml", atom(TopicFeed)(), name="topic_feed_atom"),
    path("feeds/author/<slug:slug>/rss.xml", AuthorFeed(), name="author_feed_rss"),
    path("feeds/author/<slug:slug>/atom.xml", atom(AuthorFeed)(), name="author_feed_atom"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap_index"),
    path(
        "sitemap-pages.xml",
        sitemap_view,
        {"sitemaps": {"pages": PageSitemap}},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("news-sitemap.xml", sitemaps.news_sitemap, name="news_sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
]
