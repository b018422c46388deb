"""Who must confirm an admin login with a TOTP code, and the devices that confirm it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from sokuho.security.models import TwoFactorPolicy


def requires_two_factor(user: Any) -> bool:
    """Superusers (in production) and members of a group whose policy requires it."""
    cached = getattr(user, "_sokuho_requires_2fa", None)
    if cached is None:
        cached = bool(
            (user.is_superuser and settings.SOKUHO_2FA_SUPERUSERS)
            or TwoFactorPolicy.objects.filter(group__user=user, required=True).exists()
        )
        user._sokuho_requires_2fa = cached
    return cached


def user_has_device(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being set up (one per user), created on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="認証アプリ", confirmed=False)
    return device


def reset_devices(user: Any) -> int:
    """Forget a user's devices (a lost phone): the next login sets one up again."""
    count, _ = TOTPDevice.objects.filter(user=user).delete()
    return count
