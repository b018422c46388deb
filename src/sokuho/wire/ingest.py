"""Wire items become articles: created, updated, corrected, held, scheduled or killed.

Items are keyed on (provider, guid) in :class:`~sokuho.wire.models.WireStory`. A version
applies only when it is newer than the story's last one (by version-created, then by
version number); anything older or equal is logged and changes nothing, so re-ingesting
a file is harmless. Every item received — and every refused document — leaves one
:class:`~sokuho.wire.models.WireItemRecord` with the decision and its reason.

Articles are written the way an editor writes them: a Wagtail revision per applied
version (older text stays in the page history), then publishing, scheduling (embargo:
Wagtail's go-live date, published by the scheduler) or nothing (held as a draft).
A kill unpublishes at once, cancels any schedule and locks the page.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import escape, strip_tags
from treebeard.exceptions import PathOverflow
from wagtail.models import (
    COMMENTS_RELATION_NAME,
    Comment,
    Page,
    Revision,
    Site,
    WorkflowState,
)
from wagtail.signals import page_published

from sokuho.ja.dates import format_jst, to_jst
from sokuho.news.models import (
    ArticleByline,
    ArticleCorrection,
    ArticlePage,
    AuthorIndexPage,
    AuthorPage,
    Provider,
)
from sokuho.news.models.article import ArticleLabel
from sokuho.wire import batch as batches
from sokuho.wire.models import (
    GUID_MAX_LENGTH,
    REJECTED_HEAD_BYTES,
    PublishMode,
    Result,
    Source,
    WireDocument,
    WireItemRecord,
    WireRule,
    WireStory,
)
from sokuho.wire.parsing import WireItem, WireParseError, parse_document
from sokuho.wire.pictures import PictureMissing, PictureSource, read_picture, store_image
from sokuho.wire.rules import ProviderDirectory, SectionChooser, UnknownProvider, rule_for

logger = logging.getLogger(__name__)

T = TypeVar("T")
MAX_VERSION = 2**63 - 1
# Documents per transaction in batch mode: large enough that commits and the reactions
# to publishing are a small share, small enough that a batch holds locks only briefly.
BATCH_SIZE = 100
MAX_BYLINES = 10
SUMMARY_LENGTH = 120
# Item classes that become articles; the rest (video, audio, events …) are only logged.
ARTICLE_CLASSES = {"text", "picture", "graphic", "composite"}
LABELS = {choice.value for choice in ArticleLabel}
_LEADING_BRACKET = re.compile(r"^\s*【([^】]{1,20})】\s*")
# Where an article goes: live now, scheduled (embargo), or a draft.
LIVE, SCHEDULED, DRAFT = "live", "scheduled", "draft"
# Results after which the article was shown to readers by the wire.
SHOWN_RESULTS = {Result.PUBLISHED, Result.UPDATED, Result.CORRECTED}


# The parsers explain refusals in English; editors read the log in Japanese first.
REFUSALS_JA = {
    "empty": "空のファイルです",
    "not-wire": "配信データ（XML・JSON）ではありません",
    "unsupported-item": "ニュース記事を含まない項目です",
    "unknown-format": "対応していない形式です（NewsML-G2・ninjs・NITF のみ）",
    "not-ninjs": "ninjs ではない JSON です",
    "json-syntax": "JSON の構文が正しくありません",
    "encoding": "文字コードを読めません",
    "too-large": "大きすぎます",
    "entity-declaration": "危険な XML（エンティティ宣言）のため読みません",
    "xml-syntax": "XML の構文が正しくありません",
    "too-deep": "入れ子が深すぎます",
    "empty-message": "newsMessage に項目がありません",
    "no-usable-item": "使える項目がありません",
    "no-headline": "見出しがありません",
    "no-guid": "GUID（識別子）がありません",
}


def refusal_text(error: WireParseError) -> str:
    ja = REFUSALS_JA.get(error.code)
    return f"{ja}（{error.reason}）" if ja else error.reason


@dataclass
class Outcome:
    """What happened to one received item (or a refused document)."""

    result: str
    guid: str = ""
    version: int | None = None
    headline: str = ""
    reason: str = ""
    filename: str = ""
    provider: str = ""
    article_id: int | None = None
    record_id: int | None = None

    @property
    def rejected(self) -> bool:
        return self.result == Result.REJECTED

    @property
    def label(self) -> str:
        return Result(self.result).label

    def line(self) -> str:
        """One line for the command line: result, what it was, why."""
        what = self.guid or self.filename or "?"
        if self.version is not None:
            what += f" 第{self.version}版"
        parts = [f"[{self.label}]", what]
        if self.headline:
            parts.append(f"「{self.headline[:40]}」")
        if self.reason:
            parts.append(f"— {self.reason}")
        return " ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "result": self.result,
            "result_label": self.label,
            "guid": self.guid,
            "version": self.version,
            "headline": self.headline,
            "reason": self.reason,
            "article_id": self.article_id,
            "record_id": self.record_id,
        }


class ItemRefused(Exception):
    """An item ingest cannot use; recorded as rejected with ``reason``."""

    def __init__(self, reason: str, code: str = "invalid") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


def ingest_bytes(
    provider: Provider | None,
    data: bytes,
    filename: str = "",
    *,
    source: str = Source.OTHER,
    pictures: PictureSource | None = None,
) -> list[Outcome]:
    """Ingest one wire document; one :class:`Outcome` per item (or one for a refusal).

    ``provider`` None: each item's provider is matched by name, code or alias.
    """
    return Ingestor(provider=provider, source=source).ingest_bytes(data, filename, pictures)


class Ingestor:
    """One ingest run; remembers rules, sections and authors across its documents."""

    def __init__(self, *, provider: Provider | None = None, source: str = Source.OTHER) -> None:
        self.provider = provider
        self.source = source
        self.forget_lookups()

    def forget_lookups(self) -> None:
        """Read rules, sections, providers and author pages afresh from now on (a
        long-running watcher calls this before each poll: editors change rules)."""
        self._rules: dict[int, tuple[WireRule, SectionChooser]] = {}
        self._authors: dict[str, AuthorPage] = {}
        # What was remembered, in order (so a rollback can forget what came after).
        self._remembered_keys: list[tuple[str, Any]] = []
        self._author_index: AuthorIndexPage | None = None
        self._directory: ProviderDirectory | None = None

    # --- batches -------------------------------------------------------------------
    @contextmanager
    def batch(self) -> Iterator[None]:
        """Everything ingested inside is one transaction, with the reactions to it (search
        index, related reads, page cache, reference index) once at its end; each item
        still has its own savepoint, so a failing one rolls back alone. Re-entering an
        open batch is a no-op (a document ingested on its own is a batch of one)."""
        if batches.current() is not None:
            yield
            return
        with transaction.atomic(), batches.Batch() as batch:
            yield
            batch.finish()

    def in_batches(
        self,
        things: Iterable[T],
        ingest: Callable[[T], list[Outcome]],
        size: int | None = None,
        prepare: Callable[[list[T]], None] | None = None,
    ) -> Iterator[tuple[T, list[Outcome]]]:
        """``ingest(thing)`` for each thing, ``size`` to a transaction; each thing's outcomes
        are yielded once its batch has committed (the watch folder moves files then).
        ``prepare(things)`` runs first in each batch, to look up at once what its things
        will read.

        Should a batch fail as a whole (its reactions, or the commit), its things are
        ingested again one by one, so one cannot take the others down with it.
        """
        size = size or BATCH_SIZE
        chunk: list[T] = []
        for thing in things:
            chunk.append(thing)
            if len(chunk) >= size:
                yield from self._ingest_chunk(chunk, ingest, prepare)
                chunk = []
        if chunk:
            yield from self._ingest_chunk(chunk, ingest, prepare)

    def _ingest_chunk(
        self,
        chunk: list[T],
        ingest: Callable[[T], list[Outcome]],
        prepare: Callable[[list[T]], None] | None,
    ) -> list[tuple[T, list[Outcome]]]:
        remembered = self._remembered()
        try:
            with self.batch():
                if prepare is not None:
                    prepare(chunk)
                return [(thing, ingest(thing)) for thing in chunk]
        except Exception:
            self._forget_since(remembered)
            if len(chunk) == 1:
                raise
            logger.exception("Wire batch of %d failed; ingesting them one by one", len(chunk))
        return [(thing, ingest(thing)) for thing in chunk]

    def _remembered(self) -> int:
        return len(self._remembered_keys)

    def _forget_since(self, remembered: int) -> None:
        """Rows this ingestor remembered and a rollback took away (an author page created
        by a failed item) are looked up again, never referenced."""
        for kind, key in self._remembered_keys[remembered:]:
            (self._authors if kind == "author" else self._rules).pop(key, None)
        del self._remembered_keys[remembered:]

    def ingest_many(
        self,
        documents: Iterable[tuple[bytes, str]],
        size: int | None = None,
    ) -> Iterator[list[Outcome]]:
        """Outcomes of each ``(data, filename)``, ingested in batches of ``size``
        (BATCH_SIZE by default)."""
        for _, outcomes in self.in_batches(
            documents, lambda document: self.ingest_bytes(*document), size, self.prepare
        ):
            yield outcomes

    def prepare(self, documents: list[tuple[bytes, str]]) -> None:
        """A batch's documents parsed, what ingesting them reads looked up with one query
        each (stored documents, story rows, the articles to update with their corrections
        and topics, pages with the slugs its articles take), and the new documents stored
        with one insert; each document still goes through ingest_bytes, which finds these
        in the batch. Called inside a batch, before its first document (in_batches does)."""
        batch = batches.current()
        assert batch is not None
        _read_documents(batch, documents)
        items: list[tuple[Provider, WireItem]] = []
        for parsed in batch.parsed.values():
            for item in parsed.items:
                try:
                    items.append((self.provider or self._find_provider(item), item))
                except UnknownProvider:
                    continue
        _read_stories(batch, items)

    # --- documents ---------------------------------------------------------------
    def ingest_bytes(
        self, data: bytes, filename: str = "", pictures: PictureSource | None = None
    ) -> list[Outcome]:
        """Ingest one wire document (within the open batch, else as a batch of one)."""
        with self.batch():
            return self._ingest_bytes(data, filename, pictures)

    def _ingest_bytes(
        self, data: bytes, filename: str, pictures: PictureSource | None
    ) -> list[Outcome]:
        batch = batches.current()
        parsed = batch.parsed.pop(_digest(data), None) if batch is not None else None
        try:
            if parsed is None:
                parsed = parse_document(data, filename)
        except WireParseError as error:
            return [self.refuse_data(data, filename, refusal_text(error), error.code, error.guid)]
        except Exception as error:  # a parser bug must not lose the document or crash a feed
            logger.exception("Wire parser failed on %s", filename)
            return [
                self.refuse_data(
                    data,
                    filename,
                    f"解析中に予期しないエラーが発生しました: {error}",
                    "parser-error",
                )
            ]
        document = self._store_document(data, filename)
        outcomes = [
            self._record(
                provider=self.provider,
                item=None,
                guid=rejected.guid or rejected.error.guid,
                result=Result.REJECTED,
                reason=f"{rejected.index}番目の項目: {refusal_text(rejected.error)}",
                code=rejected.error.code,
                filename=filename,
                document=document,
            )
            for rejected in parsed.rejected
        ]
        for item in parsed.items:
            outcomes.append(self._ingest_item(item, filename, document, pictures))
        return outcomes

    def refuse(self, filename: str, reason: str, code: str) -> Outcome:
        """Log a delivery that could not even be read (an unreadable file …)."""
        return self._record(
            provider=self.provider,
            item=None,
            result=Result.REJECTED,
            reason=reason,
            code=code,
            filename=filename,
        )

    def _store_document(
        self, data: bytes, filename: str, *, keep: int | None = None
    ) -> WireDocument:
        digest = _digest(data)
        batch = batches.current()
        document = batch.documents.get(digest) if batch is not None else None
        if document is None:
            document = WireDocument.objects.filter(sha256=digest).defer("data").first()
        if document is None:
            try:
                with transaction.atomic():
                    document = _new_document(data, filename, digest, keep)
                    document.save(force_insert=True)
            except IntegrityError:  # the same bytes arrived at the same moment elsewhere
                document = WireDocument.objects.get(sha256=digest)
        return document

    def refuse_data(
        self, data: bytes, filename: str, reason: str, code: str, guid: str = ""
    ) -> Outcome:
        """Log a refused document, keeping its first bytes to look at."""
        document = self._store_document(data, filename, keep=REJECTED_HEAD_BYTES)
        return self._record(
            provider=self.provider,
            item=None,
            guid=guid,
            result=Result.REJECTED,
            reason=reason,
            code=code,
            filename=filename,
            document=document,
        )

    # --- items ---------------------------------------------------------------------
    def ingest_item(
        self,
        item: WireItem,
        filename: str = "",
        document: WireDocument | None = None,
        pictures: PictureSource | None = None,
    ) -> Outcome:
        """Ingest one parsed item (within the open batch, else as a batch of one)."""
        with self.batch():
            return self._ingest_item(item, filename, document, pictures)

    def _ingest_item(
        self,
        item: WireItem,
        filename: str,
        document: WireDocument | None,
        pictures: PictureSource | None,
    ) -> Outcome:
        provider = self.provider
        try:
            if provider is None:
                provider = self._find_provider(item)
            _check_item(item)
        except (UnknownProvider, ItemRefused) as refusal:
            code = getattr(refusal, "code", "unknown-provider")
            return self._record(
                provider=provider,
                item=item,
                result=Result.REJECTED,
                reason=str(refusal),
                code=code,
                filename=filename,
                document=document,
            )
        batch = batches.current()
        mark = batch.mark() if batch is not None else None
        remembered = self._remembered()
        try:
            with transaction.atomic():  # a savepoint: a failing item rolls back alone
                return self._apply(provider, item, filename, document, pictures or PictureSource())
        except ItemRefused as refusal:
            reason, code = refusal.reason, refusal.code
        except Exception as error:  # the item is kept (document + record) for a retry
            logger.exception("Wire ingest failed for %s", item.guid)
            reason, code = f"取り込み中にエラーが発生しました: {error}", "internal-error"
        self._forget_since(remembered)  # what the item had done is undone: forget it too
        if batch is not None and mark is not None:
            batch.rollback_to(mark)
        return self._record(
            provider=provider,
            item=item,
            result=Result.REJECTED,
            reason=reason,
            code=code,
            filename=filename,
            document=document,
        )

    def _find_provider(self, item: WireItem) -> Provider:
        if self._directory is None:
            self._directory = ProviderDirectory()
        return self._directory.find(item)

    def _rule(self, provider: Provider) -> tuple[WireRule, SectionChooser]:
        if provider.pk not in self._rules:
            rule = rule_for(provider)
            self._rules[provider.pk] = (rule, SectionChooser(rule))
            self._remembered_keys.append(("rule", provider.pk))
        return self._rules[provider.pk]

    def _apply(
        self,
        provider: Provider,
        item: WireItem,
        filename: str,
        document: WireDocument | None,
        pictures: PictureSource,
    ) -> Outcome:
        rule, sections = self._rule(provider)
        story = _lock_story(provider, item.guid)
        digest = item_hash(item)
        record = {
            "provider": provider,
            "item": item,
            "story": story,
            "filename": filename,
            "document": document,
            "digest": digest,
        }
        if story.is_killed:
            return self._record(
                **record,
                result=Result.IGNORED,
                reason="配信元が取り消した記事です。取り消し後に届いた版は反映しません。",
            )
        order = _compare(item, story) if story.result else 1
        canceled = item.status == "canceled"
        if order < 0 or (order == 0 and not canceled):
            return self._record(
                **record, result=Result.IGNORED, reason=_why_not_newer(order, story, digest)
            )
        if canceled:
            return self._kill(story, record)
        if item.item_class not in ARTICLE_CLASSES:
            _advance(story, item, digest, Result.IGNORED)
            reason = f"この種類（{item.item_class}）の配信は記事にしません。"
            if item.item_refs:
                reason += f" 含まれる項目: {', '.join(item.item_refs[:10])}"
            return self._record(**record, result=Result.IGNORED, reason=reason)
        if story.article_created_at and story.article_id is None:
            return self._record(
                **record,
                result=Result.IGNORED,
                reason="編集部が記事を削除済みのため、この版は反映しません。",
            )
        pictures.allowed_urls = rule.picture_base_list()
        if story.article_id:
            article = _article_for_update(story.article_id)
            result, reason, page = self._update(article, story, rule, item, pictures)
        else:
            section = sections.choose(item)
            if section is None:
                raise ItemRefused("記事を置くセクションがありません。", "no-section")
            result, reason, page = self._create(section, story, rule, provider, item, pictures)
        story.article = page
        _advance(story, item, digest, result)
        _audit(page, result, item, provider)
        return self._record(**record, result=result, reason=reason, article=page)

    # --- the article -----------------------------------------------------------------
    def _create(
        self,
        section: Page,
        story: WireStory,
        rule: WireRule,
        provider: Provider,
        item: WireItem,
        pictures: PictureSource,
    ) -> tuple[str, str, ArticlePage]:
        target, why = _target(item, rule, None, story)
        now = timezone.now()
        page = ArticlePage(live=False, slug=_slug(item, provider), provider=provider)
        notes = self._fill(page, item, pictures)
        page.go_live_at, page.expire_at = _schedule(item)
        if target == LIVE:
            # A new page goes in live with its first revision, as Wagtail's publish step
            # would leave it, without loading the revision back and saving the page twice
            # more (half the cost of an ingest); the same signal and log entry follow.
            page.live, page.has_unpublished_changes = True, False
            page.first_published_at = page.last_published_at = now
        self._add_page(section, page)
        revision = _save_revision(page, changed=target != LIVE, live=target == LIVE)
        if target == LIVE:
            batches.log(page, "wagtail.publish", revision=revision, content_changed=True)
            _published(page, revision)
        elif target == SCHEDULED:
            revision.publish()  # Wagtail holds it until go_live_at; the scheduler publishes
        story.article_created_at = now
        result = {LIVE: Result.PUBLISHED, SCHEDULED: Result.EMBARGOED, DRAFT: Result.HELD}[target]
        if "correction" in item.signals:
            notes.append("訂正版として届きましたが、以前の版は当サイトに出ていません。")
        where = f"セクション: {section.title}。"
        return result, _join(why or "公開しました。", where, *notes), page

    def _update(
        self,
        article: ArticlePage,
        story: WireStory,
        rule: WireRule,
        item: WireItem,
        pictures: PictureSource,
    ) -> tuple[str, str, ArticlePage]:
        target, why = _target(item, rule, article, story)
        if target == LIVE and _can_publish_directly(article, item):
            return self._update_live(article, item, why, pictures)
        notes = []
        if _must_come_down(item):
            # Withheld or past its licence: off the site now, and nothing left scheduled.
            if article.live:
                article.unpublish()
                notes.append("公開中の記事を非公開にしました。")
            _unschedule(article)
        page = article.get_latest_revision_as_object()
        notes += self._fill(page, item, pictures, keep_image=True)
        corrected = _add_correction(page, item)
        page.go_live_at, page.expire_at = _schedule(item)
        revision = page.save_revision(clean=False)
        if target == DRAFT:
            result = Result.HELD
        else:
            revision.publish()
            if target == SCHEDULED:
                result = Result.EMBARGOED
            else:
                result = Result.CORRECTED if corrected else Result.UPDATED
        return result, _update_summary(item, corrected, why, notes), page

    def _update_live(
        self, article: ArticlePage, item: WireItem, why: str, pictures: PictureSource
    ) -> tuple[str, str, ArticlePage]:
        """A newer version of a live article whose page row is its latest revision: the
        revision saved and published as Wagtail's publish step leaves it, without loading
        the revision back and saving the page twice (see _can_publish_directly)."""
        page = article
        old_title = str(page)
        notes = self._fill(page, item, pictures, keep_image=True)
        corrected = _add_correction(page, item)
        page.go_live_at, page.expire_at = _schedule(item)
        with _slug_check_from_batch(page):
            _validate(page)
        setattr(page, COMMENTS_RELATION_NAME, [])  # it has none (_can_publish_directly)
        revision = _new_revision(page)
        now = timezone.now()
        page.latest_revision, page.latest_revision_created_at = revision, revision.created_at
        page.live_revision, page.last_published_at = revision, now
        page.draft_title = page.title
        page.has_unpublished_changes = page.expired = False
        page.save(clean=False, update_fields=_UPDATE_FIELDS)
        # Wagtail's publish step: a rename is logged, and the publish entry carries it.
        data = None
        if old_title != str(page):
            data = {"title": {"old": old_title, "new": str(page)}}
            batches.log(page, "wagtail.rename", data=data, revision=revision)
        batches.log(page, "wagtail.publish", data=data, revision=revision, content_changed=True)
        _published(page, revision)
        result = Result.CORRECTED if corrected else Result.UPDATED
        return result, _update_summary(item, corrected, why, notes), page

    def _add_page(self, parent: Page, page: ArticlePage) -> None:
        """``parent.add_child(instance=page)`` as treebeard does it (the parent's row locked,
        the new path after its last child, numchild + 1), but the parent is locked and its
        last child read once per batch: the lock is held until the batch commits, so no
        other writer can add a child in between. Validation is Wagtail's, without the
        per-foreign-key existence queries (ingest sets those keys itself)."""
        batch = batches.current()
        state = batch.tree.get(parent.pk) if batch is not None else None
        if state is None:
            locked = Page.objects.select_for_update().get(pk=parent.pk)
            last = (
                Page.objects.filter(path__startswith=locked.path, depth=locked.depth + 1)
                .order_by("-path")
                .values_list("path", flat=True)
                .first()
            )
            state = [locked, Page._str2int(last[-Page.steplen :]) if last else 0]
            if batch is not None:
                batch.tree[parent.pk] = state
                locked.numchild += batch.children.get(parent.pk, 0)  # not written yet
        locked, position = state
        if len(Page._int2str(position + 1)) > Page.steplen:
            raise PathOverflow(f"Path Overflow under {locked.path}")
        page.depth = locked.depth + 1
        page.path = Page._get_path(locked.path, page.depth, position + 1)
        page.numchild = 0
        page.locale_id = locked.locale_id  # what Wagtail takes: the parent's locale
        page.section_id = parent.pk  # what ArticlePage.save would look up
        page._cached_parent_obj = locked
        page._is_site_root = False  # a new article is no site's root (saves a query)
        with _slug_check_from_batch(page):
            if page.live:
                _validate(page)
            else:
                page.minimal_clean()  # what Wagtail checks for a draft
        # The bylines go in with one insert after the page (modelcluster would first look
        # for existing ones, then save them one by one).
        bylines = list(page.bylines.all())
        getattr(page, "_cluster_related_objects", {}).pop("bylines", None)
        page.save(clean=False, log_action=None)  # its "wagtail.create" entry follows
        for byline in bylines:
            byline.page = page
        ArticleByline.objects.bulk_create(bylines)
        if batch is not None and page.slug in batch.slugs:
            batch.slugs[page.slug].append((page.pk, page.path))
        batches.log(page, "wagtail.create", user=page.owner, content_changed=True)
        state[1] = position + 1
        locked.numchild += 1
        if batch is not None:
            batch.children[parent.pk] = batch.children.get(parent.pk, 0) + 1
        else:
            Page.objects.filter(pk=locked.pk).update(numchild=F("numchild") + 1)
        # The saved children, in memory for the revision (a new page has nothing else).
        page.bylines = bylines
        page.corrections, page.topics = [], []
        setattr(page, COMMENTS_RELATION_NAME, [])

    def _fill(
        self, page: ArticlePage, item: WireItem, pictures: PictureSource, keep_image: bool = False
    ) -> list[str]:
        """Copy the wire's fields onto the page; notes for the log."""
        notes = []
        label, title = split_label(item.headline)
        page.title = title[:255]
        page.draft_title = page.title
        page.label = label
        body = item.body_html
        if not strip_tags(body).strip():
            # A flash (headline only) or a picture: the caption, else the headline, is the text.
            caption = item.pictures[0].caption if item.pictures else ""
            body = f"<p>{escape(caption or title)}</p>"
        page.body = body
        page.summary = summarise(body)
        page.dateline_place = (item.dateline_place or item.located)[:60]
        page.bylines = [ArticleByline(author=author) for author in self._authors_for(item)]
        if item.pictures:
            picture = item.pictures[0]
            try:
                image = store_image(read_picture(picture, pictures), picture.caption or title)
            except PictureMissing as missing:
                notes.append(f"写真なし: {missing}")
                if not keep_image:
                    page.lead_image = None
            else:
                page.lead_image = image
                page.lead_image_caption = picture.caption
                page.lead_image_credit = picture.credit[:255]
                page.lead_image_alt = (picture.alt_text or picture.caption or title)[:255]
        return notes

    def _authors_for(self, item: WireItem) -> list[AuthorPage]:
        authors = []
        for raw in item.bylines[:MAX_BYLINES]:
            name = " ".join(raw.split())[:100]
            if name and name not in self._authors:
                self._authors[name] = self._find_or_create_author(name)
                self._remembered_keys.append(("author", name))
            if name and self._authors[name] not in authors:
                authors.append(self._authors[name])
        return authors

    def _find_or_create_author(self, name: str) -> AuthorPage:
        slug = "wire-" + hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[:12]
        found = AuthorPage.objects.filter(title=name).first() or (
            AuthorPage.objects.filter(slug=slug).first()
        )
        if found is not None:
            return found
        if self._author_index is None:
            self._author_index = AuthorIndexPage.objects.get()
        return self._author_index.add_child(
            instance=AuthorPage(title=name, slug=slug, affiliation="配信")
        )

    # --- kills ------------------------------------------------------------------------
    def _kill(self, story: WireStory, record: dict[str, Any]) -> Outcome:
        item: WireItem = record["item"]
        article = ArticlePage.objects.filter(pk=story.article_id).first()
        story.killed_at = timezone.now()
        _advance(story, item, record["digest"], Result.KILLED)
        note = f" 配信元の連絡: {item.editor_note}" if item.editor_note else ""
        if article is None:
            return self._record(
                **record,
                result=Result.KILLED,
                reason="配信元が取り消しました（記事は作られていません）。" + note,
            )
        was_live = article.live
        if was_live:
            article.unpublish()
        _unschedule(article)
        Page.objects.filter(pk=article.pk).update(locked=True, locked_at=timezone.now())
        _audit(article, Result.KILLED, item, record["provider"])
        reason = "配信元が取り消しました。" + ("記事を非公開にしました。" if was_live else "")
        return self._record(**record, result=Result.KILLED, reason=reason + note, article=article)

    # --- the log ----------------------------------------------------------------------
    def _record(
        self,
        *,
        provider: Provider | None,
        item: WireItem | None,
        result: str,
        reason: str = "",
        code: str = "",
        guid: str = "",
        filename: str = "",
        document: WireDocument | None = None,
        story: WireStory | None = None,
        article: ArticlePage | None = None,
        digest: str = "",
    ) -> Outcome:
        fields: dict[str, Any] = {}
        if item is not None:
            guid = item.guid
            fields = {
                "version": item.version if _version_fits(item.version) else None,
                "version_created": _storable(item.version_created),
                "format": item.format,
                "status": item.status,
                "signals": ",".join(sorted(item.signals)),
                "headline": item.headline[:255],
                "warnings": "\n".join(item.warnings)[:10000],
                "summary": summary_of(item),
            }
        record = WireItemRecord(
            source=self.source,
            provider=provider,
            story=story,
            guid=guid[:GUID_MAX_LENGTH],
            result=result,
            reason=reason[:5000],
            error_code=code[:40],
            filename=filename[-255:],
            content_hash=digest,
            article=article,
            document=document,
            **fields,
        )
        outcome = Outcome(
            result=result,
            guid=record.guid,
            version=record.version,
            headline=record.headline,
            reason=reason,
            filename=filename,
            provider=provider.code if provider else "",
            article_id=article.pk if article else None,
        )
        batch = batches.current()
        if batch is not None:
            batch.records.append((record, outcome))  # record_id once written, at the end
        else:
            record.save()
            outcome.record_id = record.pk
        return outcome


