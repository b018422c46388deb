from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import models


class TwoFactorPolicy(models.Model):
    """Whether a group's members must confirm each admin login with a TOTP code."""

    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="two_factor_policy", verbose_name="グループ"
    )
    required = models.BooleanField(
        "二段階認証を必須にする",
        default=False,
        help_text="メンバーは管理画面へのログインごとに認証アプリの6桁のコードを入力します。",
    )

    class Meta:
        verbose_name = "二段階認証の設定"
        verbose_name_plural = "二段階認証の設定"

    def __str__(self) -> str:
        return f"{self.group.name}: {'必須' if self.required else '任意'}"
