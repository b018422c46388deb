"""POST /wire/<provider>/: token-authenticated push, with JSON answers and no 500s."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sokuho.news.models import ArticlePage
from sokuho.wire.models import Result, WireItemRecord, WireRule, hash_token
from sokuho.wire.parsing import MAX_INPUT_BYTES
from sokuho.wire.tests.ingest_helpers import fixture, make_provider
from sokuho.wire.tests.test_cli import HOSTILE, HOSTILE_REASONS
from sokuho.wire.tests.test_pictures import jpeg

pytestmark = pytest.mark.django_db

TOKEN = "t0ken-for-tests-only-" + "x" * 24
URL = "/wire/sample/"


@pytest.fixture
def pusher(sample_provider) -> Client:
    rule = sample_provider.wire_rule
    rule.set_token(TOKEN)
    rule.save()
    # A machine client: no cookies, and CSRF checks on (the endpoint must not need them).
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")


def post(client: Client, data: bytes, url: str = URL, **extra):
    return client.post(url, data=data, content_type="application/octet-stream", **extra)


def test_a_pushed_item_is_ingested_and_answered_in_json(pusher):
    response = post(pusher, fixture("newsmlg2/update_v1.xml"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["provider"] == "sample" and body["rejected"] == 0
    (item,) = body["items"]
    assert item["result"] == "published" and item["result_label"] == "公開"
    assert item["headline"] == "ほしぞら市に大雨警報" and item["version"] == 1
    assert ArticlePage.objects.get(pk=item["article_id"]).live
    assert WireItemRecord.objects.get(pk=item["record_id"]).source == "push"
    again = post(pusher, fixture("newsmlg2/update_v1.xml")).json()["items"][0]
    assert again["result"] == "ignored"


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer ", "Bearer wrong-token-" + "y" * 30, f"Basic {TOKEN}", TOKEN],
    ids=["none", "empty", "wrong", "basic", "no-scheme"],
)
def test_without_the_right_token_nothing_is_stored(sample_provider, authorization):
    rule = sample_provider.wire_rule
    rule.set_token(TOKEN)
    rule.save()
    client = Client(HTTP_AUTHORIZATION=authorization) if authorization else Client()
    response = post(client, fixture("newsmlg2/update_v1.xml"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "認証に失敗しました" in response.json()["error"]
    assert not WireItemRecord.objects.exists() and not ArticlePage.objects.exists()


def test_a_token_opens_only_its_own_provider(pusher):
    other = make_provider(code="hokushin", name="北辰通信")
    assert post(pusher, fixture("newsmlg2/update_v1.xml"), url="/wire/hokushin/").status_code == 401
    other.wire_rule.set_token("another-token-" + "z" * 30)
    other.wire_rule.save()
    assert post(pusher, fixture("newsmlg2/update_v1.xml"), url="/wire/hokushin/").status_code == 401
    assert post(pusher, fixture("newsmlg2/update_v1.xml"), url="/wire/nobody/").status_code == 401


def test_a_provider_without_a_token_accepts_no_push(sample_provider):
    assert not sample_provider.wire_rule.token_hash
    client = Client(HTTP_AUTHORIZATION="Bearer ")
    assert post(client, fixture("newsmlg2/update_v1.xml")).status_code == 401


def test_the_token_is_stored_hashed():
    rule = WireRule(token_hash="")
    token = rule.new_token()
    assert len(token) >= 32 and token not in rule.token_hash
    assert rule.token_hash == hash_token(token) and rule.token_matches(token)
    assert not rule.token_matches(token[:-1]) and not rule.token_matches("")


REFUSED = [p for p in HOSTILE if p.name in HOSTILE_REASONS]  # script_body is sanitised


@pytest.mark.parametrize("path", REFUSED, ids=[p.name for p in REFUSED])
def test_hostile_bodies_get_a_400_with_the_reason(pusher, path):
    data = path.read_bytes()
    response = post(pusher, data)
    if not data.strip():
        assert response.status_code == 400 and "本文が空です" in response.json()["error"]
        return
    assert response.status_code == 400
    assert HOSTILE_REASONS[path.name] in response.json()["error"]
    assert not ArticlePage.objects.exists()


def test_over_the_size_limit_is_413(pusher):
    response = post(pusher, b"<" + b"x" * MAX_INPUT_BYTES)
    assert response.status_code == 413 and "大きすぎます" in response.json()["error"]
    lying = post(pusher, b"<newsItem/>", CONTENT_LENGTH=str(MAX_INPUT_BYTES * 10))
    assert lying.status_code == 413
    assert not WireItemRecord.objects.exists()


def test_other_methods_are_refused(pusher):
    assert pusher.get(URL).status_code == 405


def test_multipart_carries_the_item_and_its_picture(pusher):
    response = pusher.post(
        URL,
        {
            "item": SimpleUploadedFile("lighthouse.json", fixture("ingest/with_photo.json")),
            "photo": SimpleUploadedFile("lighthouse.jpg", jpeg(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 200, response.content
    (item,) = response.json()["items"]
    assert ArticlePage.objects.get(pk=item["article_id"]).lead_image is not None


def test_broken_multipart_is_a_400(pusher):
    response = pusher.post(
        URL,
        data=b'--x\r\nContent-Disposition: form-data; name="item"\r\n\r\nnot closed',
        content_type="multipart/form-data; boundary=x",
    )
    assert response.status_code == 400


def test_a_partly_bad_message_is_200_with_the_refusal_listed(pusher):
    from sokuho.wire import testing

    text = testing.newsml_message([1, 2]).decode()
    broken = text.replace("<headline>", "<headlineX>", 1).replace("</headline>", "</headlineX>", 1)
    body = post(pusher, broken.encode()).json()
    assert body["rejected"] == 1
    assert sorted(item["result"] for item in body["items"]) == [Result.PUBLISHED, Result.REJECTED]