# --- helpers -----------------------------------------------------------------------------
def _check_item(item: WireItem) -> None:
    if len(item.guid) > GUID_MAX_LENGTH:
        raise ItemRefused(
            f"GUID が長すぎます（{len(item.guid)}文字、上限 {GUID_MAX_LENGTH}）。", "guid-too-long"
        )
    if not _version_fits(item.version):
        raise ItemRefused(f"版番号 {item.version} は扱えません。", "bad-version")
    for name in ("version_created", "first_created", "embargo", "expires"):
        value = getattr(item, name)
        if value is not None and _storable(value) is None:
            item.warnings.append(f"{name}: {value.isoformat()} は扱えない日時のため無視しました")
            setattr(item, name, None)


def _version_fits(version: int | None) -> bool:
    return version is None or 0 <= version <= MAX_VERSION


def _storable(value: datetime | None) -> datetime | None:
    """The moment in UTC, or None when it cannot be stored (year 1 in UTC+9 …)."""
    if value is None:
        return None
    try:
        moment = value.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
    return moment if 1900 <= moment.year <= 9998 else None


def _read_documents(batch: batches.Batch, documents: list[tuple[bytes, str]]) -> None:
    """Parse the documents, and store the new ones with one insert (see Ingestor.prepare)."""
    new: dict[str, WireDocument] = {}
    for data, filename in documents:
        digest = _digest(data)
        if digest in batch.parsed or digest in new:
            continue  # the same bytes twice: the second is parsed when it is ingested
        try:
            parsed = parse_document(data, filename)
        except Exception:  # refused when it is ingested (and then only its head kept)
            parsed = None
        if parsed is not None:
            batch.parsed[digest] = parsed
            new[digest] = _new_document(data, filename, digest)
    stored = WireDocument.objects.filter(sha256__in=list(new)).defer("data")
    batch.documents = {document.sha256: document for document in stored}
    missing = [document for digest, document in new.items() if digest not in batch.documents]
    try:
        with transaction.atomic():
            WireDocument.objects.bulk_create(missing)
    except IntegrityError:  # some arrived elsewhere meanwhile: stored one by one
        pass
    else:
        batch.documents |= {document.sha256: document for document in missing}


