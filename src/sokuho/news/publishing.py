"""Publishing many pages at once: what other apps do for each published page, done once
for all of them where the app says how.

A receiver of Wagtail's ``page_published`` does its work for one page (index it, purge
the pages showing it …). Code that publishes many pages in one go (a wire batch) holds
the signal back and calls :func:`send_published` at the end: each receiver's bulk
version, registered by its own app with :func:`bulk_receiver`, runs once for all the
pages; a receiver without one runs once per page, so a receiver added later still sees
every page, only not batched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from asgiref.sync import async_to_sync
from wagtail.models import Page, Revision
from wagtail.signals import page_published

# (page, revision) pairs published together.
Published = list[tuple[Page, Revision]]
BulkReceiver = Callable[[Published], None]
_bulk_receivers: dict[Callable[..., Any], BulkReceiver] = {}


def bulk_receiver(single: Callable[..., Any]) -> Callable[[BulkReceiver], BulkReceiver]:
    """Register ``function(published)`` as doing what the ``page_published`` receiver
    ``single`` does, for many pages at once."""

    def register(function: BulkReceiver) -> BulkReceiver:
        _bulk_receivers[single] = function
        return function

    return register


def send_published(published: Published) -> None:
    """``page_published`` for these pages: bulk versions where registered."""
    by_class: dict[type, Published] = {}
    for page, revision in published:
        by_class.setdefault(type(page), []).append((page, revision))
    for sender, items in by_class.items():
        sync_receivers, async_receivers = page_published._live_receivers(sender)
        receivers = [*sync_receivers, *(async_to_sync(f) for f in async_receivers)]
        for function in receivers:
            bulk = _bulk_receivers.get(function)
            if bulk is not None:
                bulk(items)
                continue
            for page, revision in items:
                function(signal=page_published, sender=sender, instance=page, revision=revision)
