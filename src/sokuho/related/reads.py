"""あわせて読みたい: choosing an article's four related reads, storing and showing them.

Chosen on publish (never while rendering): the most similar indexed articles
(``similarity.similar``), boosted ×1.5 when they share a topic (まとめ) with the article
and weighed down with age (half the score at 30 days apart, a quarter at most); when
fewer than four are similar enough, the newest articles of the same section and then of
the whole site fill the box. The index holds only articles that may be promoted, so the
article itself, drafts, unpublished, killed, embargoed and sponsored articles never
appear; the render query checks liveness once more.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import router, transaction
from django.db.models import QuerySet

from sokuho.db.compiled import CompiledQueries
from sokuho.news.models import ArticlePage, labelled_title
from sokuho.news.routing import page_urls
from sokuho.rankings.eligibility import rankable_articles
from sokuho.related import similarity
from sokuho.related.models import IndexedArticle, Posting, RelatedRead

logger = logging.getLogger(__name__)

COUNT = 4
CANDIDATES = 50
#: Below this cosine an article is not "related"; the box is filled by recency instead.
MIN_SIMILARITY = 0.06
TOPIC_BOOST = 1.5
HALF_LIFE_DAYS = 30.0
MIN_RECENCY = 0.25


def _recency(days_apart: float) -> float:
    return max(MIN_RECENCY, 0.5 ** (abs(days_apart) / HALF_LIFE_DAYS))


def choose(doc: similarity.Document, count: int = COUNT) -> list[tuple[int, float]]:
    """``(article_id, score)`` of the reads to show under ``doc``'s article, best first."""
    found = [
        (article_id, score)
        for article_id, score in similarity.similar(doc, limit=CANDIDATES)
        if score >= MIN_SIMILARITY
    ]
    entries = {
        entry.article_id: entry
        for entry in IndexedArticle.objects.filter(
            article_id__in=[article_id for article_id, _ in found]
        ).only("article_id", "published_at", "topic_ids")
    }
    topics = set(doc.topic_ids)
    ranked = []
    for article_id, score in found:
        entry = entries.get(article_id)
        if entry is None:
            continue
        days = (doc.published_at - entry.published_at).total_seconds() / 86400
        boost = TOPIC_BOOST if topics.intersection(entry.topic_ids) else 1.0
        ranked.append((article_id, score * boost * _recency(days)))
    ranked.sort(key=lambda item: (-item[1], -item[0]))
    chosen = ranked[:count]
    if len(chosen) < count:
        chosen += _newest(doc, {article_id for article_id, _ in chosen}, count - len(chosen))
    return chosen


def _newest(doc: similarity.Document, taken: set[int], count: int) -> list[tuple[int, float]]:
    """Fill-ins: the newest indexed articles of the same section, then of any section."""
    taken = taken | {doc.article_id}
    picked: list[tuple[int, float]] = []
    queries = []
    if doc.section_id is not None:
        queries.append(IndexedArticle.objects.filter(section_id=doc.section_id))
    queries.append(IndexedArticle.objects.all())
    for queryset in queries:
        ids = queryset.exclude(article_id__in=taken).order_by("-published_at", "-article_id")
        for article_id in ids.values_list("article_id", flat=True)[: count - len(picked)]:
            picked.append((article_id, 0.0))
            taken.add(article_id)
        if len(picked) >= count:
            break
    return picked


# -- computing and storing -------------------------------------------------------------


@transaction.atomic
def update(article_id: int, *, reindex: bool = True) -> list[int]:
    """Re-index one article and store its related reads; returns their ids.

    An article that is not live loses its reads and leaves the index; one that is live
    but may not be promoted (sponsored) gets reads but stays out of the index.
    """
    article = ArticlePage.objects.live().filter(id=article_id).prefetch_related("topics").first()
    if article is None:
        similarity.remove_document(article_id)
        RelatedRead.objects.filter(article_id=article_id).delete()
        forget([article_id])
        return []
    doc = similarity.document_for(article)
    if reindex:
        if rankable_articles().filter(id=article_id).exists():
            similarity.index_document(doc)
        else:
            similarity.remove_document(article_id)
    for _ in range(2):
        chosen = choose(doc)
        # Belt and braces: only what may be promoted, never the article itself. An index
        # entry that missed its signal is dropped, and the choice made again.
        allowed = set(
            rankable_articles()
            .filter(id__in=[related_id for related_id, _ in chosen])
            .exclude(id=article_id)
            .values_list("id", flat=True)
        )
        stale = [related_id for related_id, _ in chosen if related_id not in allowed]
        for related_id in stale:
            similarity.remove_document(related_id)
        chosen = [(related_id, score) for related_id, score in chosen if related_id in allowed]
        if not stale:
            break
    RelatedRead.objects.filter(article_id=article_id).delete()
    RelatedRead.objects.bulk_create(
        RelatedRead(article_id=article_id, related_id=related_id, rank=rank, score=score)
        for rank, (related_id, score) in enumerate(chosen, start=1)
    )
    forget([article_id])
    return [related_id for related_id, _ in chosen]


def rebuild_all() -> int:
    """Rebuild the index from the live articles, then every article's reads.

    For a restored database, a changed analyser, or the demo (whose stories are
    back-dated after publishing). Returns the number of articles given reads.
    """
    with transaction.atomic():
        Posting.objects.all().delete()
        IndexedArticle.objects.all().delete()
        similarity.index_many(
            [
                similarity.document_for(article)
                for article in rankable_articles().prefetch_related("topics")
            ]
        )
    ids = list(ArticlePage.objects.live().values_list("id", flat=True))
    for article_id in ids:
        update(article_id, reindex=False)
    return len(ids)


def pointing_to(*article_ids: int) -> list[int]:
    """Articles whose related reads include one of these."""
    rows = RelatedRead.objects.filter(related_id__in=article_ids).values_list(
        "article_id", flat=True
    )
    return list(dict.fromkeys(rows))


def forget(article_ids: Iterable[int]) -> None:
    """Purge the cached pages that show these articles' boxes (when the page cache is
    installed); the boxes themselves are read fresh on every render."""
    article_ids = list(article_ids)
    if not article_ids or not apps.is_installed("sokuho.pagecache"):
        return
    from sokuho.pagecache.tags import page_tag, purge

    purge(*(page_tag(article_id) for article_id in article_ids))


# -- reading ----------------------------------------------------------------------------


def _box_queries() -> dict[str, tuple[QuerySet, Any]]:
    article_id = -20260205
    reads = (
        rankable_articles()
        .filter(related_from__article_id=article_id)
        .order_by("related_from__rank")
        .values_list("url_path", "title", "label", "section__title")
    )
    return {"reads": (reads, article_id)}


BOX_QUERIES = CompiledQueries(_box_queries)


def for_article(article_id: int) -> list[dict[str, Any]]:
    """What the box shows: one query on every render, so a read that was killed,
    unpublished or retitled is gone or current at once (the choice itself is made on
    publish, never here)."""
    rows = BOX_QUERIES.get("reads", router.db_for_read(ArticlePage)).run(article_id)
    urls = page_urls([url_path for url_path, *_ in rows])
    return [
        {"url": url, "title": labelled_title(title, label), "section": section_title or ""}
        for url, (_, title, label, section_title) in zip(urls, rows, strict=True)
        if url
    ]
