"""Purge what a change makes stale: the page itself, every list, and the shared layout
when navigation changes."""

from collections.abc import Iterable
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from sokuho.news.models import Provider, SectionPage
from sokuho.news.publishing import Published, bulk_receiver
from sokuho.pagecache.tags import LISTINGS, SITE, page_tag, purge


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender: Any, instance: Page, **kwargs: Any) -> None:
    pages_changed([instance])


def pages_changed(pages: Iterable[Page]) -> None:
    """One purge for these pages, every list, and the layout when a section changed."""
    pages = list(pages)
    sections = any(isinstance(page, SectionPage) for page in pages)
    purge(*(page_tag(page.id) for page in pages), LISTINGS, *([SITE] if sections else []))


@bulk_receiver(page_changed)
def pages_published(published: Published) -> None:
    pages_changed(page for page, _ in published)  # one purge


@receiver(post_delete)
def page_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, Page):
        purge(page_tag(instance.id), LISTINGS, SITE)


@receiver(post_save, sender=Provider)
@receiver(post_delete, sender=Provider)
@receiver(post_delete, sender=get_image_model())
def shared_content_changed(sender: Any, **kwargs: Any) -> None:
    # Signatures, copyright lines and photos appear on many pages: purge them all.
    purge(SITE)
