from __future__ import annotations

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Provider(index.Indexed, models.Model):
    """A wire service whose copy the site republishes (articles without one are our own)."""

    name = models.CharField("名称", max_length=100, unique=True)
    code = models.SlugField(
        "コード",
        max_length=50,
        unique=True,
        help_text="配信の受信URLや設定で使う半角英数字の識別子。",
    )
    signature = models.CharField(
        "署名", max_length=50, help_text="本文末とクレジットに表示する名前。例：ロイター"
    )
    copyright_template = models.CharField(
        "著作権表示",
        max_length=255,
        blank=True,
        help_text=(
            "{year} は記事の配信年に置き換わります。"
            "例：Copyright (C) {year} ○○(株) 記事の無断転用を禁じます。"
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("signature"),
        FieldPanel("copyright_template"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = "配信元"
        verbose_name_plural = "配信元"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def copyright_line(self, year: int) -> str:
        # str.replace, not str.format: an editor's braces must never raise or leak attributes.
        return self.copyright_template.replace("{year}", str(year))
