"""The daily digest: built once per JST day, then sent address by address.

Sending is resumable and at-most-once per address. One sender holds a digest at a
time (a lease on the Digest row: host:pid:nonce and a heartbeat). Each delivery row
is claimed (pending → sending) before its message goes out and marked sent once the
server has accepted it. A new sender that takes over a dead one's lease marks rows
still "sending" as uncertain and never resends them: the one message that was in
flight may or may not have arrived, and a second copy is the worse outcome.
"""

from __future__ import annotations

import logging
import os
import secrets
import smtplib
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from sokuho.ja.dates import format_jst, to_jst
from sokuho.news import listings
from sokuho.newsletter.mail import build_message, site_url
from sokuho.newsletter.models import Delivery, Digest, Subscriber
from sokuho.newsletter.subscriptions import unsubscribe_url

logger = logging.getLogger(__name__)

STORIES = 10
STORY_WINDOW = timedelta(hours=24)
LEASE = timedelta(seconds=60)
HEARTBEAT_SECONDS = 2.0
CATCH_UP = timedelta(hours=6)
UNSUBSCRIBE_PLACEHOLDER = "%%UNSUBSCRIBE_URL%%"
WEEKDAYS = "月火水木金土日"


class SenderBusy(Exception):
    """Another live sender holds this digest."""


@dataclass
class SendReport:
    digest: Digest
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    uncertain: int = 0

    def __str__(self) -> str:
        return (
            f"{self.digest.date:%Y-%m-%d} の配信: 今回 {self.sent} 通送信"
            f"（拒否 {self.failed}、停止済み {self.skipped}、中断扱い {self.uncertain}）／"
            f"全体 {self.digest.summary()}"
        )


