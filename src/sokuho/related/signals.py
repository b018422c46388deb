"""Related reads follow publishing: computed on publish, recomputed for the articles that
showed one that was unpublished, killed or deleted."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from sokuho.news.models import ArticlePage
from sokuho.news.publishing import Published, bulk_receiver
from sokuho.related import reads, similarity
from sokuho.related.tasks import recompute_related_reads, update_related_reads


def is_article(instance: Any) -> bool:
    """An article of any kind (QuizPage too), once: not again as its parent-table row."""
    return isinstance(instance, ArticlePage) and instance.specific_class is type(instance)


@receiver(page_published)
def article_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not is_article(instance):
        return
    articles_published([instance.id])


@bulk_receiver(article_published)
def pages_published(published: Published) -> None:
    articles_published([page.pk for page, _ in published if is_article(page)])


def articles_published(article_ids: list[int]) -> None:
    """What publishing these articles does here: one task computes their reads (in this
    order, as one by one), and the boxes that show them are dropped (old headlines)."""
    if not article_ids:
        return
    if len(article_ids) == 1:
        update_related_reads.enqueue(article_ids[0])
    else:
        recompute_related_reads.enqueue(list(article_ids))
    reads.forget(reads.pointing_to(*article_ids))


@receiver(page_unpublished)
def article_unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not is_article(instance):
        return
    # Out of the index first, so that the recomputed boxes cannot pick it again.
    similarity.remove_document(instance.id)
    pointers = reads.pointing_to(instance.id)
    reads.forget([instance.id, *pointers])
    if pointers:
        recompute_related_reads.enqueue(pointers)


@receiver(pre_delete)
def article_deleting(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not is_article(instance):
        return
    # Its RelatedRead rows go with it (CASCADE): note who pointed to it while we can.
    instance._related_pointers = reads.pointing_to(instance.id)


@receiver(post_delete)
def article_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not is_article(instance):
        return
    similarity.remove_document(instance.id)
    pointers = [pk for pk in getattr(instance, "_related_pointers", []) if pk != instance.id]
    reads.forget([instance.id, *pointers])
    if pointers:
        recompute_related_reads.enqueue(pointers)
