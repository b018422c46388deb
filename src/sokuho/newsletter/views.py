"""Sign-up, confirmation and unsubscribe pages. Thin: the work is in subscriptions.py."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sokuho.newsletter import subscriptions
from sokuho.newsletter.tokens import (
    LinkError,
    subscriber_for_confirm_token,
    subscriber_for_unsubscribe_token,
)
from sokuho.rankings.views import client_ip
from sokuho.security.ratelimit import count_attempt

SIGNUPS_PER_WINDOW = 5
WINDOW_SECONDS = 600
DONE_MESSAGE = (
    "確認メールをお送りしました。メールのリンクを開いて登録を完了してください。"
    "届かない場合は、迷惑メールフォルダもご確認ください。"
)


def _page(request: HttpRequest, *, status: int = 200, **context) -> HttpResponse:
    response = render(request, "newsletter/page.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def _same_origin(request: HttpRequest) -> bool:
    """The sign-up form sits on pages a cache may share, so it carries no CSRF token;
    a browser's Origin (or Referer) header must name this site instead."""
    claimed = request.headers.get("Origin") or request.headers.get("Referer")
    if not claimed:
        return True  # not a browser: nothing a cross-site page could forge
    parts = urlsplit(claimed)
    origin = f"{parts.scheme}://{parts.netloc}"
    allowed = {request.build_absolute_uri("/").rstrip("/"), settings.SOKUHO_BASE_URL}
    allowed.update(settings.CSRF_TRUSTED_ORIGINS)
    return origin in allowed


def _rate_limited(request: HttpRequest) -> bool:
    # The rankings app's notion of the client address (trusted proxy header aware).
    return count_attempt("newsletter-signup", client_ip(request), WINDOW_SECONDS) > (
        SIGNUPS_PER_WINDOW
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request, title="メールマガジンのご登録", show_form=True)
    if not _same_origin(request):
        return _page(
            request,
            status=403,
            title="登録できませんでした",
            error="このサイトのフォームから登録してください。",
            show_form=True,
        )
    if _rate_limited(request):
        return _page(
            request,
            status=429,
            title="しばらくお待ちください",
            error="短時間に多くの登録がありました。10分ほどおいてからもう一度お試しください。",
        )
    email = request.POST.get("email", "")
    try:
        subscriptions.request_subscription(email)
    except ValidationError as error:
        return _page(
            request,
            status=400,
            title="メールマガジンのご登録",
            error=error.messages[0],
            email=email[:254],
            show_form=True,
        )
    return _page(request, title="確認メールをお送りしました", message=DONE_MESSAGE)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; only the POST subscribes, so a link scanner cannot."""
    try:
        subscriber = subscriber_for_confirm_token(token)
    except LinkError as error:
        return _page(request, status=400, title="登録を完了できません", error=str(error))
    if request.method == "GET":
        return _page(
            request,
            title="メールマガジン登録の確認",
            confirm_email=subscriber.email,
            action=request.path,
        )
    subscriptions.confirm(subscriber)
    return _page(
        request,
        title="登録が完了しました",
        message=f"{subscriber.email} 宛てに、毎朝の主なニュースをお届けします。",
    )


@csrf_exempt  # RFC 8058: mail providers POST "List-Unsubscribe=One-Click" with no token
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = subscriber_for_unsubscribe_token(token)
    except LinkError as error:
        return _page(request, status=400, title="配信を停止できません", error=str(error))
    if request.method == "GET":
        return _page(
            request,
            title="メールマガジンの配信停止",
            unsubscribe_email=subscriber.email,
            action=request.path,
        )
    subscriptions.unsubscribe(subscriber)
    return _page(
        request,
        title="配信を停止しました",
        message=f"{subscriber.email} へのメールマガジンの配信を停止しました。",
    )