def digest_time() -> tuple[int, int]:
    """SOKUHO_DIGEST_TIME ("HH:MM", JST) as (hour, minute)."""
    value = settings.SOKUHO_DIGEST_TIME
    try:
        hour, minute = (int(part) for part in value.split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError
    except ValueError:
        raise ImproperlyConfigured(
            f"SOKUHO_DIGEST_TIME={value!r} は「07:00」のような時刻（日本時間）で指定してください。"
        ) from None
    return hour, minute


def today_jst(now: datetime | None = None) -> date:
    return to_jst(now or timezone.now()).date()


def top_stories(now: datetime | None = None) -> list:
    """The day's top stories: the latest editorial articles of the last 24 hours.
    Sponsored articles are never in the digest."""
    now = now or timezone.now()
    return list(
        listings.published_articles()
        .filter(first_published_at__gte=now - STORY_WINDOW, first_published_at__lte=now)
        .filter(sponsor__isnull=True)[:STORIES]
    )


def render_digest(day: date, stories: list) -> tuple[str, str, str]:
    stories = [
        {
            "title": article.labelled_title,
            "url": site_url(article.url),
            "section": article.section.title if article.section else "",
            "summary": article.summary,
            "published": format_jst(article.first_published_at),
        }
        for article in stories
    ]
    heading = f"{day.month}月{day.day}日({WEEKDAYS[day.weekday()]})"
    subject = f"【{settings.SOKUHO_SITE_NAME}】{heading}の主なニュース"
    context = {
        "heading": heading,
        "stories": stories,
        "site_name": settings.SOKUHO_SITE_NAME,
        "site_url": site_url("/"),
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
    }
    text = render_to_string("newsletter/email/digest.txt", context)
    html = render_to_string("newsletter/email/digest.html", context)
    return subject, text, html


def prepare_digest(day: date | None = None, now: datetime | None = None) -> Digest:
    """Today's digest, created once: its content and one delivery row per subscriber
    are written in one transaction, so a crash leaves either all or nothing."""
    day = day or today_jst(now)
    existing = Digest.objects.filter(date=day).first()
    if existing:
        return existing
    stories = top_stories(now)
    subject, text, html = render_digest(day, stories)
    try:
        with transaction.atomic():
            digest = Digest.objects.create(
                date=day,
                subject=subject,
                text_body=text,
                html_body=html,
                state=Digest.State.SENDING if stories else Digest.State.EMPTY,
                finished_at=None if stories else timezone.now(),
            )
            if stories:
                subscribers = Subscriber.objects.filter(state=Subscriber.State.SUBSCRIBED)
                batch: list[Delivery] = []
                for subscriber_id, email in subscribers.values_list("id", "email").iterator():
                    batch.append(Delivery(digest=digest, subscriber_id=subscriber_id, email=email))
                    if len(batch) >= 2000:
                        Delivery.objects.bulk_create(batch)
                        batch = []
                Delivery.objects.bulk_create(batch)
    except IntegrityError:  # another worker created today's digest first
        return Digest.objects.get(date=day)
    return digest


# --- the lease ---------------------------------------------------------------------
def sender_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _holder_is_dead(sender: str) -> bool:
    """True when the lease holder was a process on this machine that no longer exists."""
    try:
        host, pid, _ = sender.split(":")
        pid_number = int(pid)
    except ValueError:
        return False
    if host != socket.gethostname() or pid_number == os.getpid():
        return False
    try:
        os.kill(pid_number, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def acquire(digest: Digest, me: str) -> bool:
    now = timezone.now()
    free = Q(sender="") | Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - LEASE)
    current = Digest.objects.filter(pk=digest.pk).values_list("sender", flat=True).first()
    if current and _holder_is_dead(current):
        free |= Q(sender=current)
    return bool(Digest.objects.filter(free, pk=digest.pk).update(sender=me, heartbeat_at=now))


def release(digest: Digest, me: str) -> None:
    Digest.objects.filter(pk=digest.pk, sender=me).update(sender="", heartbeat_at=None)


def needs_sending(digest: Digest) -> bool:
    return digest.state == Digest.State.SENDING


# --- sending -----------------------------------------------------------------------
def send_digest(digest: Digest, *, connection=None) -> SendReport:
    """Send every pending delivery of this digest. Raises SenderBusy when another live
    sender has it; an SMTP failure that leaves a message's fate unknown stops the run
    (that row is marked uncertain) and a later run goes on with the rest."""
    me = sender_id()
    if not acquire(digest, me):
        raise SenderBusy(f"{digest.date:%Y-%m-%d} の配信は別のプロセスが送信中です。")
    report = SendReport(digest)
    try:
        # Whatever the previous holder left "sending" may have gone out: never resend it.
        report.uncertain += Delivery.objects.filter(
            digest=digest, state=Delivery.State.SENDING
        ).update(state=Delivery.State.UNCERTAIN, error="送信中に処理が中断したため再送しません。")
        if digest.state == Digest.State.SENDING:
            _send_pending(digest, me, report, connection)
            Digest.objects.filter(pk=digest.pk).update(
                state=Digest.State.DONE, finished_at=timezone.now()
            )
    finally:
        release(digest, me)
        digest.refresh_from_db()
    return report


def _send_pending(digest: Digest, me: str, report: SendReport, connection) -> None:
    connection = connection or get_connection()
    pending = Delivery.objects.filter(digest=digest, state=Delivery.State.PENDING)
    last_beat = time.monotonic()
    connection.open()
    try:
        send = _sender(digest, connection)
        while True:
            rows = list(pending.order_by("id").values_list("id", "subscriber_id", "email")[:500])
            if not rows:
                return
            active = set(
                Subscriber.objects.filter(
                    pk__in=[row[1] for row in rows], state=Subscriber.State.SUBSCRIBED
                ).values_list("id", flat=True)
            )
            for delivery_id, subscriber_id, email in rows:
                if subscriber_id not in active:
                    report.skipped += Delivery.objects.filter(
                        pk=delivery_id, state=Delivery.State.PENDING
                    ).update(state=Delivery.State.SKIPPED)
                    continue
                _send_one(delivery_id, subscriber_id, email, report, send)
                if time.monotonic() - last_beat >= HEARTBEAT_SECONDS:
                    last_beat = time.monotonic()
                    if not Digest.objects.filter(pk=digest.pk, sender=me).update(
                        heartbeat_at=timezone.now()
                    ):
                        raise SenderBusy("配信の担当が別のプロセスに移りました。")
    finally:
        connection.close()


TO_PLACEHOLDER = "sokuho-recipient-placeholder@example.invalid"
ID_PLACEHOLDER = "sokuho-message-id-placeholder"


def _sender(digest: Digest, connection) -> Callable[[str, int], None]:
    """A function that mails the digest to one address.

    Over SMTP the MIME message is built once, with placeholders for the recipient, its
    Message-ID and its unsubscribe link, and only those bytes change per address:
    building a message with the email package costs more than sending it. Any address
    the template cannot carry as is (a non-ASCII one) takes the general path."""

    def general(email: str, subscriber_id: int) -> None:
        url = unsubscribe_url(subscriber_id)
        message = build_message(
            to=email,
            subject=digest.subject,
            text=digest.text_body.replace(UNSUBSCRIBE_PLACEHOLDER, url),
            html=digest.html_body.replace(UNSUBSCRIBE_PLACEHOLDER, url),
            key=f"digest-{digest.pk}-{subscriber_id}",
            unsubscribe_url=url,
            connection=connection,
        )
        connection.send_messages([message])

    if not isinstance(connection, SMTPBackend):
        return general
    template = build_message(
        to=TO_PLACEHOLDER,
        subject=digest.subject,
        text=digest.text_body,
        html=digest.html_body,
        key=ID_PLACEHOLDER,
        unsubscribe_url=UNSUBSCRIBE_PLACEHOLDER,
    )
    raw = template.message().as_bytes(linesep="\r\n")
    url_mark, to_mark, id_mark = (
        mark.encode() for mark in (UNSUBSCRIBE_PLACEHOLDER, TO_PLACEHOLDER, ID_PLACEHOLDER)
    )
    expected_urls = 1 + digest.text_body.count(UNSUBSCRIBE_PLACEHOLDER)
    expected_urls += digest.html_body.count(UNSUBSCRIBE_PLACEHOLDER)
    if (raw.count(url_mark), raw.count(to_mark), raw.count(id_mark)) != (expected_urls, 1, 1):
        return general  # a body the encoder rewrote (quoted-printable): no shortcut
    envelope_from = template.from_email

    def fast(email: str, subscriber_id: int) -> None:
        if not email.isascii():
            general(email, subscriber_id)
            return
        message_key = f"digest-{digest.pk}-{subscriber_id}.{secrets.token_hex(4)}"
        data = (
            raw.replace(url_mark, unsubscribe_url(subscriber_id).encode())
            .replace(to_mark, email.encode())
            .replace(id_mark, message_key.encode())
        )
        connection.connection.sendmail(envelope_from, [email], data)

    return fast


def _send_one(delivery_id, subscriber_id, email, report, send) -> None:
    rows = Delivery.objects.filter(pk=delivery_id, state=Delivery.State.PENDING)
    if not rows.update(state=Delivery.State.SENDING, claimed_at=timezone.now()):
        return  # someone else has it
    done = Delivery.objects.filter(pk=delivery_id)
    try:
        send(email, subscriber_id)
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
        # The server said no to this message: it was not delivered; nothing to retry.
        done.update(state=Delivery.State.FAILED, error=str(error)[:300])
        report.failed += 1
    except smtplib.SMTPSenderRefused:
        done.update(state=Delivery.State.PENDING, claimed_at=None)  # refused before DATA
        raise
    except BaseException as error:
        # Connection lost mid-message: it may have arrived. Never send it again.
        done.update(state=Delivery.State.UNCERTAIN, error=str(error)[:300] or repr(error))
        report.uncertain += 1
        raise
    else:
        done.update(state=Delivery.State.SENT, sent_at=timezone.now())
        report.sent += 1


def send_today(now: datetime | None = None, *, connection=None) -> SendReport:
    """`sokuho newsletter send-digest`: prepare today's digest if needed and send it."""
    digest = prepare_digest(now=now)
    return send_digest(digest, connection=connection)


def resumable_digests() -> list[Digest]:
    """Digests still being sent whose sender is gone (lease stale or process dead)."""
    now = timezone.now()
    found = []
    for digest in Digest.objects.filter(
        state=Digest.State.SENDING, date__gte=today_jst() - timedelta(days=2)
    ):
        # No sender and a fresh heartbeat means "queued, not started yet": leave it.
        stale = not digest.heartbeat_at or digest.heartbeat_at < now - LEASE
        if stale or _holder_is_dead(digest.sender):
            found.append(digest)
    return found


def due_now(now: datetime | None = None) -> bool:
    """From the digest time until CATCH_UP later: a server that was down at 07:00 still
    sends the morning digest when it comes back, but not one at midnight."""
    now_jst = to_jst(now or timezone.now())
    hour, minute = digest_time()
    start = now_jst.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return start <= now_jst < start + CATCH_UP