def _read_stories(batch: batches.Batch, items: list[tuple[Provider, WireItem]]) -> None:
    """The items' story rows (locked), the articles newer versions will change and the
    pages with the slugs those articles and the new ones take (see Ingestor.prepare)."""
    guids: dict[Provider, set[str]] = {}
    for provider, item in items:
        guids.setdefault(provider, set()).add(item.guid)
    # Locked in one order (provider, guid) so that two batches sharing stories wait for
    # each other instead of deadlocking.
    for provider, wanted in sorted(guids.items(), key=lambda pair: pair[0].pk):
        found = (
            WireStory.objects.select_for_update()
            .filter(provider=provider, guid__in=wanted)
            .order_by("guid")
        )
        stories = {story.guid: story for story in found}
        batch.stories |= {(provider.pk, guid): stories.get(guid) for guid in wanted}
    updated = set()
    for provider, item in items:
        story = batch.stories[(provider.pk, item.guid)]
        if story is not None and story.article_id and _compare(item, story) > 0:
            updated.add(story.article_id)
    articles = ArticlePage.objects.prefetch_related("corrections", "topics")
    batch.articles = articles.in_bulk(updated)
    batch.slugs = {article.slug: [] for article in batch.articles.values()}
    for provider, item in items:
        if getattr(batch.stories[(provider.pk, item.guid)], "article_id", None) is None:
            batch.slugs[_slug(item, provider)] = []
    taken = Page.objects.filter(slug__in=list(batch.slugs)).values_list("slug", "pk", "path")
    for slug, pk, path in taken:
        batch.slugs[slug].append((pk, path))


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _new_document(data: bytes, filename: str, digest: str, keep: int | None = None) -> WireDocument:
    """A document to store (unsaved): all of it, or its first ``keep`` bytes."""
    stored = data if keep is None else data[:keep]
    return WireDocument(
        sha256=digest,
        data=stored,
        size=len(data),
        truncated=len(stored) < len(data),
        filename=filename[-255:],
    )


