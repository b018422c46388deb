"""Sitemaps: an index, every page (Wagtail's generator), and the Google News sitemap."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from sokuho.ja.dates import iso_jst
from sokuho.news import listings
from sokuho.news.seo import absolute

NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000  # Google News reads at most 1,000 URLs per news sitemap


def sitemap_index(request: HttpRequest) -> TemplateResponse:
    return TemplateResponse(
        request,
        "feeds/sitemap_index.xml",
        {
            "sitemaps": [
                absolute(request, "/sitemap-pages.xml"),
                absolute(request, "/news-sitemap.xml"),
            ]
        },
        content_type="application/xml; charset=utf-8",
    )


def news_sitemap(request: HttpRequest) -> TemplateResponse:
    since = timezone.now() - NEWS_WINDOW
    # Google News takes no advertising: sponsored articles stay in the page sitemap only.
    articles = listings.published_articles().filter(
        first_published_at__gte=since, sponsor__isnull=True
    )[:NEWS_LIMIT]
    entries = [
        {
            "loc": article.get_full_url(request),
            "title": article.labelled_title,
            "published": iso_jst(article.first_published_at),
        }
        for article in articles
    ]
    return TemplateResponse(
        request,
        "feeds/news_sitemap.xml",
        {"entries": entries, "publication": settings.SOKUHO_SITE_NAME},
        content_type="application/xml; charset=utf-8",
    )


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /pv/",
        "",
        f"Sitemap: {absolute(request, '/sitemap.xml')}",
        f"Sitemap: {absolute(request, '/news-sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
