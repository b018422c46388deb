"""Background tasks (django-tasks): run by the task worker thread of each server worker
with the database backend, at once in tests (ImmediateBackend)."""

from __future__ import annotations

from django_tasks import task


@task()
def update_related_reads(article_id: int) -> list[int]:
    """Index the article and choose its related reads (tokenising and scoring)."""
    from sokuho.related import reads

    return reads.update(article_id)


@task()
def recompute_related_reads(article_ids: list[int]) -> int:
    """Choose again for articles that showed one that went away."""
    from sokuho.related import reads

    for article_id in article_ids:
        reads.update(article_id)
    return len(article_ids)
