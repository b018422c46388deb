"""Two-factor enrolment and the code prompt after the password (TOTP, django-otp)."""

from __future__ import annotations

from base64 import b32encode

import segno
from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login

from sokuho.security.two_factor import confirmed_device, pending_device


class TokenForm(forms.Form):
    token = forms.RegexField(
        label="確認コード（6桁）",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "認証アプリに表示された6桁の数字を入力してください。"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def _throttled_message(device) -> str | None:
    allowed, _details = device.verify_is_allowed()
    if allowed:
        return None
    return (
        "確認コードの誤りが続いたため、しばらく入力を受け付けません。少し待ってからお試しください。"
    )


def setup(request: HttpRequest) -> HttpResponse:
    """Show the secret as a QR code and text; a correct code confirms the device."""
    if request.user.is_verified():
        return HttpResponseRedirect(_next_url(request))
    if confirmed_device(request.user) is not None:
        return HttpResponseRedirect(reverse("sokuho_2fa_verify"))
    device = pending_device(request.user)
    form = TokenForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        error = _throttled_message(device)
        if error is None and device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return HttpResponseRedirect(_next_url(request))
        error = (
            error
            or "コードが一致しません。端末の時刻が正しいか確認して、もう一度入力してください。"
        )
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "error": error,
        "next": _next_url(request),
        "qr_code": segno.make(device.config_url, error="m").svg_data_uri(scale=4),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "security/two_factor_setup.html", context)


def verify(request: HttpRequest) -> HttpResponse:
    """The second step of an admin login: the code from the user's authenticator app."""
    if request.user.is_verified():
        return HttpResponseRedirect(_next_url(request))
    device = confirmed_device(request.user)
    if device is None:
        return HttpResponseRedirect(reverse("sokuho_2fa_setup"))
    form = TokenForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        error = _throttled_message(device)
        if error is None and device.verify_token(form.cleaned_data["token"].strip()):
            otp_login(request, device)
            return HttpResponseRedirect(_next_url(request))
        error = error or "確認コードが正しくありません。"
    return render(
        request,
        "security/two_factor_verify.html",
        {"form": form, "error": error, "next": _next_url(request)},
    )
