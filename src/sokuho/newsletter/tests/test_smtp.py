"""Newsletter mail through a real SMTP server (aiosmtpd on 127.0.0.1): what it receives."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from sokuho.news.tests import factories
from sokuho.newsletter.digest import prepare_digest, send_digest, send_today
from sokuho.newsletter.models import Delivery, Digest, Subscriber
from sokuho.newsletter.tests.smtp import RecordingHandler, SMTPServer

pytestmark = pytest.mark.django_db


def subscribers(count: int) -> list[Subscriber]:
    return [
        Subscriber.objects.create(email=f"reader{n:03d}@example.jp", state="subscribed")
        for n in range(count)
    ]


@pytest.fixture
def stories():
    factories.article(
        title="青葉市で路面電車が開業　利用者は初日で1万人", summary="開業初日の様子。"
    )
    factories.article("business", title="架空の北辰銀行、新しい家計アプリを公開")
    return factories


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_confirmation_mail_through_smtp_and_its_link_works_once(client, smtp_server):
    client.post("/newsletter/", {"email": "taro@example.jp"})
    [received] = smtp_server.handler.received
    assert received.envelope_to == ["taro@example.jp"]
    message = received.message
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"https?://\S+/newsletter/confirm/\S+/", text).group(0)
    assert client.post(path_of(link)).status_code == 200
    assert Subscriber.objects.get().state == "subscribed"
    assert client.post(path_of(link)).status_code == 400


def test_confirmation_link_from_smtp_expires(client, smtp_server, settings):
    import time_machine

    settings.SOKUHO_NEWSLETTER_CONFIRM_HOURS = 48
    client.post("/newsletter/", {"email": "taro@example.jp"})
    text = smtp_server.handler.received[0].message.get_body(("plain",)).get_content()
    link = re.search(r"https?://\S+/newsletter/confirm/\S+/", text).group(0)
    assert "48時間" in text
    with time_machine.travel(timezone.now() + timedelta(hours=48, minutes=1)):
        response = client.post(path_of(link))
    assert response.status_code == 400
    assert "有効期限が切れています" in response.content.decode()
    assert Subscriber.objects.get().state == "pending"


def test_digest_is_valid_multipart_japanese_mail_with_unsubscribe_headers(
    client, smtp_server, stories, settings
):
    settings.SOKUHO_BASE_URL = "https://news.example.jp"
    subscribers(2)
    report = send_today()
    assert report.sent == 2
    received = smtp_server.handler.received
    assert sorted(r.envelope_to[0] for r in received) == [
        "reader000@example.jp",
        "reader001@example.jp",
    ]
    message = received[0].message
    assert message.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    for part in message.iter_parts():
        assert part.get_content_charset() == "utf-8"
    assert "主なニュース" in str(message["Subject"])  # decoded from RFC 2047
    raw_headers = received[0].raw.split(b"\r\n\r\n", 1)[0]
    assert raw_headers.isascii()  # Japanese only as RFC 2047 encoded words
    subject = re.search(rb"\r\nSubject:([^\r\n]*(?:\r\n[ \t][^\r\n]*)*)", raw_headers).group(1)
    assert subject.strip().startswith(b"=?utf-8?")
    assert message["Message-ID"] and message["Date"] and message["From"]
    assert message["MIME-Version"] == "1.0"
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "青葉市で路面電車が開業" in plain and "青葉市で路面電車が開業" in html
    assert "https://news.example.jp/world/" in plain
    unsubscribe = message["List-Unsubscribe"].strip()  # may be folded onto a new line
    assert re.fullmatch(r"<https://news\.example\.jp/newsletter/unsubscribe/[^>\s]+/>", unsubscribe)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe[1:-1] in plain and unsubscribe[1:-1] in html


def test_one_click_unsubscribe_by_post_from_the_header(client, smtp_server, stories):
    [subscriber, other] = subscribers(2)
    send_today()
    mine = next(r for r in smtp_server.handler.received if r.envelope_to == [subscriber.email])
    url = mine.message["List-Unsubscribe"].strip()[1:-1]
    # What a mail provider does (RFC 8058): POST, no cookies, no login, no CSRF token.
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        path_of(url),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    other.refresh_from_db()
    assert subscriber.state == "unsubscribed" and other.state == "subscribed"


def test_digest_is_sent_once_a_day(smtp_server, stories):
    subscribers(3)
    send_today()
    again = send_today()
    assert again.sent == 0
    assert len(smtp_server.handler.received) == 3
    assert Digest.objects.count() == 1


def test_sponsored_articles_stay_out_of_the_digest(smtp_server, stories):
    from sokuho.sponsored.models import Sponsor

    sponsor = Sponsor.objects.create(name="広告主（テスト用）")
    factories.article(title="タイアップ記事の見出し", sponsor=sponsor, ad_label="PR")
    subscribers(1)
    send_today()
    plain = smtp_server.handler.received[0].message.get_body(("plain",)).get_content()
    assert "青葉市で路面電車が開業" in plain
    assert "タイアップ記事の見出し" not in plain


def test_no_stories_no_digest(smtp_server):
    subscribers(2)
    report = send_today()
    assert report.digest.state == Digest.State.EMPTY
    assert smtp_server.handler.received == []


def test_refused_address_is_recorded_and_the_rest_are_sent(smtp_server, stories):
    subscribers(3)
    smtp_server.handler.refuse = {"reader001@example.jp"}
    report = send_today()
    assert (report.sent, report.failed) == (2, 1)
    failed = Delivery.objects.get(state="failed")
    assert failed.email == "reader001@example.jp" and "550" in failed.error
    assert report.digest.state == Digest.State.DONE


def test_unsubscribed_after_the_digest_was_prepared_is_skipped(smtp_server, stories):
    people = subscribers(3)
    digest = prepare_digest()
    Subscriber.objects.filter(pk=people[0].pk).update(state="unsubscribed")
    report = send_digest(digest)
    assert (report.sent, report.skipped) == (2, 1)
    assert people[0].email not in smtp_server.handler.recipients()


def test_lost_connection_mid_send_resumes_without_a_second_copy(settings, stories):
    """The server takes the 4th message and never answers: the sender times out, marks
    that one uncertain and stops; the next run sends the rest and never that one again."""
    people = subscribers(8)
    handler = RecordingHandler(hang_after=4)
    with SMTPServer(handler) as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_TIMEOUT = 1
        with pytest.raises(OSError):
            send_today()
        handler.release.set()
        digest = Digest.objects.get()
        assert digest.state == Digest.State.SENDING
        assert Delivery.objects.filter(state="uncertain").count() == 1
        report = send_today()
    assert report.sent == 4 and report.digest.state == Digest.State.DONE
    recipients = handler.recipients()
    assert sorted(recipients) == sorted(p.email for p in people)  # each exactly once


def test_a_live_sender_is_not_disturbed_by_a_second_one(stories):
    from sokuho.newsletter.digest import SenderBusy, acquire

    subscribers(1)
    digest = prepare_digest()
    assert acquire(digest, "otherhost:1:abcd")
    with pytest.raises(SenderBusy):
        send_digest(digest)
    # A lease not renewed for a minute is taken over.
    Digest.objects.filter(pk=digest.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=2))
    assert acquire(digest, "thishost:2:efgh")