def _lock_story(provider: Provider, guid: str) -> WireStory:
    """The story row, locked until the item's transaction ends (PostgreSQL; SQLite
    serialises writers anyway), so a push and the watch folder never race. A batch
    remembers the rows it has read (Ingestor.prepare reads all of its items' at once)."""
    batch = batches.current()
    key = (provider.pk, guid)
    if batch is not None and key in batch.stories:
        story = batch.stories[key]
    else:
        story = WireStory.objects.select_for_update().filter(provider=provider, guid=guid).first()
    if story is None:
        try:
            with transaction.atomic():
                story = WireStory.objects.create(provider=provider, guid=guid)
        except IntegrityError:
            story = WireStory.objects.select_for_update().get(provider=provider, guid=guid)
    if batch is not None:
        batch.stories[key] = story
    return story


def _compare(item: WireItem, story: WireStory) -> int:
    """1 when the item is newer than the story's last version, 0 equal, -1 older."""
    a, b = item.version_created, story.version_created
    if a is not None and b is not None and a != b:
        return 1 if a > b else -1
    if item.version is not None and story.version is not None and item.version != story.version:
        return 1 if item.version > story.version else -1
    if a is not None and b is None and item.version is None:
        return 1  # the story had no time or number; one now is progress
    return 0


def _why_not_newer(order: int, story: WireStory, digest: str) -> str:
    have = []
    if story.version is not None:
        have.append(f"第{story.version}版")
    if story.version_created is not None:
        have.append(format_jst(story.version_created))
    have_text = "・".join(have) or "版の情報なし"
    if order < 0:
        return f"受信済みの版（{have_text}）より古い版です。変更していません。"
    if digest == story.content_hash:
        return f"受信済みの版（{have_text}）と同じ内容です。変更していません。"
    return (
        f"受信済みの版（{have_text}）と版番号・日時が同じで内容が異なります。"
        "新しい版として扱えないため変更していません。"
    )


