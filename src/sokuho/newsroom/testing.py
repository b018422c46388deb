"""Test helpers for admin tests with newsroom roles (importable by every app's tests)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from lxml import html as lxml_html

PASSWORD = "sokuho-test-password-7Q!x"  # noqa: S105 -- test accounts only


def make_user(username: str, *roles: str, **fields: Any) -> Any:
    user = get_user_model().objects.create_user(
        username, f"{username}@example.invalid", PASSWORD, **fields
    )
    user.groups.add(*Group.objects.filter(name__in=roles))
    return user


def login(client: Any, user: Any) -> Any:
    """force_login, plus a verified TOTP device when the user's groups require one."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sokuho.security.two_factor import requires_two_factor

    client.force_login(user)
    if requires_two_factor(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name="テスト端末", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def form_values(client: Any, url: str, form_id: str = "page-edit-form") -> dict[str, Any]:
    """What the browser would send back from an admin form, as a dict to edit."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    form = lxml_html.fromstring(response.content.decode()).get_element_by_id(form_id)
    values: dict[str, Any] = {}
    for name, value in form.form_values():
        if name in values:
            existing = values[name]
            values[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            values[name] = value
    return values
