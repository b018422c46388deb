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
from sokuho.wire.models import Result, Source, WireDocument, WireItemRecord, WireStory
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


# --- what a batch reads ahead, for all its documents at once -------------------------------------
def test_a_story_and_its_newer_versions_in_one_batch_leave_what_one_by_one_leaves(db):
    """The stories, articles and documents read ahead follow what earlier items of the
    same batch did: a story and two newer versions of it, and the same bytes twice."""
    second = testing.newsml_item(1, version=2, body="xhtml")
    docs = [
        (testing.newsml_item(1, body="xhtml"), "first.xml"),
        (testing.newsml_item(2, body="xhtml"), "other.xml"),
        (second, "second.xml"),
        (second, "second-again.xml"),
        (testing.newsml_item(1, version=3, body="xhtml", headline="第3版の見出し"), "third.xml"),
    ]
    batched = make_provider("batched", "一括通信")
    single = make_provider("single", "単独通信")
    together = [o.result for o in ingest_batched(batched, docs, size=len(docs))]
    one_by_one = [
        o.result
        for data, label in docs
        for o in Ingestor(provider=single).ingest_bytes(data, label)
    ]
    published, updated, ignored = Result.PUBLISHED, Result.UPDATED, Result.IGNORED
    assert together == one_by_one == [published, published, updated, ignored, updated]

    def story_one(provider: Any) -> tuple[Any, ...]:
        story = WireStory.objects.get(provider=provider, guid__endswith="story-1")
        page = ArticlePage.objects.get(pk=story.article_id)
        revisions = Revision.page_revisions.filter(object_id=str(page.pk)).order_by("id")
        return (
            story.version,
            story.result,
            page.title,
            page.live,
            page.latest_revision_id == page.live_revision_id == revisions.last().pk,
            [revision.content["title"] for revision in revisions],
        )

    assert story_one(batched) == story_one(single)
    assert story_one(batched)[:2] == (3, Result.UPDATED)
    assert story_one(batched)[2] == "第3版の見出し"
    # Each distinct document once, and every record points at its own bytes.
    assert WireDocument.objects.count() == 4
    for record in WireItemRecord.objects.select_related("document"):
        assert record.document.filename in {label for _, label in docs}


def test_a_failed_item_leaves_nothing_read_ahead_behind_for_the_rest_of_its_batch(
    sample_provider, monkeypatch
):
    real_audit = ingest_module._audit
    failed = []

    def audit(page: ArticlePage, result: str, item: Any, provider: Any) -> None:
        if item.guid.endswith("story-7") and not failed:
            failed.append(item.guid)
            raise RuntimeError("disk full")  # after its page and story row were written
        real_audit(page, result, item, provider)

    monkeypatch.setattr(ingest_module, "_audit", audit)
    docs = [
        (testing.newsml_item(7, body="xhtml"), "first.xml"),
        (testing.newsml_item(7, version=2, body="xhtml"), "second.xml"),
    ]
    outcomes = ingest_batched(sample_provider, docs, size=2)
    # The second version is the story's first to arrive: its slug is free, the story new.
    assert [o.result for o in outcomes] == [Result.REJECTED, Result.PUBLISHED]
    story = WireStory.objects.get(guid__endswith="story-7")
    assert (story.version, story.article_id) == (2, outcomes[1].article_id)
    assert ArticlePage.objects.count() == 1


def test_a_new_article_whose_slug_a_sibling_has_is_refused_as_one_by_one(sample_provider):
    from sokuho.wire.parsing import parse_document

    data = testing.newsml_item(3, body="xhtml")
    item = parse_document(data).items[0]
    slug = ingest_module._slug(item, sample_provider)
    parent = Ingestor(provider=sample_provider)._rule(sample_provider)[1].choose(item)
    parent.add_child(instance=Page(title="編集部のページ", slug=slug))
    # The same slug elsewhere in the tree is no sibling: that story is published.
    other = parse_document(testing.newsml_item(4, body="xhtml")).items[0]
    Page.objects.get(depth=2).add_child(
        instance=Page(title="別の場所", slug=ingest_module._slug(other, sample_provider))
    )
    outcomes = ingest_batched(sample_provider, [(data, "3.xml"), (testing.newsml_item(4), "4")])
    assert [o.result for o in outcomes] == [Result.REJECTED, Result.PUBLISHED]
    assert slug in outcomes[0].reason


def test_wagtail_search_is_updated_once_per_batch_and_at_once_outside_one(
    sample_provider, monkeypatch
):
    from django.apps import apps

    from sokuho.wire import tasks

    entries = apps.get_model("wagtailsearch", "IndexEntry").objects
    page_type = ContentType.objects.get_for_model(ArticlePage)
    updated = []
    real_update = tasks.index.insert_or_update_object

    def insert_or_update_object(instance: Any) -> None:
        updated.append(instance.pk)
        real_update(instance)

    monkeypatch.setattr(tasks.index, "insert_or_update_object", insert_or_update_object)
    docs = documents(6)
    outcomes = ingest_batched(sample_provider, docs, size=len(docs))
    ids = {o.article_id for o in outcomes}
    # Each object once (articles created and updated alike, and new author pages).
    assert ids <= set(updated) and len(updated) == len(set(updated))
    indexed = set(entries.filter(content_type=page_type).values_list("object_id", flat=True))
    assert {str(pk) for pk in ids} <= indexed
    # Outside a batch, a save is indexed as Wagtail does it (its own task, at once here).
    page = ArticlePage.objects.get(pk=outcomes[0].article_id)
    page.title = "編集部が直した見出し"
    page.save_revision().publish()
    entry = entries.get(content_type=page_type, object_id=str(page.pk))
    assert page.title in str(entry.title)  # PostgreSQL keeps it as a tsvector