def _advance(story: WireStory, item: WireItem, digest: str, result: str) -> None:
    story.version = item.version
    story.version_created = item.version_created
    story.content_hash = digest
    story.status = item.status
    story.result = result
    story.save()


def _target(
    item: WireItem, rule: WireRule, article: ArticlePage | None, story: WireStory
) -> tuple[str, str]:
    """Where this version should go (live, scheduled, draft) and why, in Japanese."""
    now = timezone.now()
    if item.status == "withheld":
        return DRAFT, "配信元が差し止め中（withheld）のため下書きにしました。"
    if item.expires is not None and item.expires <= now:
        return DRAFT, f"利用期限（{format_jst(item.expires)}）を過ぎているため公開しません。"
    if item.embargo is not None and item.expires is not None and item.embargo >= item.expires:
        return DRAFT, "解禁日時が利用期限より後のため公開できません。"
    if article is not None and not article.live and _taken_down_by_editor(article, story):
        return DRAFT, "編集部が非公開にした記事のため、下書きに保存しました。"
    if rule.publish_mode == PublishMode.HOLD:
        if article is not None and article.live:
            return (
                DRAFT,
                "保留ルール: 公開中の記事への更新を下書きに保存しました（デスクが公開します）。",
            )
        return DRAFT, "保留ルール: デスクの確認を待つ下書きです。"
    if item.embargo is not None and item.embargo > now:
        return SCHEDULED, f"解禁日時（{format_jst(item.embargo)}）に公開されます。"
    return LIVE, ""


