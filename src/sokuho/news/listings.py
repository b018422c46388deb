"""The article lists readers see: one place for what "published, newest first" means."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

if TYPE_CHECKING:
    from sokuho.news.models import AuthorPage, SectionPage, TopicPage

TOP_STORIES = 5
PER_SECTION = 5


def published_articles() -> QuerySet:
    from sokuho.news.models import ArticlePage

    return (
        ArticlePage.objects.live()
        .select_related("section", "lead_image", "sponsor")
        .order_by("-first_published_at", "-id")
    )


def breaking_articles() -> QuerySet:
    return published_articles().filter(is_breaking=True, breaking_until__gt=timezone.now())


def section_articles(section: SectionPage) -> QuerySet:
    return published_articles().filter(section=section)


def topic_articles(topic: TopicPage) -> QuerySet:
    return published_articles().filter(topics=topic)


def author_articles(author: AuthorPage) -> QuerySet:
    return published_articles().filter(bylines__author=author).distinct()


def paginate(request: HttpRequest, queryset: QuerySet) -> PaginatorPage:
    """20 a page; a missing, non-numeric or out-of-range ?page= gives a real page, not a 500."""
    paginator = Paginator(queryset, settings.SOKUHO_ARTICLES_PER_PAGE)
    return paginator.get_page(request.GET.get("page"))


def front_page() -> dict[str, Any]:
    from sokuho.news.models import SectionPage

    top = list(published_articles()[:TOP_STORIES])
    shown = {article.id for article in top}
    by_section = []
    for section in SectionPage.objects.live().order_by("path"):
        articles = [
            a for a in section_articles(section)[: PER_SECTION + TOP_STORIES] if a.id not in shown
        ]
        by_section.append((section, articles[:PER_SECTION]))
    return {
        "breaking_articles": list(breaking_articles()[:10]),
        "top_stories": top,
        "sections_with_articles": by_section,
    }