def story_reads(queries: CaptureQueriesContext) -> list[str]:
    table = WireStory._meta.db_table
    return [q["sql"] for q in queries if q["sql"].startswith("SELECT") and table in q["sql"]]


def test_the_cli_and_the_watch_folder_read_ahead_for_each_batch(sample_provider, tmp_path):
    from django.core.management import call_command

    from sokuho.wire.files import WatchFolder

    cli, watched = tmp_path / "cli", tmp_path / "watched"
    for folder, start in ((cli, 0), (watched, 10)):
        folder.mkdir()
        for n in range(5):
            (folder / f"{n:02d}.xml").write_bytes(testing.newsml_item(start + n))
    with CaptureQueriesContext(connection) as queries:
        call_command("ingest", str(cli), "--provider", "sample", stdout=StringIO())
    assert len(story_reads(queries)) == 1  # one read for the five, not one each
    watcher = WatchFolder(watched, Ingestor(provider=sample_provider), settle_seconds=0)
    watcher.prepare()
    with CaptureQueriesContext(connection) as queries:
        outcomes = watcher.run_once(lambda path, outcome: None)
    assert len(story_reads(queries)) == 1
    assert [o.result for o in outcomes] == [Result.PUBLISHED] * 5
    assert ArticlePage.objects.live().count() == 10


def test_a_known_storys_version_that_fails_leaves_the_next_one_the_stored_article(
    sample_provider, monkeypatch
):
    """After a version of a known story fails (its changes rolled back), the next version
    in the same batch starts from the stored article, without the failed one's 訂正."""
    only(Ingestor(provider=sample_provider).ingest_bytes(testing.newsml_item(7), "v1.xml"))
    real_audit = ingest_module._audit

    def audit(page: ArticlePage, result: str, item: Any, provider: Any) -> None:
        if item.version == 2:
            raise RuntimeError("disk full")  # after the page was changed and saved
        real_audit(page, result, item, provider)

    monkeypatch.setattr(ingest_module, "_audit", audit)
    docs = [
        (testing.newsml_item(7, version=2, signals=("correction",)), "v2.xml"),
        (testing.newsml_item(7, version=3, headline="第3版の見出し"), "v3.xml"),
    ]
    outcomes = ingest_batched(sample_provider, docs, size=2)
    assert [o.result for o in outcomes] == [Result.REJECTED, Result.UPDATED]
    page = ArticlePage.objects.get(pk=outcomes[1].article_id)
    assert page.title == "第3版の見出し"
    assert page.corrections.count() == 0
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == 2


def test_two_newer_versions_of_a_known_story_in_one_batch_keep_each_others_changes(db):
    """Two newer versions of a story stored before the batch: the second starts from what
    the first left (here its 訂正 note), as one by one."""
    batched = make_provider("batched", "一括通信")
    single = make_provider("single", "単独通信")
    for provider in (batched, single):
        only(Ingestor(provider=provider).ingest_bytes(testing.newsml_item(7), "v1.xml"))
    docs = [
        (testing.newsml_item(7, version=2, signals=("correction",)), "v2.xml"),
        (testing.newsml_item(7, version=3, headline="第3版の見出し"), "v3.xml"),
    ]
    ingest_batched(batched, docs, size=2)
    for data, label in docs:
        only(Ingestor(provider=single).ingest_bytes(data, label))

    def story(provider: Any) -> tuple[Any, ...]:
        page = ArticlePage.objects.get(
            pk=WireStory.objects.get(provider=provider, guid__endswith="story-7").article_id
        )
        revisions = Revision.page_revisions.filter(object_id=str(page.pk))
        return page.title, page.corrections.count(), revisions.count()

    assert story(batched) == story(single) == ("第3版の見出し", 1, 3)


@pytest.mark.parametrize("read_ahead_bytes", [1024 * 1024, 0], ids=["read-ahead", "too-large"])
def test_a_batch_of_files_opens_each_file_once(
    sample_provider, tmp_path, monkeypatch, read_ahead_bytes
):
    from pathlib import Path

    from sokuho.wire import files

    for n in range(4):
        (tmp_path / f"{n:02d}.xml").write_bytes(testing.newsml_item(20 + n))
    monkeypatch.setattr(files, "READ_AHEAD_MAX_BYTES", read_ahead_bytes)
    opened = Counter()
    real_open = Path.open

    def counting_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        opened[self.name] += 1
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", counting_open)
    found = dict(files.ingest_files(Ingestor(provider=sample_provider), files.expand([tmp_path])))
    assert [o.result for outcomes in found.values() for o in outcomes] == [Result.PUBLISHED] * 4
    assert opened == {f"{n:02d}.xml": 1 for n in range(4)}
