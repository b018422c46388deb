"""Every public response carries the security headers; reader pages run no inline script."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from lxml import html as lxml_html

pytestmark = pytest.mark.django_db


def directives(policy: str) -> dict[str, str]:
    parts = (item.strip().split(" ", 1) for item in policy.split(";") if item.strip())
    return {part[0]: (part[1] if len(part) > 1 else "") for part in parts}


def test_security_headers_on_every_public_page(client, reader_site):
    for url in reader_site["urls"]:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        csp = directives(response["Content-Security-Policy"])
        assert csp["script-src"] == "'self'", url
        assert csp["frame-ancestors"] == "'none'", url
        assert csp["object-src"] == "'none'" and csp["base-uri"] == "'self'", url
        assert "unsafe-inline" not in response["Content-Security-Policy"], url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", url
        assert "camera=()" in response["Permissions-Policy"], url
        assert response["X-Frame-Options"] == "DENY", url


def test_reader_pages_have_no_inline_script_or_handlers(client, reader_site):
    for url in reader_site["urls"]:
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue
        tree = lxml_html.fromstring(response.content.decode())
        for script in tree.xpath("//script"):
            assert script.get("src") or script.get("type") == "application/ld+json", url
            if script.get("src"):
                assert script.get("src").startswith("/"), url  # same origin
        assert not tree.xpath("//@*[starts-with(name(), 'on')]"), url
        assert not tree.xpath("//@style"), url  # style-src 'self' would block it
        assert not tree.xpath("//@href[starts-with(normalize-space(.), 'javascript:')]"), url


def test_admin_gets_its_own_policy(client, django_user_model):
    response = client.get("/admin/login/")
    csp = directives(response["Content-Security-Policy"])
    assert csp["frame-ancestors"] == "'self'"
    assert csp["object-src"] == "'none'"


def test_hsts_over_https(client, reader_site, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in client.get("/")  # never over plain http


def test_https_base_url_turns_on_secure_cookies_and_hsts(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS,"
        " s.SOKUHO_2FA_SUPERUSERS)"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PYTEST") and key not in {"SOKUHO_ENV", "DATABASE_URL"}
    }
    env.update(
        SOKUHO_BASE_URL="https://news.example.jp",
        SOKUHO_DATA=str(tmp_path),
        DJANGO_SETTINGS_MODULE="sokuho.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.stdout.split() == ["True", "True", "31536000", "True"], result.stderr


def test_hostile_editor_and_wire_text_arrives_as_text(client, hostile_site):
    """The same check without a browser (it runs in the PostgreSQL pass too)."""
    import json

    for url in hostile_site:
        response = client.get(url)
        assert response.status_code == 200, url
        tree = lxml_html.fromstring(response.content.decode())
        for script in tree.xpath("//script"):
            assert script.get("src") or script.get("type") == "application/ld+json", url
            if script.get("type") == "application/ld+json":
                json.loads(script.text)  # no break-out of the data block
        assert not tree.xpath("//@*[starts-with(name(), 'on')]"), url
        assert not tree.xpath("//iframe | //object | //embed | //main//svg | //main//math"), url
        assert not tree.xpath(
            "//@href[contains(translate(., 'JAVSCRIPT', 'javscript'), 'javascript:')]"
        ), url
    article = lxml_html.fromstring(client.get(hostile_site[0]).content.decode())
    assert "<script>" in article.xpath("string(//h1)")
