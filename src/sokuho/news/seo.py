"""What search engines, feed readers and social cards read: canonical URLs, OGP and
Twitter cards, JSON-LD (NewsArticle, BreadcrumbList) and feed links."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from sokuho.ja.dates import iso_jst
from sokuho.news import routing
from sokuho.news.images import renditions
from sokuho.templating import static

# Google asks for the lead image in all three aspect ratios.
JSONLD_IMAGE_SPEC = "fill-1200x{675,900,1200}"
CARD_IMAGE_SPEC = "fill-1200x675"  # one of the three: the card reuses it


def absolute(request: HttpRequest, path: str) -> str:
    """``path`` on the site's public origin: its Wagtail site's root URL (which `sokuho
    serve` keeps at SOKUHO_BASE_URL), the origin of every page URL in the JSON-LD and the
    sitemaps, whatever Host the request came in with. An absolute URL (media on a CDN)
    is kept as it is."""
    if not path.startswith("/") and urlsplit(path).scheme:
        return path
    site = routing.find_site(request)
    if site is None:
        return request.build_absolute_uri(path)
    return site.root_url + path


def feed_links(page: Page | None) -> list[tuple[str, str]]:
    """(title, path) pairs of the RSS feeds for a page: the site's, and its own if it has one."""
    from sokuho.news.models import AuthorPage, SectionPage, TopicPage

    links = [(f"{settings.SOKUHO_SITE_NAME} 最新記事", "/feeds/rss.xml")]
    kinds = {SectionPage: "section", TopicPage: "topic", AuthorPage: "author"}
    kind = kinds.get(type(page))
    if kind:
        links.append(
            (f"{page.title}｜{settings.SOKUHO_SITE_NAME}", f"/feeds/{kind}/{page.slug}/rss.xml")
        )
    return links


def json_ld(data: Any) -> SafeString:
    """JSON for a ``<script type="application/ld+json">`` element: ``<``, ``>`` and ``&``
    escaped, so no text in it can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # str.replace: str.translate with a dict looks up every character of the text.
    text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308


def publisher(request: HttpRequest) -> dict[str, Any]:
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SOKUHO_SITE_NAME,
        "url": absolute(request, "/"),
        "logo": {
            "@type": "ImageObject",
            "url": absolute(request, static("news/img/logo.png")),
            "width": 600,
            "height": 60,
        },
    }


def lead_renditions(article) -> dict[str, Any]:
    """The lead image in the three JSON-LD ratios (the first is also the card's), or {}."""
    return renditions(article.lead_image, JSONLD_IMAGE_SPEC) if article.lead_image else {}


def article_structured_data(
    request: HttpRequest, article, url: str, images: dict[str, Any]
) -> list[dict[str, Any]]:
    """NewsArticle and BreadcrumbList for an article at ``url`` with its lead_renditions."""
    authors = [
        {"@type": "Person", "name": byline.author.title, "url": byline.author.get_full_url(request)}
        for byline in article.shown_bylines
    ]
    if not authors and article.provider:
        authors = [{"@type": "Organization", "name": article.provider.name}]
    news_article = {
        "@context": "https://schema.org",
        "@type": article.schema_type,
        "mainEntityOfPage": url,
        "url": url,
        "headline": article.labelled_title[:110],
        "description": article.summary,
        "datePublished": iso_jst(article.published_at) if article.published_at else None,
        "dateModified": iso_jst(article.last_published_at or article.published_at)
        if article.published_at
        else None,
        "image": [absolute(request, rendition.url) for rendition in images.values()],
        "author": authors,
        "publisher": publisher(request),
        "inLanguage": "ja",
        "isAccessibleForFree": True,
    }
    if article.section:
        news_article["articleSection"] = article.section.title
    if article.is_sponsored:
        news_article["sponsor"] = {"@type": "Organization", "name": article.sponsor.name}
    crumbs = [("トップ", absolute(request, "/"))]
    if article.section:
        crumbs.append((article.section.title, article.section.get_full_url(request)))
    crumbs.append((article.title, url))
    breadcrumb = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": item}
            for position, (name, item) in enumerate(crumbs, start=1)
        ],
    }
    return [{k: v for k, v in news_article.items() if v not in (None, "", [])}, breadcrumb]


def head(request: HttpRequest, page: Page | None) -> dict[str, Any] | None:
    """What ``news/includes/seo_head.html`` shows for a page: canonical URL, feed links,
    OGP/Twitter card tags and JSON-LD."""
    if page is None:
        return None
    from sokuho.news.models import ArticlePage

    canonical = page.get_full_url(request)
    is_article = isinstance(page, ArticlePage)
    title = page.labelled_title if is_article else (page.seo_title or page.title)
    description = (page.summary if is_article else page.search_description) or ""
    meta = [
        ("og:type", "article" if is_article else "website"),
        ("og:title", title),
        ("og:url", canonical),
        ("og:site_name", settings.SOKUHO_SITE_NAME),
        ("og:locale", "ja_JP"),
    ]
    if description:
        meta.append(("og:description", description))
    images = lead_renditions(page) if is_article else {}
    image = images.get(CARD_IMAGE_SPEC)
    if image is not None:
        meta += [
            ("og:image", absolute(request, image.url)),
            ("og:image:width", str(image.width)),
            ("og:image:height", str(image.height)),
            ("og:image:alt", page.lead_image_alt),
        ]
    if is_article and page.published_at:
        meta.append(("article:published_time", iso_jst(page.published_at)))
        if page.last_published_at:
            meta.append(("article:modified_time", iso_jst(page.last_published_at)))
        if page.section:
            meta.append(("article:section", page.section.title))
    structured_data = (
        article_structured_data(request, page, canonical, images) if is_article else []
    )
    return {
        "canonical": canonical,
        "feeds": feed_links(page),
        "meta": meta,
        "twitter_card": "summary_large_image" if image else "summary",
        "title": title,
        "structured_data": [json_ld(item) for item in structured_data],
    }
