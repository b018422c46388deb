"""Security headers on every response, and the two-factor gate in front of the admin."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from sokuho.security.two_factor import requires_two_factor, user_has_device

ADMIN_PREFIX = "/admin/"
MEDIA_PREFIX = "/media/"

# Browser features a news page never uses; every name here is one Chromium recognises.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
# Uploads are data: even a file that slipped past validation cannot run script here.
MEDIA_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def _policy(directives: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}".strip() for name, value in directives.items())


def _media_origin() -> str:
    parts = urlsplit(settings.MEDIA_URL)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def reader_policy() -> str:
    """No inline script, no plugins, no framing: scripts are static files (JSON-LD is data)."""
    images = " ".join(filter(None, ["'self'", "data:", _media_origin()]))
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": images,
        "font-src": "'self'",
        "connect-src": "'self'",
        "media-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    if settings.SOKUHO_BASE_URL.startswith("https://"):
        directives["upgrade-insecure-requests"] = ""
    return _policy(directives)


def admin_policy() -> str:
    """Wagtail's admin still needs inline script and style; it may frame its own previews."""
    images = " ".join(filter(None, ["'self'", "data:", "blob:", _media_origin()]))
    return _policy(
        {
            "default-src": "'self'",
            "script-src": "'self' 'unsafe-inline'",
            "style-src": "'self' 'unsafe-inline'",
            "img-src": images,
            "font-src": "'self' data:",
            "connect-src": "'self'",
            "object-src": "'none'",
            "base-uri": "'self'",
            "form-action": "'self'",
            "frame-src": "'self'",
            "frame-ancestors": "'self'",
        }
    )


class SecurityHeadersMiddleware:
    """CSP and Permissions-Policy (Django's SecurityMiddleware sets nosniff, Referrer-Policy
    and HSTS). A header a view set itself (Wagtail's document view) is kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.reader = reader_policy()
        self.admin = admin_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        path = request.path_info
        if path.startswith(ADMIN_PREFIX):
            policy = self.admin
        elif path.startswith(MEDIA_PREFIX):
            policy = MEDIA_POLICY
        else:
            policy = self.reader
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class TwoFactorMiddleware:
    """Staff who must use two-factor reach nothing in the admin but enrolment, the code
    prompt and logout until this session is verified (django-otp's OTPMiddleware first)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith(ADMIN_PREFIX) and not self._exempt(path):
            user = request.user
            if user.is_authenticated and not user.is_verified():
                has_device = user_has_device(user)
                if not (has_device or requires_two_factor(user)):
                    return self.get_response(request)
                target = "sokuho_2fa_verify" if has_device else "sokuho_2fa_setup"
                query = (
                    urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
                )
                return HttpResponseRedirect(reverse(target) + (f"?{query}" if query else ""))
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        return path.startswith(
            (
                reverse("sokuho_2fa_verify"),
                reverse("sokuho_2fa_setup"),
                reverse("wagtailadmin_logout"),
                reverse("wagtailadmin_login"),
                "/admin/jsi18n/",
            )
        )
