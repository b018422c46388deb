"""Building newsletter mail: multipart plain text + HTML, UTF-8, with RFC 2369/8058
unsubscribe headers pointing at absolute URLs of the public site."""

from __future__ import annotations

import secrets
from email.utils import formataddr, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives


def site_url(path: str) -> str:
    return settings.SOKUHO_BASE_URL + path


def site_host() -> str:
    return urlsplit(settings.SOKUHO_BASE_URL).hostname or "localhost"


def from_address() -> str:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((name or settings.SOKUHO_SITE_NAME, address), charset="utf-8")


def message_id(key: str) -> str:
    # Our own Message-ID: Django's default looks up the machine's FQDN, which can stall.
    return f"<{key}.{secrets.token_hex(6)}@{site_host()}>"


def build_message(
    *,
    to: str,
    subject: str,
    text: str,
    html: str,
    key: str,
    unsubscribe_url: str | None = None,
    connection=None,
) -> EmailMultiAlternatives:
    headers = {"Message-ID": message_id(key)}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_address(),
        to=[to],
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message
