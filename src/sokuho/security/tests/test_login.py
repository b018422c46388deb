"""Logging in: lockout per account and per address, strong passwords, TOTP for the
groups that require it, sessions that end."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from sokuho.newsroom import roles
from sokuho.newsroom.testing import PASSWORD, login, make_user
from sokuho.security.models import TwoFactorPolicy

pytestmark = pytest.mark.django_db
LOCKED = "ログインを一時停止しています"


def attempt(client, username: str, password: str, address: str = "192.0.2.10"):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_an_account_is_locked_after_repeated_failures_from_many_addresses(client):
    make_user("kisha", roles.REPORTER)
    for number in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "kisha", "wrong-password", f"198.51.100.{number}")
        assert response.status_code == 200
        assert "ユーザー名とパスワードが一致しませんでした" in response.content.decode()
    assert attempt(client, "kisha", "wrong-password", "198.51.100.50").status_code == 429
    response = attempt(client, "kisha", PASSWORD, "203.0.113.99")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_address_is_locked_after_failures_on_many_accounts(client):
    make_user("kisha", roles.REPORTER)
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"guess{number}", "wrong-password", "192.0.2.77")
    response = attempt(client, "kisha", PASSWORD, "192.0.2.77")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert attempt(client, "kisha", PASSWORD, "192.0.2.78").status_code == 302


def test_administrator_sees_and_lifts_a_lockout(client):
    make_user("kisha", roles.REPORTER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "kisha", "wrong", "192.0.2.5")
    admin_client = login(type(client)(), make_user("kanri", roles.ADMINISTRATOR))
    page = admin_client.get("/admin/login-log/").content.decode()
    assert "kisha" in page and "停止中" in page
    for row in AccessAttempt.objects.filter(username="kisha"):
        admin_client.post("/admin/login-log/", {"attempt": row.pk})
    assert attempt(client, "kisha", PASSWORD, "192.0.2.5").status_code == 302


def test_reporter_cannot_open_the_login_log(client):
    login(client, make_user("kisha", roles.REPORTER))
    assert client.get("/admin/login-log/").status_code in (302, 403)


def test_weak_passwords_are_refused_in_japanese(client):
    login(client, make_user("kanri", roles.ADMINISTRATOR))
    response = client.post(
        "/admin/users/new/",
        {
            "username": "newbie",
            "email": "newbie@example.invalid",
            "first_name": "新",
            "last_name": "人",
            "password1": "password",
            "password2": "password",
            "is_active": "on",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "このパスワードは短すぎます" in page or "よく使われる" in page
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="newbie").exists()


def test_sessions_expire():
    assert 0 < settings.SESSION_COOKIE_AGE <= 24 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY


def test_desk_must_set_up_two_factor_before_reaching_the_admin(client):
    desk = make_user("desk", roles.DESK)
    response = attempt(client, "desk", PASSWORD)
    assert response.status_code == 302, response.content.decode()[-3000:]
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/2fa/setup/")
    page = client.get(response["Location"]).content.decode()
    assert "二段階認証の設定" in page and "data:image/svg+xml" in page
    device = TOTPDevice.objects.get(user=desk, confirmed=False)
    bad = f"{(int(code(device)) + 500_000) % 1_000_000:06d}"  # not the current code
    wrong = client.post("/admin/2fa/setup/", {"token": bad, "next": "/admin/"})
    assert "コードが一致しません" in wrong.content.decode()
    device.refresh_from_db()
    throttled = client.post("/admin/2fa/setup/", {"token": code(device), "next": "/admin/"})
    assert "しばらく入力を受け付けません" in throttled.content.decode()  # backs off after a miss
    device.throttle_reset()
    ok = client.post("/admin/2fa/setup/", {"token": code(device), "next": "/admin/"})
    assert ok.status_code == 302 and ok["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert TOTPDevice.objects.get(user=desk).confirmed


def test_a_crafted_post_without_the_second_factor_is_turned_away(client):
    desk = make_user("desk", roles.DESK)
    TOTPDevice.objects.create(user=desk, name="phone", confirmed=True)
    client.force_login(desk)
    response = client.post("/admin/pages/3/unpublish/", {})
    assert response.status_code == 302 and response["Location"].startswith("/admin/2fa/verify/")


def test_a_second_login_asks_for_the_code_and_refuses_a_wrong_one(client):
    desk = make_user("desk", roles.DESK)
    device = TOTPDevice.objects.create(user=desk, name="phone", confirmed=True)
    attempt(client, "desk", PASSWORD)
    assert client.get("/admin/")["Location"].startswith("/admin/2fa/verify/")
    bad = f"{(int(code(device)) + 1) % 1_000_000:06d}"
    response = client.post("/admin/2fa/verify/", {"token": bad})
    assert "確認コードが正しくありません" in response.content.decode()
    assert client.get("/admin/").status_code == 302
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    response = client.post("/admin/2fa/verify/", {"token": code(device), "next": "//evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"  # no open redirect
    assert client.get("/admin/").status_code == 200


def test_reporters_need_no_code_until_their_group_requires_it(client):
    reporter = make_user("kisha", roles.REPORTER)
    client.force_login(reporter)
    assert client.get("/admin/").status_code == 200
    TwoFactorPolicy.objects.filter(group__name=roles.REPORTER).update(required=True)
    client.force_login(reporter)
    assert client.get("/admin/")["Location"].startswith("/admin/2fa/setup/")


def test_superusers_need_a_code_in_production(client, settings):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.invalid", PASSWORD)
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200  # tests and the demo: off
    settings.SOKUHO_2FA_SUPERUSERS = True
    client.force_login(admin)
    assert client.get("/admin/")["Location"].startswith("/admin/2fa/setup/")


def test_group_page_switches_two_factor_on_and_off(client):
    from django.contrib.auth.models import Group

    login(client, make_user("kanri", roles.ADMINISTRATOR))
    group = Group.objects.get(name=roles.REPORTER)
    page = client.get(f"/admin/groups/edit/{group.pk}/").content.decode()
    assert "二段階認証を必須にする" in page
    from sokuho.newsroom.testing import form_values

    data = form_values(client, f"/admin/groups/edit/{group.pk}/", form_id="w-editor-form")
    data["two_factor-required"] = "on"
    response = client.post(f"/admin/groups/edit/{group.pk}/", data)
    assert response.status_code == 302
    assert TwoFactorPolicy.objects.get(group=group).required


def test_a_device_set_up_voluntarily_is_always_asked_for(client):
    reporter = make_user("kisha", roles.REPORTER)
    TOTPDevice.objects.create(user=reporter, name="phone", confirmed=True)
    client.force_login(reporter)
    assert client.get("/admin/")["Location"].startswith("/admin/2fa/verify/")


def test_a_lost_phone_is_reset_from_the_command_line():
    from django.core.management import CommandError, call_command

    desk = make_user("desk", roles.DESK)
    TOTPDevice.objects.create(user=desk, name="phone", confirmed=True)
    call_command("reset_two_factor", "desk")
    assert not TOTPDevice.objects.filter(user=desk).exists()
    with pytest.raises(CommandError, match="存在しません"):
        call_command("reset_two_factor", "nobody")
