"""Guessing push tokens does not pay: after repeated failures an address is refused,
even with the right token, until the window passes; other addresses are unaffected."""

from __future__ import annotations

import pytest
from django.test import Client

from sokuho.wire.models import WireItemRecord
from sokuho.wire.tests.ingest_helpers import fixture

pytestmark = pytest.mark.django_db

TOKEN = "t0ken-for-lockout-tests-" + "y" * 24


@pytest.fixture
def provider(sample_provider, settings):
    settings.SOKUHO_WIRE_PUSH_FAILURE_LIMIT = 3
    rule = sample_provider.wire_rule
    rule.set_token(TOKEN)
    rule.save()
    return sample_provider


def push(token: str, address: str = "192.0.2.10"):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR=address)
    return client.post(
        "/wire/sample/",
        data=fixture("newsmlg2/update_v1.xml"),
        content_type="application/octet-stream",
    )


def test_repeated_wrong_tokens_lock_the_address_out(provider):
    for guess in range(3):
        assert push(f"guess-{guess}").status_code == 401
    refused = push(TOKEN)
    assert refused.status_code == 429
    assert "認証の失敗が続いたため" in refused.json()["error"]
    assert int(refused["Retry-After"]) == 600
    assert not WireItemRecord.objects.exists()  # nothing was read, let alone stored
    # Another address with the right token is served as usual.
    assert push(TOKEN, address="192.0.2.20").status_code == 200


def test_a_few_mistakes_do_not_lock_out(provider):
    assert push("typo").status_code == 401
    assert push("typo again").status_code == 401
    assert push(TOKEN).status_code == 200


def test_the_lockout_ends_with_its_window(provider, settings):
    from django.core.cache import cache

    for guess in range(3):
        push(f"guess-{guess}")
    assert push(TOKEN).status_code == 429
    cache.delete("sokuho:ratelimit:wire-push-auth:192.0.2.10")  # the window has passed
    assert push(TOKEN).status_code == 200
