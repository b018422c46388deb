"""Batch ingest: many documents per transaction, the reactions to them once per batch.

What a batch leaves must be what the same documents ingested one by one leave: the
articles, their revisions and history, the search index, related reads, the page cache
and Wagtail's reference index. A bad item costs only itself. All content is generated
sample content (fictional).
"""

from __future__ import annotations

from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.signals import page_published

from sokuho.news.models import ArticlePage, AuthorPage
from sokuho.pagecache.tags import LISTINGS, current_versions, page_tag
from sokuho.related.models import RelatedRead
from sokuho.search import indexing
from sokuho.search.backends import get_search_backend
from sokuho.wire import batch as batches
from sokuho.wire import ingest as ingest_module
from sokuho.wire import testing
from sokuho.wire.ingest import Ingestor, Outcome
from sokuho.wire.models import Result, Source, WireItemRecord, WireStory
from sokuho.wire.tests.ingest_helpers import fixture, make_provider, only, section

pytestmark = pytest.mark.django_db


def documents(count: int = 12, seed: int = 5) -> list[tuple[bytes, str]]:
    """New stories in every format, then later versions of some of them."""
    new = [(data, label) for label, data in testing.mixed_batch(count, seed=seed)]
    # NewsML-G2 stories of the generator (its first format) get a second version.
    updates = [
        (testing.newsml_item(n, version=2, body="xhtml"), f"update {n}")
        for n in range(count)
        if new[n][1].startswith("newsml-g2")
    ]
    return new + updates


def ingest_batched(provider: Any, docs: list[tuple[bytes, str]], size: int = 5) -> list[Outcome]:
    ingestor = Ingestor(provider=provider, source=Source.CLI)
    return [outcome for outcomes in ingestor.ingest_many(docs, size) for outcome in outcomes]


def state() -> tuple[Any, ...]:
    return (
        sorted(ArticlePage.objects.values_list("pk", "title", "live", "latest_revision_id")),
        Revision.page_revisions.count(),
        AuthorPage.objects.count(),
        sorted(WireStory.objects.values_list("guid", "version", "result")),
        PageLogEntry.objects.count(),
    )


# --- a bad item costs only itself ------------------------------------------------------------
def test_a_hostile_or_failing_item_is_rejected_alone_with_its_reason(sample_provider, monkeypatch):
    good = documents(8)
    hostile = (fixture("hostile/billion_laughs.xml"), "billion_laughs.xml")
    failing = (testing.newsml_item(900, body="xhtml"), "failing.xml")
    real_fill = Ingestor._fill

    def fill(self: Ingestor, page: ArticlePage, item: Any, *args: Any, **kwargs: Any) -> Any:
        if item.guid.endswith("story-900"):
            raise RuntimeError("disk full")  # after its story row and document were written
        return real_fill(self, page, item, *args, **kwargs)

    monkeypatch.setattr(Ingestor, "_fill", fill)
    docs = [*good[:3], hostile, *good[3:5], failing, *good[5:]]
    outcomes = ingest_batched(sample_provider, docs, size=20)  # all in one batch

    rejected = [o for o in outcomes if o.rejected]
    assert [o.filename for o in rejected] == ["billion_laughs.xml", "failing.xml"]
    assert "危険な XML" in rejected[0].reason
    assert "disk full" in rejected[1].reason
    assert all(o.record_id for o in outcomes)
    assert WireItemRecord.objects.get(pk=rejected[1].record_id).error_code == "internal-error"
    # Every good item is there, published; the failing one left no page and no story.
    good_results = Counter(o.result for o in outcomes if not o.rejected)
    assert good_results == {Result.PUBLISHED: 8, Result.UPDATED: len(good) - 8}
    assert ArticlePage.objects.live().count() == 8
    assert not WireStory.objects.filter(guid__endswith="story-900").exists()
    # The tree stayed consistent: numchild counts the children the batch really added.
    world = section("world")
    assert world.numchild == Page.objects.filter(path__startswith=world.path, depth=4).count()
    paths = list(Page.objects.values_list("path", flat=True))
    assert len(paths) == len(set(paths))


def test_a_batch_that_fails_as_a_whole_is_ingested_again_one_by_one(sample_provider, monkeypatch):
    real_finish = batches.Batch.finish
    calls = Counter[str]()

    def finish(self: batches.Batch) -> None:
        calls["finish"] += 1
        if calls["finish"] == 1:
            raise RuntimeError("search index unavailable")
        real_finish(self)

    monkeypatch.setattr(batches.Batch, "finish", finish)
    outcomes = ingest_batched(sample_provider, documents(4)[:4], size=4)
    assert [o.result for o in outcomes] == [Result.PUBLISHED] * 4
    assert ArticlePage.objects.live().count() == 4
    assert WireItemRecord.objects.count() == 4  # the failed attempt left nothing behind


