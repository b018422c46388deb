"""Sponsors and branded-content series (タイアップ).

Japan's stealth-marketing rule (景品表示法の指定告示, in force since 2023-10-01) asks that
advertising be recognisable as such: every sponsored article names its sponsor and
carries a 「PR」 or 「広告」 label wherever a reader meets it.
"""

from __future__ import annotations

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class AdLabel(models.TextChoices):
    PR = "PR", "PR"
    AD = "広告", "広告"


class Sponsor(index.Indexed, models.Model):
    name = models.CharField("名称", max_length=120, unique=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="ロゴ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    url = models.URLField("ウェブサイト", blank=True)
    disclosure = models.TextField(
        "開示文",
        blank=True,
        help_text="記事の冒頭に表示します。例：この記事は○○株式会社の提供でお送りします。",
    )

    panels = [FieldPanel("name"), FieldPanel("logo"), FieldPanel("url"), FieldPanel("disclosure")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = "スポンサー"
        verbose_name_plural = "スポンサー"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def disclosure_text(self) -> str:
        return self.disclosure or f"この記事は{self.name}の提供でお送りします。"


class BrandedSeries(index.Indexed, models.Model):
    """A branded-content section such as 「Real」 or 「Wonderful Story」: a list page of
    its articles at /sponsored/<slug>/, labelled as advertising like the articles."""

    title = models.CharField("シリーズ名", max_length=120)
    slug = models.SlugField("URL名", max_length=80, unique=True)
    sponsor = models.ForeignKey(
        Sponsor, verbose_name="スポンサー", on_delete=models.PROTECT, related_name="series"
    )
    label = models.CharField("広告表記", max_length=10, choices=AdLabel.choices, default=AdLabel.PR)
    description = models.TextField("説明", blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("sponsor"),
        FieldPanel("label"),
        FieldPanel("description"),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = "タイアップシリーズ"
        verbose_name_plural = "タイアップシリーズ"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/sponsored/{self.slug}/"
