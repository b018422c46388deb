"""What the wire delivered and what sokuho did with it.

* :class:`WireRule` – an editor's rules for one provider (publish or hold, sections by
  subject, picture sources, the push token).
* :class:`WireStory` – one story of a provider, keyed on (provider, guid): the version
  applied last and the article it became.
* :class:`WireItemRecord` – the ingest log (受信記録): one row per received item or
  refused document, with the decision and its reason. Never edited.
* :class:`WireDocument` – the bytes as received, once per distinct document.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from sokuho.ja.dates import format_jst, to_jst

GUID_MAX_LENGTH = 500
# Kept of a refused document: enough to see what it was, never 50 MB of garbage.
REJECTED_HEAD_BYTES = 64 * 1024
TOKEN_MIN_LENGTH = 32


class PublishMode(models.TextChoices):
    PUBLISH = "publish", "すぐに公開する"
    HOLD = "hold", "下書きで保留し、デスクが公開する"


class Result(models.TextChoices):
    PUBLISHED = "published", "公開"
    UPDATED = "updated", "更新"
    CORRECTED = "corrected", "訂正"
    HELD = "held", "保留（下書き）"
    EMBARGOED = "embargoed", "解禁待ち"
    KILLED = "killed", "配信取り消し"
    IGNORED = "ignored", "無視（旧版・同一版）"
    REJECTED = "rejected", "拒否"


# Results that applied a version's content to the story: each version at most once. (A
# kill may share its version with the last one: it is honoured, and ends the story.)
APPLIED_RESULTS = (
    Result.PUBLISHED,
    Result.UPDATED,
    Result.CORRECTED,
    Result.HELD,
    Result.EMBARGOED,
)


class Source(models.TextChoices):
    CLI = "cli", "コマンド"
    WATCH = "watch", "監視フォルダ"
    PUSH = "push", "HTTP受信"
    DEMO = "demo", "デモ"
    OTHER = "other", "その他"


def hash_token(token: str) -> str:
    """Push tokens are random and long, so one SHA-256 round is enough to store them."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class WireRuleForm(WagtailAdminModelForm):
    """The push token is typed in once and stored hashed; it is never shown again."""

    new_token = forms.CharField(
        label="HTTP受信トークンを設定",
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=(
            f"{TOKEN_MIN_LENGTH}文字以上のランダムな文字列。保存後は表示されません（ハッシュだけを保存）。"
            "空欄なら今のトークンのまま。`sokuho manage wire_token 配信元コード` でも発行できます。"
        ),
    )
    clear_token = forms.BooleanField(
        label="HTTP受信トークンを無効にする",
        required=False,
        help_text="この配信元からの受信を止めます。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        when = self.instance.token_set_at if self.instance.pk else None
        state = (
            f"現在のトークン: {format_jst(when)}に設定済み。" if when else "トークンは未設定です。"
        )
        if "new_token" in self.fields:
            self.fields["new_token"].help_text = f"{state}{self.fields['new_token'].help_text}"

    def clean_new_token(self) -> str:
        token = self.cleaned_data.get("new_token", "")
        if token and len(token) < TOKEN_MIN_LENGTH:
            raise forms.ValidationError(f"トークンは{TOKEN_MIN_LENGTH}文字以上にしてください。")
        return token

    def save(self, commit: bool = True) -> Any:
        if self.cleaned_data.get("clear_token"):
            self.instance.token_hash = ""
            self.instance.token_set_at = None
        elif self.cleaned_data.get("new_token"):
            self.instance.set_token(self.cleaned_data["new_token"])
        return super().save(commit=commit)


class WireRule(ClusterableModel):
    """How sokuho treats one provider's items: editable by the desk in the admin."""

    provider = models.OneToOneField(
        "news.Provider", verbose_name="配信元", on_delete=models.CASCADE, related_name="wire_rule"
    )
    publish_mode = models.CharField(
        "受信した記事の扱い",
        max_length=10,
        choices=PublishMode.choices,
        default=PublishMode.HOLD,
        help_text="保留なら、記事は下書きとして作られ、デスクが確認して公開します。",
    )
    default_section = models.ForeignKey(
        "news.SectionPage",
        verbose_name="既定のセクション",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="分野コードの対応に当てはまらない記事の置き場所。空欄なら最初のセクション。",
    )
    aliases = models.TextField(
        "配信データ上の名前",
        blank=True,
        help_text=(
            "配信データの provider 欄に書かれる名前やコード（1行に1つ）。"
            "--provider を指定しない取り込みで配信元を見分けます。例：nprov:SAMPLE"
        ),
    )
    picture_base_urls = models.TextField(
        "写真の取得を許可するURL",
        blank=True,
        help_text=(
            "写真をこのURLで始まる場所からだけ取得します（1行に1つ、https://… / で終わる形）。"
            "空欄なら、配信ファイルと一緒に届いた写真だけを使います。"
        ),
    )
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    token_set_at = models.DateTimeField("トークン設定日時", null=True, blank=True, editable=False)

    panels = [
        FieldPanel("provider"),
        FieldPanel("publish_mode"),
        MultiFieldPanel(
            [FieldPanel("default_section"), InlinePanel("section_mappings", label="分野コード")],
            heading="セクションの割り当て",
        ),
        FieldPanel("aliases"),
        FieldPanel("picture_base_urls"),
        MultiFieldPanel(
            [FieldPanel("new_token"), FieldPanel("clear_token")], heading="HTTP受信（プッシュ）"
        ),
    ]

    base_form_class = WireRuleForm

    class Meta:
        verbose_name = "配信ルール"
        verbose_name_plural = "配信ルール"

    def __str__(self) -> str:
        return f"{self.provider}（{self.get_publish_mode_display()}）"

    def clean(self) -> None:
        super().clean()
        bad = [
            url
            for url in self.picture_base_list()
            if not url.startswith(("https://", "http://")) or not url.endswith("/")
        ]
        if bad:
            raise ValidationError(
                {"picture_base_urls": f"http(s):// で始まり / で終わるURLにしてください: {bad[0]}"}
            )

    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def picture_base_list(self) -> list[str]:
        return [line.strip() for line in self.picture_base_urls.splitlines() if line.strip()]

    # --- push token ---------------------------------------------------------------
    def set_token(self, token: str) -> None:
        if len(token) < TOKEN_MIN_LENGTH:
            raise ValidationError(f"トークンは{TOKEN_MIN_LENGTH}文字以上にしてください。")
        self.token_hash = hash_token(token)
        self.token_set_at = timezone.now()

    def new_token(self) -> str:
        """Issue a fresh token (the old one stops working); shown once, stored hashed."""
        token = secrets.token_urlsafe(32)
        self.set_token(token)
        return token

    def token_matches(self, token: str) -> bool:
        if not self.token_hash or not token:
            return False
        return hmac.compare_digest(self.token_hash, hash_token(token))


class WireSectionMapping(Orderable):
    """A subject code (or name) that sends a provider's items to a section."""

    rule = ParentalKey(WireRule, on_delete=models.CASCADE, related_name="section_mappings")
    subject = models.CharField(
        "分野コードまたは名前",
        max_length=100,
        help_text="例：medtop:04000000（完全一致）、subj:04*（前方一致）、経済（名前）",
    )
    section = models.ForeignKey(
        "news.SectionPage", verbose_name="セクション", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("subject"), FieldPanel("section")]

    class Meta(Orderable.Meta):
        verbose_name = "分野コードの対応"
        verbose_name_plural = "分野コードの対応"

    def matches(self, code: str, name: str) -> bool:
        wanted = self.subject.strip()
        if not wanted:
            return False
        if wanted.endswith("*"):
            return bool(code) and code.startswith(wanted[:-1])
        return wanted in (code, name)


class WireDocument(models.Model):
    """A received document's bytes, stored once however often it arrives."""

    sha256 = models.CharField(max_length=64, unique=True)
    data = models.BinaryField()
    size = models.BigIntegerField("サイズ（バイト）")
    truncated = models.BooleanField("先頭のみ保存", default=False)
    filename = models.CharField("ファイル名", max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "受信データ"
        verbose_name_plural = "受信データ"

    def __str__(self) -> str:
        return self.filename or self.sha256[:12]


class WireStory(models.Model):
    """One story of a provider: the version applied last and the article it became."""

    provider = models.ForeignKey(
        "news.Provider",
        verbose_name="配信元",
        on_delete=models.PROTECT,
        related_name="wire_stories",
    )
    guid = models.CharField("GUID", max_length=GUID_MAX_LENGTH)
    article = models.ForeignKey(
        "news.ArticlePage",
        verbose_name="記事",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set once an article was made: an article gone later was deleted by an editor.
    article_created_at = models.DateTimeField(null=True, blank=True)
    version = models.BigIntegerField("版", null=True, blank=True)
    version_created = models.DateTimeField("版の日時", null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    status = models.CharField("配信状態", max_length=20, blank=True)
    result = models.CharField("最新の処理", max_length=20, choices=Result.choices, blank=True)
    killed_at = models.DateTimeField("取り消し日時", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "配信記事"
        verbose_name_plural = "配信記事"
        constraints = [
            models.UniqueConstraint(fields=["provider", "guid"], name="wire_story_provider_guid")
        ]

    def __str__(self) -> str:
        return self.guid

    @property
    def is_killed(self) -> bool:
        return self.killed_at is not None


class WireItemRecord(models.Model):
    """受信記録: one received item (or refused document), the decision and why."""

    received_at = models.DateTimeField("受信日時", default=timezone.now)
    source = models.CharField("経路", max_length=10, choices=Source.choices, default=Source.OTHER)
    provider = models.ForeignKey(
        "news.Provider",
        verbose_name="配信元",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="wire_records",
    )
    story = models.ForeignKey(
        WireStory,
        verbose_name="配信記事",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    guid = models.CharField("GUID", max_length=GUID_MAX_LENGTH, blank=True)
    version = models.BigIntegerField("版", null=True, blank=True)
    version_created = models.DateTimeField("版の日時", null=True, blank=True)
    format = models.CharField("形式", max_length=20, blank=True)
    status = models.CharField("配信状態", max_length=20, blank=True)
    signals = models.CharField("シグナル", max_length=60, blank=True)
    headline = models.CharField("見出し", max_length=255, blank=True)
    result = models.CharField("処理", max_length=20, choices=Result.choices)
    reason = models.TextField("理由", blank=True)
    error_code = models.CharField("エラーコード", max_length=40, blank=True)
    warnings = models.TextField("警告", blank=True)
    filename = models.CharField("ファイル名", max_length=255, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    summary = models.JSONField("内容", default=dict, blank=True)
    article = models.ForeignKey(
        "news.ArticlePage",
        verbose_name="記事",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    document = models.ForeignKey(
        WireDocument,
        verbose_name="受信データ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="records",
    )

    class Meta:
        verbose_name = "受信記録"
        verbose_name_plural = "受信記録"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["provider", "guid"], name="wire_record_provider_guid"),
            models.Index(fields=["result", "-received_at"], name="wire_record_result"),
            models.Index(fields=["-received_at"], name="wire_record_received"),
        ]
        constraints = [
            # A version changes a story at most once, whatever arrives twice.
            models.UniqueConstraint(
                fields=["story", "version", "version_created"],
                condition=Q(result__in=[str(r) for r in APPLIED_RESULTS]),
                name="wire_record_version_applied_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.guid or self.filename}（{self.get_result_display()}）"

    @property
    def version_label(self) -> str:
        parts = []
        if self.version is not None:
            parts.append(f"第{self.version}版")
        if self.version_created:
            parts.append(_jst_short(self.version_created))
        return " ".join(parts) or "—"


def _jst_short(value: datetime) -> str:
    return to_jst(value).strftime("%m/%d %H:%M")
