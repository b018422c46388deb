"""Sign-up, double opt-in and unsubscribe as a reader meets them (mail in memory)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from lxml import html as lxml_html

from sokuho.news.tests import factories
from sokuho.newsletter.models import Subscriber
from sokuho.newsletter.subscriptions import unsubscribe_url

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    tree = lxml_html.fromstring(response.content.decode())
    return " ".join("".join(tree.xpath("//main")[0].itertext()).split())


def confirm_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/newsletter/confirm/[^/\s]+/)", message.body).group(1)


def signup(client, address: str, **headers):
    return client.post("/newsletter/", {"email": address}, **headers)


def test_form_is_on_home_and_article_pages(client):
    article = factories.article()
    for url in ("/", article.url):
        tree = lxml_html.fromstring(client.get(url).content.decode())
        form = tree.xpath("//form[@action='/newsletter/']")[0]
        field = form.xpath(".//input[@name='email']")[0]
        assert field.get("type") == "email"
        assert tree.xpath(f"//label[@for='{field.get('id')}']")
        assert "メールマガジンのご登録はこちらから" in "".join(tree.itertext())


def test_signup_sends_a_confirmation_and_subscribes_nobody_yet(client):
    response = signup(client, "Hanako@Example.jp")
    assert response.status_code == 200
    assert "確認メールをお送りしました" in text_of(response)
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "hanako@example.jp"
    assert subscriber.state == "pending"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["hanako@example.jp"]
    assert "登録の確認" in mail.outbox[0].subject


def test_confirm_link_shows_a_button_and_only_post_subscribes(client):
    signup(client, "taro@example.jp")
    path = confirm_path(mail.outbox[0])
    page = client.get(path)
    assert page.status_code == 200
    tree = lxml_html.fromstring(page.content.decode())
    assert tree.xpath("//form[@method='post']//button[contains(., '登録を完了する')]")
    assert Subscriber.objects.get().state == "pending"  # a link scanner's GET does nothing
    done = client.post(path)
    assert "登録が完了しました" in text_of(done)
    assert Subscriber.objects.get().state == "subscribed"


def test_confirm_link_works_once(client):
    signup(client, "taro@example.jp")
    path = confirm_path(mail.outbox[0])
    client.post(path)
    again = client.post(path)
    assert again.status_code == 400
    assert "使用済み" in text_of(again)
    assert client.get(path).status_code == 400


def test_confirm_link_expires(client, settings):
    settings.SOKUHO_NEWSLETTER_CONFIRM_HOURS = 48
    signup(client, "taro@example.jp")
    path = confirm_path(mail.outbox[0])
    with time_machine.travel(timezone.now() + timedelta(hours=49), tick=False):
        response = client.post(path)
    assert response.status_code == 400
    assert "有効期限が切れています" in text_of(response)
    assert Subscriber.objects.get().state == "pending"


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "x" + token,
        lambda token: "not-a-token",
    ],
)
def test_tampered_confirm_token_is_refused(client, mangle):
    signup(client, "taro@example.jp")
    token = confirm_path(mail.outbox[0]).split("/")[-2]
    response = client.post(f"/newsletter/confirm/{mangle(token)}/")
    assert response.status_code == 400
    assert "正しくありません" in text_of(response)
    assert Subscriber.objects.get().state == "pending"


def test_a_token_for_another_subscriber_is_refused(client):
    """The signature covers the subscriber id: swapping it breaks the signature."""
    from django.core import signing

    signup(client, "taro@example.jp")
    Subscriber.objects.create(email="other@example.jp")
    mine = Subscriber.objects.get(email="taro@example.jp").pk
    token = confirm_path(mail.outbox[0]).split("/")[-2]
    payload = signing.b64_decode(token.split(":")[0].encode())
    forged = payload.replace(f'"s":{mine}'.encode(), f'"s":{mine + 1}'.encode())
    assert forged != payload
    forged_payload = signing.b64_encode(forged).decode()
    forged = ":".join([forged_payload, *token.split(":")[1:]])
    assert client.post(f"/newsletter/confirm/{forged}/").status_code == 400


def test_same_answer_for_new_pending_and_subscribed_addresses(client):
    Subscriber.objects.create(email="known@example.jp", state="subscribed")
    Subscriber.objects.create(email="waiting@example.jp", state="pending")
    answers = {
        address: text_of(signup(client, address))
        for address in ("new@example.jp", "known@example.jp", "waiting@example.jp")
    }
    assert len(set(answers.values())) == 1
    # The owner of a subscribed address is told, by mail only.
    by_address = {message.to[0]: message for message in mail.outbox}
    assert "すでにご登録" in by_address["known@example.jp"].subject
    assert "登録の確認" in by_address["waiting@example.jp"].subject
    assert Subscriber.objects.get(email="known@example.jp").state == "subscribed"


@pytest.mark.parametrize(
    ("address", "error"),
    [
        ("", "メールアドレスを入力してください"),
        ("not-an-address", "形式が正しくありません"),
        ("taro@", "形式が正しくありません"),
        ("<script>@example.jp", "形式が正しくありません"),
        ("a" * 250 + "@example.jp", "長すぎます"),
    ],
)
def test_invalid_address_gets_a_japanese_error(client, address, error):
    response = signup(client, address)
    assert response.status_code == 400
    assert error in text_of(response)
    assert "<script>" not in response.content.decode().split("<main", 1)[1].replace(
        "&lt;script&gt;", ""
    )
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_signups_are_rate_limited_per_client(client):
    for number in range(5):
        assert signup(client, f"reader{number}@example.jp").status_code == 200
    response = signup(client, "reader9@example.jp")
    assert response.status_code == 429
    assert "しばらく" in text_of(response) or "10分" in text_of(response)
    assert not Subscriber.objects.filter(email="reader9@example.jp").exists()


def test_one_address_gets_one_mail_however_often_it_is_entered(client):
    client.post("/newsletter/", {"email": "taro@example.jp"}, REMOTE_ADDR="10.0.0.1")
    client.post("/newsletter/", {"email": "taro@example.jp"}, REMOTE_ADDR="10.0.0.2")
    assert len(mail.outbox) == 1


def test_cross_site_post_is_refused(client):
    response = signup(client, "taro@example.jp", HTTP_ORIGIN="https://evil.example.net")
    assert response.status_code == 403
    assert not Subscriber.objects.exists()
    assert signup(client, "taro@example.jp", HTTP_ORIGIN="http://testserver").status_code == 200


def test_signup_page_get_and_bad_methods(client):
    assert client.get("/newsletter/").status_code == 200
    assert client.put("/newsletter/").status_code == 405


def test_unsubscribe_get_asks_and_post_unsubscribes_without_login(client):
    subscriber = Subscriber.objects.create(email="taro@example.jp", state="subscribed")
    path = unsubscribe_url(subscriber.pk).split("://", 1)[1].split("/", 1)[1]
    path = "/" + path
    page = client.get(path)
    assert page.status_code == 200
    assert "配信を停止する" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.state == "subscribed"
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.state == "unsubscribed" and subscriber.unsubscribed_at
    assert client.post(path).status_code == 200  # twice is harmless


def test_tampered_unsubscribe_token_is_refused(client):
    subscriber = Subscriber.objects.create(email="taro@example.jp", state="subscribed")
    token = unsubscribe_url(subscriber.pk).rstrip("/").rsplit("/", 1)[1]
    response = client.post(f"/newsletter/unsubscribe/{token[:-1]}x/")
    assert response.status_code == 400
    assert "正しくありません" in text_of(response)
    subscriber.refresh_from_db()
    assert subscriber.state == "subscribed"


def test_resubscribing_after_unsubscribe_needs_a_new_confirmation(client):
    Subscriber.objects.create(email="taro@example.jp", state="unsubscribed")
    signup(client, "taro@example.jp")
    assert Subscriber.objects.get().state == "unsubscribed"
    client.post(confirm_path(mail.outbox[0]))
    assert Subscriber.objects.get().state == "subscribed"
