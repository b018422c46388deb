"""Background tasks of wire ingest (django-tasks; at once in tests)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db import transaction
from django_tasks import task
from modelsearch import index
from wagtail.models import ReferenceIndex


def _instances(objects: list[list[str | list[str]]]) -> Iterator[Any]:
    """The rows named by ``[[app label, model name, [pk, …]], …]`` (what a batch queues)."""
    for app_label, model_name, pks in objects:
        model = apps.get_model(str(app_label), str(model_name))
        yield from model._default_manager.filter(pk__in=list(pks))


@task()
def update_reference_index(objects: list[list[str | list[str]]]) -> int:
    """Wagtail's reference index for the objects a wire batch saved, each once (Wagtail
    queues one task per save)."""
    done = 0
    for instance in _instances(objects):
        if ReferenceIndex.is_indexed(type(instance)):
            with transaction.atomic():
                ReferenceIndex.create_or_update_for_object(instance)
            done += 1
    return done


@task()
def update_search_index(objects: list[list[str | list[str]]]) -> int:
    """Wagtail's search index for the objects a wire batch saved, as modelsearch's task
    does for one (one task instead of one per save)."""
    done = 0
    for instance in _instances(objects):
        index.insert_or_update_object(instance)
        done += 1
    return done
