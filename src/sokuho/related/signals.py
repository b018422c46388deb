"""Related reads follow publishing: computed on publish, recomputed for the articles that
showed one that was unpublished, killed or deleted."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from sokuho.news.models import ArticlePage
from sokuho.related import reads, similarity
from sokuho.related.tasks import recompute_related_reads, update_related_reads


def _is_article(instance: Any) -> bool:
    """An article of any kind (QuizPage too), once: not again as its parent-table row."""
    return isinstance(instance, ArticlePage) and instance.specific_class is type(instance)


@receiver(page_published)
def article_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not _is_article(instance):
        return
    update_related_reads.enqueue(instance.id)
    reads.forget(reads.pointing_to(instance.id))  # they may show its old headline


@receiver(page_unpublished)
def article_unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not _is_article(instance):
        return
    # Out of the index first, so that the recomputed boxes cannot pick it again.
    similarity.remove_document(instance.id)
    pointers = reads.pointing_to(instance.id)
    reads.forget([instance.id, *pointers])
    if pointers:
        recompute_related_reads.enqueue(pointers)


@receiver(pre_delete)
def article_deleting(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not _is_article(instance):
        return
    # Its RelatedRead rows go with it (CASCADE): note who pointed to it while we can.
    instance._related_pointers = reads.pointing_to(instance.id)


@receiver(post_delete)
def article_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not _is_article(instance):
        return
    similarity.remove_document(instance.id)
    pointers = [pk for pk in getattr(instance, "_related_pointers", []) if pk != instance.id]
    reads.forget([instance.id, *pointers])
    if pointers:
        recompute_related_reads.enqueue(pointers)