# --- the reactions, once per batch -------------------------------------------------------------
def test_after_a_batch_search_related_reads_page_cache_and_references_are_right(
    sample_provider, monkeypatch
):
    index_calls = []
    real_update = indexing.update_articles

    def update_articles(ids: Any) -> Any:
        ids = list(ids)
        index_calls.append(ids)
        return real_update(ids)

    monkeypatch.setattr(indexing, "update_articles", update_articles)
    listings_before = current_versions([LISTINGS])[LISTINGS]
    docs = documents(12)
    outcomes = ingest_batched(sample_provider, docs, size=len(docs))
    ids = list(dict.fromkeys(o.article_id for o in outcomes))
    assert len(ids) == 12

    # One index write for the whole batch, and every article is found.
    assert len(index_calls) == 1 and set(index_calls[0]) == set(ids)
    assert set(ids) <= get_search_backend().indexed_page_ids()
    # Related reads were chosen in order, as one by one: as many as came before (at most
    # four); an updated article chose again at its update, among all of them.
    updated = {o.article_id for o in outcomes if o.result == Result.UPDATED}
    for n, article_id in enumerate(ids):
        expected = 4 if article_id in updated else min(n, 4)
        assert RelatedRead.objects.filter(article_id=article_id).count() == expected
    # The page cache was purged: every article's tag and the lists.
    versions = current_versions([LISTINGS, *(page_tag(pk) for pk in ids)])
    assert versions[LISTINGS] != listings_before
    assert all(versions[page_tag(pk)] for pk in ids)
    # Wagtail's reference index holds what rebuilding it from scratch gives.
    page_type = ContentType.objects.get_for_model(Page)

    def references(page: Page) -> set[tuple[Any, ...]]:
        rows = ReferenceIndex.objects.filter(base_content_type=page_type, object_id=str(page.pk))
        return set(rows.values_list("to_content_type_id", "to_object_id", "model_path"))

    for page in ArticlePage.objects.filter(pk__in=ids):
        stored = references(page)
        ReferenceIndex.create_or_update_for_object(page)
        assert stored == references(page) and stored, page
    # Each article's history is Wagtail's and the wire's, as for a single item.
    for page in ArticlePage.objects.filter(pk__in=ids):
        actions = list(
            PageLogEntry.objects.filter(page=page)
            .order_by("timestamp", "id")
            .values_list("action", flat=True)
        )
        assert actions[:3] == ["wagtail.create", "wagtail.publish", "sokuho.wire.published"]


def test_a_page_published_receiver_without_a_bulk_equivalent_runs_for_every_article(
    sample_provider,
):
    seen = []

    def receiver(sender: Any, instance: Any, revision: Any, **kwargs: Any) -> None:
        seen.append((instance.pk, revision.pk))

    page_published.connect(receiver, sender=ArticlePage)
    try:
        outcomes = ingest_batched(sample_provider, documents(3)[:3], size=3)
    finally:
        page_published.disconnect(receiver, sender=ArticlePage)
    assert [pk for pk, _ in seen] == [o.article_id for o in outcomes]
    for pk, revision_id in seen:
        assert ArticlePage.objects.get(pk=pk).live_revision_id == revision_id


def test_batch_mode_leaves_what_one_by_one_leaves(db):
    """The same documents, one provider one by one, the other in batches."""
    docs = documents(10, seed=8)
    single = make_provider("single", "単独通信")
    batched = make_provider("batched", "一括通信")
    for data, label in docs:
        Ingestor(provider=single).ingest_bytes(data, label)
    ingest_batched(batched, docs, size=4)

    def articles(provider: Any) -> dict[str, Any]:
        found = {}
        for story in WireStory.objects.filter(provider=provider).select_related("article"):
            page = story.article
            revisions = [
                {k: v for k, v in r.content.items() if k in ("title", "body", "summary", "label")}
                for r in Revision.page_revisions.filter(object_id=str(page.pk)).order_by("id")
            ]
            logs = list(
                PageLogEntry.objects.filter(page=page).order_by("id").values_list("action", "data")
            )
            found[story.guid] = (
                page.title,
                page.body,
                page.live,
                page.has_unpublished_changes,
                page.live_revision_id == page.latest_revision_id,
                [b.author.title for b in page.bylines.all()],
                page.section.slug,
                revisions,
                [
                    (action, {k: v for k, v in data.items() if k != "provider"})
                    for action, data in logs
                ],
                (story.version, story.result, story.content_hash),
            )
        return found

    assert articles(batched) == articles(single)


# --- again, and cheaper -------------------------------------------------------------------------
def test_ingesting_the_same_batch_twice_changes_nothing(sample_provider):
    docs = documents(12)
    first = ingest_batched(sample_provider, docs, size=7)
    assert not any(o.rejected for o in first)
    after_first = state()
    second = ingest_batched(sample_provider, docs, size=7)
    assert {o.result for o in second} == {Result.IGNORED}
    assert state() == after_first


def test_a_batch_needs_far_fewer_queries_than_the_same_items_one_by_one(sample_provider):
    docs = documents(20)[:20]  # new stories only
    single_provider = make_provider("single", "単独通信")
    with CaptureQueriesContext(connection) as one_by_one:
        for data, label in docs[:10]:
            only(Ingestor(provider=single_provider).ingest_bytes(data, label))
    with CaptureQueriesContext(connection) as batched:
        ingest_batched(sample_provider, docs[10:], size=10)
    # In tests the related-reads task runs at once, the same work either way.
    assert len(batched) < len(one_by_one) * 0.7, (len(batched), len(one_by_one))


def test_the_cli_ingests_many_files_in_batches(sample_provider, tmp_path, monkeypatch):
    from django.core.management import CommandError, call_command

    for n, (data, _) in enumerate(documents(6)[:6]):
        (tmp_path / f"{n:02d}.xml").write_bytes(data)
    (tmp_path / "zz_hostile.xml").write_bytes(fixture("hostile/billion_laughs.xml"))
    finished = []
    real_finish = batches.Batch.finish

    def finish(self: batches.Batch) -> None:
        finished.append(len(self.published))
        real_finish(self)

    monkeypatch.setattr(batches.Batch, "finish", finish)
    monkeypatch.setattr(ingest_module, "BATCH_SIZE", 4)
    with pytest.raises(CommandError):  # exit status 1: one document was refused
        call_command("ingest", str(tmp_path), "--provider", "sample", stdout=StringIO())
    assert finished == [4, 2]  # two transactions for seven files
    assert ArticlePage.objects.live().count() == 6