def _taken_down_by_editor(article: ArticlePage, story: WireStory) -> bool:
    if article.expired:
        return False  # the licence ran out; a version with a later expiry may go back up
    shown = story.result in SHOWN_RESULTS or (
        story.result == Result.EMBARGOED and article.first_published_at is not None
    )
    return shown and article.first_published_at is not None


def _schedule(item: WireItem) -> tuple[datetime | None, datetime | None]:
    """(go_live_at, expire_at): the embargo while it is ahead, and the licence expiry."""
    go_live = item.embargo if item.embargo is not None and item.embargo > timezone.now() else None
    if go_live is not None and item.expires is not None and go_live >= item.expires:
        go_live = None  # never shown at all: _target keeps it a draft
    return go_live, item.expires


def _must_come_down(item: WireItem) -> bool:
    return item.status == "withheld" or (
        item.expires is not None and item.expires <= timezone.now()
    )


# What a wire update writes to a live article (see Ingestor._update_live): the fields
# _fill and _schedule set, the ones ArticlePage.save derives, and the publication's.
_UPDATE_FIELDS = [
    "title",
    "draft_title",
    "label",
    "body",
    "summary",
    "dateline_place",
    "bylines",
    "corrections",
    "lead_image",
    "lead_image_caption",
    "lead_image_credit",
    "lead_image_alt",
    "go_live_at",
    "expire_at",
    "sponsor",
    "ad_label",
    "live",
    "has_unpublished_changes",
    "expired",
    "latest_revision",
    "latest_revision_created_at",
    "live_revision",
    "last_published_at",
]
# Checked by Django with one query each; ingest sets these keys itself.
_RELATIONS = [field.name for field in ArticlePage._meta.concrete_fields if field.is_relation]


