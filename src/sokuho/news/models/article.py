from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from sokuho.ja.dates import to_jst
from sokuho.news.datelines import build_dateline
from sokuho.news.richtext import render_body, sanitize_body
from sokuho.news.routing import ReaderPageMixin

# Only what a news story needs: no embeds, images or raw HTML inside the body.
BODY_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "blockquote", "hr"]

# An article counts as revised when republished this long after it first went live.
REVISION_GRACE = timedelta(minutes=1)


def labelled_title(title: str, label: str) -> str:
    """A headline as lists show it: 【速報】 and the other labels before the title."""
    return f"【{label}】{title}" if label else title


class ArticleLabel(models.TextChoices):
    QUIZ = "クイズ", "クイズ"
    ANALYSIS = "解説", "解説"
    EXCLUSIVE = "独自", "独自"
    BREAKING = "速報", "速報"
    INTERVIEW = "インタビュー", "インタビュー"
    COLUMN = "コラム", "コラム"
    FEATURE = "特集", "特集"
    UPDATE = "更新", "更新"


class ArticlePageForm(WagtailAdminPageForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Japanese headlines give no ASCII slug: an empty slug gets an article number.
        if "slug" in self.fields:
            self.fields["slug"].required = False


class ArticlePage(ReaderPageMixin, Page):
    label = models.CharField(
        "ラベル",
        max_length=20,
        blank=True,
        choices=ArticleLabel.choices,
        help_text="見出しの前に【クイズ】のように表示します。見出しには書かないでください。",
    )
    summary = models.TextField("要約", blank=True, max_length=400)
    body = RichTextField("本文", features=BODY_FEATURES)

    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="メイン写真",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_image_alt = models.CharField(
        "代替テキスト", max_length=255, blank=True, help_text="写真が見えない読者のための説明。"
    )
    lead_image_caption = models.TextField("キャプション", blank=True)
    lead_image_credit = models.CharField(
        "クレジット", max_length=255, blank=True, help_text="例：田中一郎撮影"
    )

    # NULL means our own newsroom's story; a deleted provider leaves the story standing.
    provider = models.ForeignKey(
        "news.Provider",
        verbose_name="配信元",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        help_text="空欄なら自社記事。",
    )
    dateline_place = models.CharField(
        "発信地",
        max_length=60,
        blank=True,
        help_text="例：キーウ。日付は公開日時（日本時間）から付きます。",
    )

    is_breaking = models.BooleanField("速報", default=False)
    breaking_until = models.DateTimeField(
        "速報表示の終了", null=True, blank=True, help_text="この時刻を過ぎると速報欄から外れます。"
    )

    topics = ParentalManyToManyField("news.TopicPage", verbose_name="まとめ", blank=True)

    # Sponsored (advertising) content. PROTECT: deleting a sponsor must never turn its
    # articles into unlabelled editorial copy.
    ad_label = models.CharField(
        "広告表記",
        max_length=10,
        blank=True,
        choices=[("PR", "PR"), ("広告", "広告")],
        help_text="広告・タイアップ記事なら「PR」か「広告」。見出しの前と一覧に表示します。",
    )
    sponsor = models.ForeignKey(
        "sponsored.Sponsor",
        verbose_name="提供（スポンサー）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    branded_series = models.ForeignKey(
        "sponsored.BrandedSeries",
        verbose_name="タイアップシリーズ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )

    # Denormalised from the page tree so listings and the article page need no extra query.
    section = models.ForeignKey(
        "news.SectionPage",
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    base_form_class = ArticlePageForm
    parent_page_types = ["news.SectionPage"]
    subpage_types: list[str] = []

    content_panels = [
        FieldPanel("title", heading="見出し"),
        FieldPanel("label"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("lead_image"),
                FieldPanel("lead_image_alt"),
                FieldRowPanel([FieldPanel("lead_image_caption"), FieldPanel("lead_image_credit")]),
            ],
            heading="メイン写真",
        ),
        InlinePanel("bylines", label="署名（記者）"),
        MultiFieldPanel(
            [FieldPanel("provider"), FieldPanel("dateline_place")], heading="配信元と発信地"
        ),
        FieldPanel("body"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel([FieldPanel("is_breaking"), FieldPanel("breaking_until")], heading="速報"),
        InlinePanel("corrections", label="訂正"),
        MultiFieldPanel(
            [FieldPanel("ad_label"), FieldPanel("sponsor"), FieldPanel("branded_series")],
            heading="広告・タイアップ",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = "記事"
        verbose_name_plural = "記事"

    # --- validation ---------------------------------------------------------------
    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        title = (self.title or "").strip()
        if title.startswith("【"):
            errors["title"] = "見出しに【】のラベルを書かず、「ラベル」欄で選んでください。"
        if self.lead_image_id and not self.lead_image_alt.strip():
            errors["lead_image_alt"] = "写真には代替テキストが必要です。"
        if self.is_breaking and self.breaking_until is None:
            errors["breaking_until"] = "速報には表示の終了時刻を指定してください。"
        if self.branded_series_id and not self.sponsor_id:
            self.sponsor_id = self.branded_series.sponsor_id
        if self.ad_label and not self.sponsor_id:
            errors["sponsor"] = "広告・タイアップ記事には提供元（スポンサー）を指定してください。"
        elif self.branded_series_id and self.branded_series.sponsor_id != self.sponsor_id:
            errors["sponsor"] = "タイアップシリーズのスポンサーと同じ提供元を指定してください。"
        if self.sponsor_id and self.is_breaking:
            errors["is_breaking"] = "広告・タイアップ記事を速報にはできません。"
        if errors:
            raise ValidationError(errors)

    def _set_core_field_defaults(self) -> None:
        if not self.slug:
            stamp = to_jst(timezone.now()).strftime("%Y%m%d%H%M")
            self.slug = f"{stamp}-{secrets.token_hex(3)}"
        super()._set_core_field_defaults()

    def save(self, *args: Any, **kwargs: Any) -> Any:
        self.body = sanitize_body(self.body)
        if self.branded_series_id and not self.sponsor_id:
            self.sponsor_id = self.branded_series.sponsor_id
        if self.sponsor_id and not self.ad_label:
            # Whatever wrote it (a script, an import), a sponsored story is never unlabelled.
            self.ad_label = self.branded_series.label if self.branded_series_id else "PR"
        if self.path and (self.section_id is None or kwargs.get("clean", True)):
            parent = self.get_parent()
            if parent is not None and parent.specific_class.__name__ == "SectionPage":
                self.section_id = parent.id
        return super().save(*args, **kwargs)

    # --- what the reader sees -------------------------------------------------------
    @property
    def published_at(self) -> datetime | None:
        return self.first_published_at or self.go_live_at

    @property
    def updated_at(self) -> datetime | None:
        """The last revision's time, when the article was republished after going live."""
        first, last = self.first_published_at, self.last_published_at
        if first and last and last - first >= REVISION_GRACE:
            return last
        return None

    @property
    def labelled_title(self) -> str:
        return labelled_title(self.title, self.label)

    def _shown(self, relation: str) -> list[Any]:
        """A child relation's rows as the page shows them, read once per instance (the
        page and its JSON-LD both show the bylines): modelcluster's in-memory rows when
        it holds them (the reader's fast path, previews), else the database."""
        shown = self.__dict__.setdefault("_shown_relations", {})
        if relation not in shown:
            held = getattr(self, "_cluster_related_objects", {}).get(relation)
            shown[relation] = list(held if held is not None else getattr(self, relation).all())
        return shown[relation]

    @property
    def shown_bylines(self) -> list[ArticleByline]:
        return [byline for byline in self._shown("bylines") if byline.author]

    @property
    def shown_topics(self) -> list[Any]:
        return self._shown("topics")

    @property
    def shown_corrections(self) -> list[ArticleCorrection]:
        return self._shown("corrections")

    @property
    def is_breaking_now(self) -> bool:
        return bool(
            self.is_breaking and self.breaking_until and self.breaking_until > timezone.now()
        )

    @property
    def is_sponsored(self) -> bool:
        return self.sponsor_id is not None

    @property
    def schema_type(self) -> str:
        """The schema.org type for JSON-LD: AdvertiserContentArticle when sponsored."""
        return "AdvertiserContentArticle" if self.is_sponsored else "NewsArticle"

    @property
    def dateline(self) -> str:
        signature = self.provider.signature if self.provider else ""
        return build_dateline(self.dateline_place, self.published_at, signature)

    @property
    def copyright_line(self) -> str:
        if not self.provider or not self.published_at:
            return ""
        return self.provider.copyright_line(to_jst(self.published_at).year)

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["body"] = render_body(self.body, self.dateline, sponsored=self.is_sponsored)
        return context


class ArticleByline(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="bylines")
    # A deleted author page drops out of the byline; the article keeps rendering.
    author = models.ForeignKey(
        "news.AuthorPage",
        verbose_name="記者",
        null=True,
        blank=False,
        on_delete=models.SET_NULL,
        related_name="bylines",
    )

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        verbose_name = "署名"
        verbose_name_plural = "署名"


class ArticleCorrection(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="corrections")
    corrected_at = models.DateTimeField("訂正日時", default=timezone.now)
    note = models.TextField(
        "訂正内容", help_text="例：第3段落の人数を「300人」から「314人」に訂正しました。"
    )

    panels = [FieldPanel("corrected_at"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = "訂正"
        verbose_name_plural = "訂正"
