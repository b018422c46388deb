"""Publishing many pages at once: bulk versions of page_published receivers."""

from __future__ import annotations

from typing import Any

from wagtail.signals import page_published

from sokuho.news import publishing


class Sample:
    """A stand-in sender, so that only this test's receivers (and the ones connected for
    every sender) hear the signal."""

    def __init__(self, pk: int) -> None:
        self.pk = self.id = pk


def test_a_bulk_version_runs_once_for_all_pages_and_a_plain_receiver_once_per_page(
    monkeypatch,
):
    plain_calls, bulk_calls = [], []

    def plain(sender: Any, instance: Any, revision: Any, **kwargs: Any) -> None:
        plain_calls.append((instance.pk, revision))

    def single(sender: Any, instance: Any, **kwargs: Any) -> None:
        raise AssertionError("the bulk version runs instead")

    # Only this test's receivers: the apps' own ones are for real pages.
    monkeypatch.setattr(page_published, "receivers", [])
    monkeypatch.setattr(page_published, "sender_receivers_cache", {})
    monkeypatch.setattr(publishing, "_bulk_receivers", {})
    page_published.connect(plain, sender=Sample, weak=False)
    page_published.connect(single, sender=Sample, weak=False)
    publishing.bulk_receiver(single)(lambda published: bulk_calls.append(published))

    published = [(Sample(1), "r1"), (Sample(2), "r2"), (Sample(3), "r3")]
    publishing.send_published(published)
    assert bulk_calls == [published]
    assert plain_calls == [(1, "r1"), (2, "r2"), (3, "r3")]


def test_search_related_reads_and_the_page_cache_register_their_bulk_versions():
    from sokuho.pagecache import signals as pagecache
    from sokuho.related import signals as related
    from sokuho.search import signals as search

    registered = publishing._bulk_receivers
    assert registered[search.article_changed] is search.articles_published
    assert registered[related.article_published] is related.pages_published
    assert registered[pagecache.page_changed] is pagecache.pages_published
