"""What the site may promote in rankings and related reads: one place to change it."""

from __future__ import annotations

from django.db.models import QuerySet


def rankable_articles() -> QuerySet:
    """Live articles (not drafts, unpublished/killed or embargoed), not sponsored."""
    from sokuho.news.models import ArticlePage

    return ArticlePage.objects.live().filter(sponsor__isnull=True)
