"""The index follows every change readers can see, at once and in the same transaction.

Publishing, republishing, unpublishing (a kill is an unpublish; so is expiry), deleting
and moving an article; renaming or deleting its reporter or topic (their names are
indexed with it); a view restriction added or lifted above it.
"""

from __future__ import annotations

import sys
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from sokuho.news.models import ArticlePage, AuthorPage, TopicPage
from sokuho.news.publishing import Published, bulk_receiver
from sokuho.search import indexing


@receiver(page_published, sender=ArticlePage)
@receiver(page_unpublished, sender=ArticlePage)
def article_changed(sender: Any, instance: ArticlePage, **kwargs: Any) -> None:
    indexing.update_articles([instance.pk])


@bulk_receiver(article_changed)
def articles_published(published: Published) -> None:
    indexing.update_articles(page.pk for page, _ in published)  # one index write


@receiver(post_delete, sender=ArticlePage)
def article_deleted(sender: Any, instance: ArticlePage, **kwargs: Any) -> None:
    indexing.remove_articles([instance.pk])


@receiver(post_page_move)
def page_moved(sender: Any, instance: Any, **kwargs: Any) -> None:
    # A moved section takes its articles along; the section filter follows the tree.
    indexing.update_articles(indexing.articles_under(instance))


@receiver(page_published, sender=AuthorPage)
def author_published(sender: Any, instance: AuthorPage, **kwargs: Any) -> None:
    indexing.update_articles(
        ArticlePage.objects.live().filter(bylines__author=instance).values_list("pk", flat=True)
    )


@receiver(page_published, sender=TopicPage)
def topic_published(sender: Any, instance: TopicPage, **kwargs: Any) -> None:
    indexing.update_articles(
        ArticlePage.objects.live().filter(topics=instance).values_list("pk", flat=True)
    )


@receiver(pre_delete, sender=AuthorPage)
@receiver(pre_delete, sender=TopicPage)
def name_source_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    # The bylines and topic links are gone after the delete: note the articles now and
    # reindex them once it has committed.
    field = "bylines__author" if isinstance(instance, AuthorPage) else "topics"
    ids = list(ArticlePage.objects.filter(**{field: instance}).values_list("pk", flat=True))
    if ids:
        transaction.on_commit(lambda: indexing.update_articles(ids))


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed(sender: Any, instance: PageViewRestriction, **kwargs: Any) -> None:
    from wagtail.models import Page

    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        indexing.update_articles(indexing.articles_under(page))


def prune_index(sender: Any, **kwargs: Any) -> None:
    """After migrate (and a test database flush): drop index rows left without a document,
    and index live articles the index lacks (a migration may have emptied it)."""
    from django.db import connections

    from sokuho.search.backends import get_search_backend

    connection = connections[kwargs.get("using", "default")]
    tables = connection.introspection.table_names()
    if "search_searchdocument" not in tables:
        return  # migrated backwards
    if connection.vendor == "sqlite":
        if "search_fts" not in tables:
            return
        get_search_backend().prune()
    added = indexing.index_missing()
    if added and kwargs.get("verbosity", 1):
        stdout = kwargs.get("stdout") or sys.stdout
        stdout.write(f"検索インデックスに記事 {added} 件を登録しました。\n")
