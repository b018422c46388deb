"""The similarity index (an inverted index of nouns) and the stored related reads.

Only articles that may be promoted (``rankable_articles``: live, not sponsored) are in
the index, so a candidate found there is eligible by construction; an article leaves
the index when it is unpublished, killed or deleted. Article ids in the index are plain
integers: the index is derived data that the signals keep in step, and it can be
rebuilt at any time (``rebuild_index``).
"""

from __future__ import annotations

from django.db import models


class Term(models.Model):
    """A normalised noun and its document frequency (indexed articles containing it)."""

    text = models.CharField(max_length=100, unique=True)
    df = models.IntegerField(default=0)

    class Meta:
        verbose_name = "索引語"
        verbose_name_plural = "索引語"

    def __str__(self) -> str:
        return self.text


class IndexedArticle(models.Model):
    """An article in the index, with what scoring and bookkeeping need."""

    article_id = models.BigIntegerField(primary_key=True)
    published_at = models.DateTimeField(db_index=True)
    section_id = models.BigIntegerField(null=True)
    topic_ids = models.JSONField(default=list)
    # Every distinct term id, so that removing the article can lower the right df.
    term_ids = models.JSONField(default=list)

    class Meta:
        verbose_name = "索引済み記事"
        verbose_name_plural = "索引済み記事"
        indexes = [models.Index(fields=["section_id", "-published_at"], name="related_section")]

    def __str__(self) -> str:
        return str(self.article_id)


class Posting(models.Model):
    """One of an article's strongest terms, with its length-normalised weight.

    ``weight`` = (1 + log tf) / |article vector| (idf applied at query time, so postings
    never go stale when df changes); ``published_at`` lets a query read the most recent
    postings of a common term first.
    """

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="+")
    article_id = models.BigIntegerField(db_index=True)
    weight = models.FloatField()
    published_at = models.DateTimeField()

    class Meta:
        verbose_name = "索引項目"
        verbose_name_plural = "索引項目"
        constraints = [
            models.UniqueConstraint(fields=["term", "article_id"], name="related_posting_unique")
        ]
        # Covering: a query reads a term's newest postings from the index alone.
        indexes = [
            models.Index(
                fields=["term", "-published_at", "article_id", "weight"],
                name="related_posting_covering",
            )
        ]

    def __str__(self) -> str:
        return f"{self.term_id}→{self.article_id}"


class RelatedRead(models.Model):
    """あわせて読みたい: the articles shown under an article, in order."""

    article = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="related_reads"
    )
    related = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="related_from"
    )
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()

    class Meta:
        verbose_name = "あわせて読みたい"
        verbose_name_plural = "あわせて読みたい"
        ordering = ["article", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["article", "rank"], name="related_read_rank"),
            models.UniqueConstraint(fields=["article", "related"], name="related_read_once"),
            models.CheckConstraint(
                condition=~models.Q(article=models.F("related")), name="related_read_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}→{self.related_id} ({self.rank})"
