"""Login hardening: lockout after repeated failures (django-axes), in Japanese."""

from __future__ import annotations

import math
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check on every real login. Code that authenticates without a request (a
    test client's login(), a shell) has no address to count, so it is not counted."""

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def lockout_minutes(request: HttpRequest | None = None) -> int:
    cool_off = get_cool_off(request)
    return max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else 0


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """429 with a Japanese page; the same for a wrong and a right password."""
    html = render_to_string(
        "security/locked_out.html", {"minutes": lockout_minutes(request)}, request=request
    )
    response = HttpResponse(html, status=429)
    response["Retry-After"] = str(lockout_minutes(request) * 60 or 3600)
    return response
