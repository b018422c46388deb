"""The print magazine's issues (号) and special editions (MOOK／別冊)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable
from wagtail.search import index

from sokuho.ja.dates import to_jst


def today_jst() -> date:
    from django.utils import timezone

    return to_jst(timezone.now()).date()


def short_date(day: date) -> str:
    return f"{day.month}月{day.day}日"


class MagazineIssue(index.Indexed, ClusterableModel):
    issue_date = models.DateField(
        "号の日付", unique=True, help_text="表紙の「2026年2月10日号」の日付。"
    )
    on_sale_date = models.DateField("発売日")
    feature_title = models.CharField("特集", max_length=120)
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="表紙",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    blurb = models.TextField("紹介文", blank=True, max_length=600)

    panels = [
        FieldRowPanel([FieldPanel("issue_date"), FieldPanel("on_sale_date")]),
        FieldPanel("feature_title"),
        FieldPanel("cover"),
        FieldPanel("blurb"),
        InlinePanel("contents", label="掲載記事"),
    ]
    search_fields = [index.SearchField("feature_title"), index.AutocompleteField("feature_title")]

    class Meta:
        verbose_name = "雑誌（号）"
        verbose_name_plural = "雑誌（号）"
        ordering = ["-issue_date"]

    def __str__(self) -> str:
        return f"{self.issue_label}（特集：{self.feature_title}）"

    def clean(self) -> None:
        super().clean()
        if self.issue_date and self.on_sale_date and self.on_sale_date > self.issue_date:
            raise ValidationError({"on_sale_date": "発売日は号の日付より前の日にしてください。"})

    @property
    def issue_label(self) -> str:
        day = self.issue_date
        return f"{day.year}年{day.month}月{day.day}日号"

    @property
    def on_sale_label(self) -> str:
        return f"{short_date(self.on_sale_date)}発売"

    @property
    def promo_line(self) -> str:
        return f"特集：{self.feature_title} {self.issue_label}（{self.on_sale_label}）"

    @property
    def is_on_sale(self) -> bool:
        return self.on_sale_date <= today_jst()

    def get_absolute_url(self) -> str:
        return f"/magazine/{self.issue_date:%Y-%m-%d}/"


class MagazineIssueArticle(Orderable):
    issue = ParentalKey(MagazineIssue, on_delete=models.CASCADE, related_name="contents")
    article = models.ForeignKey(
        "news.ArticlePage", verbose_name="記事", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("article")]

    class Meta(Orderable.Meta):
        verbose_name = "掲載記事"
        verbose_name_plural = "掲載記事"


class SaleState(models.TextChoices):
    PREORDER = "予約受付中", "予約受付中"
    ON_SALE = "好評発売中", "好評発売中"
    SOLD_OUT = "品切れ", "品切れ"


class SpecialEdition(index.Indexed, models.Model):
    """A MOOK or 別冊: sold on its own, with an order link."""

    title = models.CharField("書名", max_length=160)
    slug = models.SlugField("URL名", max_length=80, unique=True)
    kind = models.CharField(
        "種類", max_length=10, choices=[("MOOK", "MOOK"), ("別冊", "別冊")], default="MOOK"
    )
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="表紙",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    price_yen = models.PositiveIntegerField("価格（税込・円）")
    on_sale_date = models.DateField("発売日")
    order_url = models.URLField("注文ページ", blank=True)
    in_stock = models.BooleanField("在庫あり", default=True, help_text="品切れなら外します。")
    blurb = models.TextField("紹介文", blank=True, max_length=600)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("cover"),
        FieldRowPanel([FieldPanel("price_yen"), FieldPanel("on_sale_date")]),
        FieldPanel("order_url"),
        FieldPanel("in_stock"),
        FieldPanel("blurb"),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = "MOOK・別冊"
        verbose_name_plural = "MOOK・別冊"
        ordering = ["-on_sale_date", "-id"]

    def __str__(self) -> str:
        return self.title

    def sale_state(self, today: date | None = None) -> str:
        if not self.in_stock:
            return SaleState.SOLD_OUT
        if self.on_sale_date > (today or today_jst()):
            return SaleState.PREORDER
        return SaleState.ON_SALE

    @property
    def state(self) -> str:
        return self.sale_state()

    @property
    def price_label(self) -> str:
        return f"{self.price_yen:,}円（税込）"

    @property
    def on_sale_label(self) -> str:
        day = self.on_sale_date
        return f"{day.year}年{day.month}月{day.day}日発売"
