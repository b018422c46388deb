"""The group edit page's 二段階認証 checkbox (Wagtail's group permission panel hook)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from sokuho.security.models import TwoFactorPolicy


class TwoFactorPolicyForm(forms.ModelForm):
    class Meta:
        model = TwoFactorPolicy
        fields = ["required"]

    def __init__(self, data: Any = None, files: Any = None, instance: Any = None, **kwargs: Any):
        self.group = instance
        policy = None
        if instance is not None and instance.pk:
            policy = TwoFactorPolicy.objects.filter(group=instance).first()
        super().__init__(data, files, instance=policy or TwoFactorPolicy(), prefix="two_factor")

    def save(self, commit: bool = True) -> TwoFactorPolicy:
        self.instance.group = self.group
        return super().save(commit=commit)

    def as_admin_panel(self) -> SafeString:
        return render_to_string("security/two_factor_panel.html", {"form": self})
