"""Batch ingest: many wire items in one transaction, the reactions to them once at the end.

Publishing an article makes other apps react (``page_published``): the search index,
related reads, the page cache, rankings; and every save of a page queues a Wagtail
reference-index update. Per item that is most of an ingest's cost, and most of it is the
same work done again and again. Inside :class:`Batch`:

- ``page_published`` is not sent per article. At the end the batch sends it for all its
  articles through ``sokuho.news.publishing.send_published``: each receiver's bulk
  version, which its app registers (the search index, related reads, the page cache),
  runs once for all of them, and a receiver without one once per article;
- Wagtail's reference-index updates (``post_save`` of tracked models) are collected and
  queued as one task for the batch, each object once; so are the search-index updates
  Wagtail's search (modelsearch) queues as one task per save of an indexed model;
- the tree position under each section is read (with the section row locked, as
  treebeard does) once per batch instead of once per article;
- each section's numchild is raised once, and page history entries and wire records
  are written with one insert each;
- in batch mode (``Ingestor.ingest_many``, `sokuho ingest` and the watch folder) what
  ingest reads for the batch's documents (stored documents, story rows, the articles to
  update, the pages with the slugs its articles take) is read with one query each
  before the first item, and its new documents are stored with one insert.

All of it runs inside the batch's transaction, before it commits: the index, the cache
purge and the queued tasks follow exactly the articles that were stored.
"""

from __future__ import annotations

from typing import Any

from asgiref.local import Local
from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.log_actions import get_active_log_context
from wagtail.log_actions import log as wagtail_log
from wagtail.models import Page, PageLogEntry, ReferenceIndex

from sokuho.news.publishing import Published, send_published

_current = Local()


def current() -> Batch | None:
    return getattr(_current, "batch", None)


class Batch:
    """What a batch has done so far, and what must follow it."""

    def __init__(self) -> None:
        self.published: Published = []
        # (app label, model name) → pks whose reference index must be rebuilt, and whose
        # entry in Wagtail's search index must be updated.
        self.references: dict[tuple[str, str], set[str]] = {}
        self.searched: dict[tuple[str, str], set[str]] = {}
        # Section pk → [its locked row, its last child's position].
        self.tree: dict[int, list[Any]] = {}
        # Section pk → children added (numchild is raised once, at the end).
        self.children: dict[int, int] = {}
        # Page history entries and wire records, written together at the end.
        self.log_entries: list[PageLogEntry] = []
        self.records: list[tuple[Any, Any]] = []
        # Looked up once per batch by ingest (site roots, aliases, comments, workflows).
        self.shared: Any = None
        # Read for all the batch's documents at once (Ingestor.prepare): parse results
        # and stored documents by SHA-256, story rows by (provider pk, guid), None where
        # there is none yet, the articles to update (each taken once) and slug → (pk,
        # path) of the pages that have it, for the slugs its articles take. Rows are
        # written through; an item's rollback drops what it may have changed.
        self.parsed: dict[str, Any] = {}
        self.documents: dict[str, Any] = {}
        self.stories: dict[tuple[int, str], Any] = {}
        self.articles: dict[int, Any] = {}
        self.slugs: dict[str, list[tuple[int, str]]] = {}

    def __enter__(self) -> Batch:
        from wagtail.signal_handlers import reference_index_auto_update_disabled

        if current() is not None:
            raise RuntimeError("wire batches do not nest")
        _take_over_search_updates()
        _current.batch = self
        # Wagtail's own per-save task is replaced by ours (see track_references).
        self._disabled_before = getattr(reference_index_auto_update_disabled, "value", False)
        reference_index_auto_update_disabled.value = True
        return self

    def __exit__(self, *exc: object) -> None:
        from wagtail.signal_handlers import reference_index_auto_update_disabled

        reference_index_auto_update_disabled.value = self._disabled_before
        del _current.batch

    # --- while items are applied -------------------------------------------------------
    def mark(self) -> tuple[Any, ...]:
        """Where the batch stands before an item (to forget it if the item rolls back)."""
        references = {key: set(pks) for key, pks in self.references.items()}
        searched = {key: set(pks) for key, pks in self.searched.items()}
        counts = (len(self.published), len(self.log_entries), len(self.records))
        return (*counts, references, searched, dict(self.children))

    def rollback_to(self, mark: tuple[Any, ...]) -> None:
        published, logged, recorded, self.references, self.searched, self.children = mark
        del self.published[published:]
        del self.log_entries[logged:]
        del self.records[recorded:]
        # Read the tree, stories and slugs again: the rolled-back item may have changed them.
        self.tree.clear()
        self.stories.clear()
        self.slugs.clear()

    def note_reference_change(self, instance: Any) -> None:
        # A child row (a byline) is indexed as part of its parent, as Wagtail's task does.
        for field in instance._meta.get_fields():
            if isinstance(field, ParentalKey):
                parent_id = getattr(instance, field.attname, None)
                if parent_id is None:
                    return
                model = field.related_model
                key = (model._meta.app_label, model._meta.model_name)
                self.references.setdefault(key, set()).add(str(parent_id))
                return
        key = (instance._meta.app_label, instance._meta.model_name)
        self.references.setdefault(key, set()).add(str(instance.pk))

    # --- at the end ----------------------------------------------------------------------
    def finish(self) -> None:
        """The deferred reactions, inside the batch's transaction (once: a batch is not
        used after it)."""
        for parent_id, added in self.children.items():
            Page.objects.filter(pk=parent_id).update(numchild=F("numchild") + added)
        if self.records:
            records = [record for record, _ in self.records]
            type(records[0]).objects.bulk_create(records)
            for record, outcome in self.records:
                outcome.record_id = record.pk
        if self.log_entries:
            PageLogEntry.objects.bulk_create(self.log_entries)
        if self.published:
            send_published(self.published)
        if self.references:
            from sokuho.wire.tasks import update_reference_index

            update_reference_index.enqueue(_objects(self.references))
        if self.searched:
            from sokuho.wire.tasks import update_search_index

            update_search_index.enqueue(_objects(self.searched))