def _article_for_update(article_id: int) -> ArticlePage:
    # What the batch read ahead is taken once: a second version of the story in the
    # same batch reads the article as the first left it.
    batch = batches.current()
    article = batch.articles.pop(article_id, None) if batch is not None else None
    if article is None:
        article = ArticlePage.objects.get(pk=article_id)
    article._is_site_root = article.translation_key in _shared().site_roots  # no query
    return article


class _Shared:
    """What Wagtail's publish step would look up per page (site roots, aliases, comments,
    workflows), read once per batch: ingest itself never creates any of them."""

    def __init__(self) -> None:
        page_type = ContentType.objects.get_for_model(Page)
        self.site_roots = set(Site.objects.values_list("root_page__translation_key", flat=True))
        self.aliased = set(
            Page.objects.filter(alias_of__isnull=False).values_list("alias_of_id", flat=True)
        )
        self.commented = set(
            Comment.objects.order_by().values_list("page_id", flat=True).distinct()
        )
        self.in_workflow = set(
            WorkflowState.objects.active()
            .filter(base_content_type=page_type)
            .values_list("object_id", flat=True)
        )


def _shared() -> _Shared:
    batch = batches.current()
    if batch is None:
        return _Shared()
    if batch.shared is None:
        batch.shared = _Shared()
    return batch.shared


def _can_publish_directly(article: ArticlePage, item: WireItem) -> bool:
    """True when publishing a new version needs nothing beyond what _update_live does:
    the article is live and its page row is its latest revision (no draft or scheduled
    revision of the desk's), it is no alias and has none, no comments to reposition, no
    workflow to cancel, and the version goes live now."""
    return (
        article.live
        and not article.has_unpublished_changes
        and article.latest_revision_id is not None
        and article.latest_revision_id == article.live_revision_id
        and article.alias_of_id is None
        and article.pk not in _shared().aliased
        and article.pk not in _shared().commented
        and str(article.pk) not in _shared().in_workflow
        and not _must_come_down(item)
        and _schedule(item)[0] is None
    )


def _update_summary(item: WireItem, corrected: bool, why: str, notes: list[str]) -> str:
    version = f"第{item.version}版" if item.version is not None else "新しい版"
    action = "訂正" if corrected else "更新"
    return _join(f"{version}で{action}しました。", why, *notes)


def _add_correction(page: ArticlePage, item: WireItem) -> bool:
    """A correction signal adds a dated 訂正 note with the editor's note; True if it did."""
    if "correction" not in item.signals:
        return False
    note = item.editor_note or "配信元が記事を訂正しました。"
    when = item.version_created or timezone.now()
    page.corrections = [
        *page.corrections.all(),
        ArticleCorrection(corrected_at=when, note=note[:2000]),
    ]
    return True


def _validate(page: ArticlePage) -> None:
    """Wagtail's check of a live page (Page.save(clean=True)), less the foreign-key and
    unique-together queries: the database enforces those, and the sibling slug check
    (Page.clean) still runs."""
    page.full_clean(exclude=_RELATIONS, validate_unique=False, validate_constraints=False)


@contextmanager
def _slug_check_from_batch(page: ArticlePage) -> Iterator[None]:
    """Wagtail's check that no sibling has the page's slug, answered from the pages the
    batch read at once (Ingestor.prepare) instead of a query per page when it can."""
    batch = batches.current()

    def available(slug: str, parent: Page | None, page: Page | None = None) -> bool:
        known = batch.slugs.get(slug) if batch is not None else None
        if known is None or parent is None:
            return Page._slug_is_available(slug, parent, page)
        exclude = page.pk if page is not None else None
        return not any(pk != exclude and path[: -Page.steplen] == parent.path for pk, path in known)

    page._slug_is_available = available  # shadows Wagtail's static method for this page
    try:
        yield
    finally:
        del page._slug_is_available


