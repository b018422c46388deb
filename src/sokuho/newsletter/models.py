"""Subscribers, the daily digests and one delivery row per digest and address.

A delivery row is claimed (pending → sending) before its message goes to the mail
server and marked sent after the server accepts it, so a sender killed at any point
can resume without mailing anyone twice: a row found still "sending" after a crash
is marked uncertain and never retried.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone


def new_nonce() -> str:
    return secrets.token_urlsafe(12)


class Subscriber(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "確認待ち"
        SUBSCRIBED = "subscribed", "購読中"
        UNSUBSCRIBED = "unsubscribed", "解除済み"

    email = models.EmailField("メールアドレス", max_length=254, unique=True)
    state = models.CharField(
        "状態", max_length=20, choices=State.choices, default=State.PENDING, db_index=True
    )
    # Changes each time a confirmation mail goes out or is used: a link works once.
    confirm_nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    created_at = models.DateTimeField("登録日時", default=timezone.now)
    confirmed_at = models.DateTimeField("確認日時", null=True, blank=True)
    unsubscribed_at = models.DateTimeField("解除日時", null=True, blank=True)
    last_mailed_at = models.DateTimeField("最終確認メール送信", null=True, blank=True)

    class Meta:
        verbose_name = "購読者"
        verbose_name_plural = "購読者"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email


class Digest(models.Model):
    """One day's digest. The unique date is what makes "at most once a day" hold."""

    class State(models.TextChoices):
        SENDING = "sending", "送信中"
        DONE = "done", "送信完了"
        EMPTY = "empty", "記事がなく送信せず"

    date = models.DateField("配信日（日本時間）", unique=True)
    subject = models.CharField("件名", max_length=200)
    text_body = models.TextField("本文（テキスト）")
    html_body = models.TextField("本文（HTML）")
    state = models.CharField("状態", max_length=20, choices=State.choices, default=State.SENDING)
    created_at = models.DateTimeField("作成日時", default=timezone.now)
    finished_at = models.DateTimeField("完了日時", null=True, blank=True)
    # The sender's lease: who sends (host:pid:nonce) and when it last said so. A stale
    # lease, or a holder process that no longer exists, means the sender died.
    sender = models.CharField(max_length=200, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "配信"
        verbose_name_plural = "配信"
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.subject}"

    def counts(self) -> dict[str, int]:
        rows = self.deliveries.values("state").annotate(n=models.Count("id"))
        found = {row["state"]: row["n"] for row in rows}
        return {state: found.get(state, 0) for state in Delivery.State.values}

    def summary(self) -> str:
        counts = self.counts()
        return (
            "／".join(
                f"{label} {counts[value]}"
                for value, label in Delivery.State.choices
                if counts[value]
            )
            or "宛先なし"
        )

    summary.short_description = "送信状況"  # type: ignore[attr-defined]


class Delivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "未送信"
        SENDING = "sending", "送信中"
        SENT = "sent", "送信済み"
        FAILED = "failed", "拒否された"
        SKIPPED = "skipped", "配信停止のため送らず"
        UNCERTAIN = "uncertain", "中断（再送せず）"

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    email = models.EmailField(max_length=254)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "送信記録"
        verbose_name_plural = "送信記録"
        constraints = [
            models.UniqueConstraint(fields=["digest", "subscriber"], name="one_delivery_per_digest")
        ]
        indexes = [models.Index(fields=["digest", "state"])]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_state_display()})"