def _objects(pks: dict[tuple[str, str], set[str]]) -> list[list[Any]]:
    """A task's argument: ``[[app label, model name, [pk, …]], …]``."""
    return [[app, model, sorted(keys)] for (app, model), keys in sorted(pks.items())]


def log(page: Page, action: str, **kwargs: Any) -> None:
    """``wagtail.log_actions.log`` for a page: the same entry, written with the batch's
    others at its end (one insert, not one insert and its validation queries each)."""
    batch = current()
    if batch is None:
        wagtail_log(page, action, **kwargs)
        return
    context = get_active_log_context()
    # What LogActionRegistry.log and PageLogEntryManager.log_action fill in.
    entry = PageLogEntry(
        content_type=ContentType.objects.get_for_model(page, for_concrete_model=False),
        label=PageLogEntry.objects.get_instance_title(page),
        action=action,
        timestamp=timezone.now(),
        data=kwargs.pop("data", None) or {},
        user=kwargs.pop("user", None) or context.user,
        uuid=kwargs.pop("uuid", None) or context.uuid,
        page=page,
        **kwargs,
    )
    entry.clean()  # an unregistered action is refused, as PageLogEntry.save does
    batch.log_entries.append(entry)


@receiver(post_save)
def track_references(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    batch = current()
    if batch is not None and not raw and ReferenceIndex.is_indexed(type(instance)):
        batch.note_reference_change(instance)


def search_update_on_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """modelsearch's post_save handler, but in a batch the object is noted and the batch
    queues one task for all of them at its end."""
    from modelsearch.signal_handlers import post_save_signal_handler

    batch = current()
    if batch is None:
        post_save_signal_handler(instance, raw=raw, **kwargs)
    elif not raw:
        key = (instance._meta.app_label, instance._meta.model_name)
        batch.searched.setdefault(key, set()).add(str(instance.pk))


_took_over_search_updates = False


def _take_over_search_updates() -> None:
    """Put search_update_on_save in the place of modelsearch's handler (once, when the
    first batch starts: Wagtail's search app connects its handler after this app is
    ready). Outside a batch it only calls modelsearch's, so nothing else changes."""
    global _took_over_search_updates
    if _took_over_search_updates:
        return
    _took_over_search_updates = True
    from modelsearch import index
    from modelsearch.signal_handlers import post_save_signal_handler

    for model in index.get_indexed_models():
        if post_save.disconnect(post_save_signal_handler, sender=model):
            post_save.connect(search_update_on_save, sender=model)


@receiver(post_delete)
def track_deleted_references(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Wagtail's own handler is off during a batch: references to and from a deleted
    # object go now (a deleted byline's parent page is re-indexed at the end).
    batch = current()
    if batch is None or not ReferenceIndex.is_indexed(type(instance)):
        return
    if any(isinstance(field, ParentalKey) for field in instance._meta.get_fields()):
        batch.note_reference_change(instance)
    else:
        ReferenceIndex.remove_for_object(instance)
        ReferenceIndex.remove_references_to(instance)
