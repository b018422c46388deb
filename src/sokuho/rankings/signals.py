"""Keep the beacon's live-article ids and the ranking snapshot in step with publishing."""

from __future__ import annotations

import logging
from typing import Any

from django.apps import apps
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from sokuho.news.models import ArticlePage
from sokuho.rankings import snapshot
from sokuho.rankings.views import live_articles

logger = logging.getLogger(__name__)


def _refresh_if_shown(page_id: int) -> None:
    """An article in the box changed or went away: rebuild the box now, not in a minute."""
    if page_id not in snapshot.shown_ids():
        return
    try:
        snapshot.refresh()
    except Exception:  # the editor's publish must not fail over the box
        logger.exception("Could not refresh the ranking snapshot")
        return
    if apps.is_installed("sokuho.pagecache"):
        from sokuho.pagecache.tags import SITE, purge

        purge(SITE)  # cached pages carry the box


@receiver(page_published)
def article_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not isinstance(instance, ArticlePage):  # QuizPage and other kinds of article too
        return
    live_articles.add(instance.id)
    _refresh_if_shown(instance.id)


@receiver(page_unpublished)
def article_unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not isinstance(instance, ArticlePage):  # QuizPage and other kinds of article too
        return
    live_articles.discard(instance.id)
    _refresh_if_shown(instance.id)


@receiver(post_delete)
def article_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not isinstance(instance, ArticlePage):  # QuizPage and other kinds of article too
        return
    live_articles.discard(instance.id)
    _refresh_if_shown(instance.id)