def _new_revision(page: ArticlePage) -> Revision:
    return Revision.objects.create(
        content_object=page,
        base_content_type=page.get_base_content_type(),
        content=page.serializable_data(),
        object_str=str(page),
    )


def _save_revision(page: ArticlePage, *, changed: bool, live: bool) -> Revision:
    """``page.save_revision(clean=False, changed=changed)`` for a page just added, and
    when ``live`` the live revision too, in one update instead of two page saves."""
    revision = _new_revision(page)
    page.latest_revision, page.latest_revision_created_at = revision, revision.created_at
    page.draft_title = page.title
    if changed:
        page.has_unpublished_changes = True
    fields = {
        "latest_revision": revision,
        "latest_revision_created_at": revision.created_at,
        "draft_title": page.draft_title,
        "has_unpublished_changes": page.has_unpublished_changes,
    }
    if live:
        page.live_revision = fields["live_revision"] = revision
    # An update, not a save: nothing the search or reference index reads changes (both
    # follow the page's insert just before).
    Page.objects.filter(pk=page.pk).update(**fields)
    return revision


def _published(page: ArticlePage, revision: Revision) -> None:
    """``page_published`` now, or with the batch's reactions at its end."""
    batch = batches.current()
    if batch is not None:
        batch.published.append((page, revision))
    else:
        page_published.send(sender=type(page), instance=page, revision=revision)


def _unschedule(article: ArticlePage) -> None:
    """No revision of this page may still go live on its own."""
    article.revisions.exclude(approved_go_live_at=None).update(approved_go_live_at=None)
    if article.go_live_at is not None:
        ArticlePage.objects.filter(pk=article.pk).update(go_live_at=None)


def _audit(page: ArticlePage, result: str, item: WireItem, provider: Provider) -> None:
    """The page's history shows what the wire did to it (sokuho.newsroom.audit), written
    with the batch's other entries."""
    from sokuho.newsroom.audit import log_action

    action = {
        Result.PUBLISHED: "sokuho.wire.published",
        Result.UPDATED: "sokuho.wire.updated",
        Result.CORRECTED: "sokuho.wire.updated",
        Result.EMBARGOED: "sokuho.wire.received",
        Result.HELD: "sokuho.wire.held",
        Result.KILLED: "sokuho.wire.killed",
    }[result]
    data = {"provider": provider.code, "guid": item.guid, "version": item.version}
    if result == Result.CORRECTED:
        data["correction"] = item.editor_note
    log_action(page, action, data=data, log=batches.log)


def _slug(item: WireItem, provider: Provider) -> str:
    """Like an editor's article (JST minute + hex); the hex comes from provider and guid,
    so two stories never share a slug (Wagtail's own check would refuse the second)."""
    moment = item.first_created or item.version_created or timezone.now()
    stamp = to_jst(_storable(moment) or timezone.now()).strftime("%Y%m%d%H%M")
    digest = hashlib.sha1(f"{provider.pk}:{item.guid}".encode(), usedforsecurity=False).hexdigest()
    return f"{stamp}-{digest[:10]}"


def split_label(headline: str) -> tuple[str, str]:
    """(label, headline): a leading 【速報】 becomes the label; other 【…】 prefixes are
    dropped, since sokuho shows labels from the label field, never inside headlines."""
    label = ""
    text = headline.strip()
    while match := _LEADING_BRACKET.match(text):
        word = match.group(1).strip()
        if not label and word in LABELS:
            label = word
        rest = text[match.end() :]
        if not rest.strip():
            return label, word  # 【速報】 alone: the word is all the headline there is
        text = rest
    return label, text.strip()


_SENTENCE_END = re.compile(r"[。！？]")


def summarise(body_html: str) -> str:
    """The lead paragraph, cut after a sentence when it is long (meta description)."""
    first = re.split(r"</p\s*>", body_html, maxsplit=1)[0]
    text = " ".join(strip_tags(first).split())
    if len(text) <= SUMMARY_LENGTH:
        return text
    cut = text[:SUMMARY_LENGTH]
    ends = [m.end() for m in _SENTENCE_END.finditer(cut)]
    return cut[: ends[-1]] if ends else cut[: SUMMARY_LENGTH - 1] + "…"


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def summary_of(item: WireItem) -> dict[str, Any]:
    """What the log keeps of an item beside its columns (the document keeps the rest)."""
    return {
        "item_class": item.item_class,
        "language": item.language,
        "label": item.label,
        "bylines": item.bylines[:MAX_BYLINES],
        "dateline": item.dateline,
        "dateline_place": item.dateline_place,
        "located": item.located,
        "subjects": [[s.code, s.name] for s in item.subjects[:30]],
        "editor_note": item.editor_note,
        "embargo": _iso(item.embargo),
        "expires": _iso(item.expires),
        "first_created": _iso(item.first_created),
        "urgency": item.urgency,
        "copyright_holder": item.copyright_holder,
        "copyright_notice": item.copyright_notice,
        "usage_terms": item.usage_terms,
        "provider_named": item.provider,
        "pictures": [
            {
                "href": p.href,
                "uri": p.uri,
                "caption": p.caption,
                "credit": p.credit,
                "alt_text": p.alt_text,
            }
            for p in item.pictures[:10]
        ],
        "item_refs": item.item_refs[:50],
    }


def item_hash(item: WireItem) -> str:
    """Tells two deliveries of the same version apart when their content differs."""
    content = {
        "status": item.status,
        "signals": sorted(item.signals),
        "headline": item.headline,
        "body": item.body_html,
        "bylines": item.bylines,
        "note": item.editor_note,
        "embargo": _iso(item.embargo),
        "expires": _iso(item.expires),
        "place": item.dateline_place or item.located,
        "pictures": [[p.href, p.caption, p.credit, p.alt_text] for p in item.pictures],
    }
    data = json.dumps(content, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(data).hexdigest()
