"""Double opt-in: a sign-up sends a confirmation mail; only its link subscribes.

The reply to a sign-up never says whether the address was known: a new, pending or
subscribed address gets the same page, and the mail (a confirmation, or a note that
the address is already subscribed) goes to the address's owner only.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from sokuho.newsletter.mail import build_message, site_url
from sokuho.newsletter.models import Subscriber, new_nonce
from sokuho.newsletter.tokens import confirm_token, unsubscribe_token

# One mail per address per this interval, whoever asks: the form cannot mail-bomb anyone.
RESEND_INTERVAL = timedelta(minutes=5)


def normalize_email(raw: str) -> str:
    email = (raw or "").strip()
    if not email:
        raise ValidationError("メールアドレスを入力してください。")
    if len(email) > 254:
        raise ValidationError("メールアドレスが長すぎます。")
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            "メールアドレスの形式が正しくありません。例：taro@example.jp"
        ) from None
    return email.lower()


def request_subscription(raw_email: str) -> None:
    """Handle a sign-up: raises ValidationError (in Japanese) for an invalid address."""
    email = normalize_email(raw_email)
    subscriber = Subscriber.objects.filter(email=email).first()
    if subscriber is None:
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(email=email)
        except IntegrityError:  # the same address signed up twice at once
            subscriber = Subscriber.objects.get(email=email)
    now = timezone.now()
    claimed = Subscriber.objects.filter(
        Q(last_mailed_at__isnull=True) | Q(last_mailed_at__lt=now - RESEND_INTERVAL),
        pk=subscriber.pk,
    )
    if not claimed.update(last_mailed_at=now):
        return  # mailed a moment ago: say nothing more to this inbox
    from sokuho.newsletter.tasks import send_subscription_mail

    send_subscription_mail.enqueue(subscriber.pk)


def send_subscription_mail_now(subscriber_id: int) -> None:
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return
    if subscriber.state == Subscriber.State.SUBSCRIBED:
        template, subject = "already_subscribed", "メールマガジンはすでにご登録済みです"
        context = {"unsubscribe_url": unsubscribe_url(subscriber.pk)}
    else:
        # A fresh nonce: the newest confirmation link is the only one that works.
        subscriber.confirm_nonce = new_nonce()
        subscriber.save(update_fields=["confirm_nonce"])
        template, subject = "confirm", "メールマガジン登録の確認"
        context = {"confirm_url": site_url(f"/newsletter/confirm/{confirm_token(subscriber)}/")}
    context["email"] = subscriber.email
    context["hours"] = int(settings.SOKUHO_NEWSLETTER_CONFIRM_HOURS)
    message = build_message(
        to=subscriber.email,
        subject=f"【{site_name()}】{subject}",
        text=render_to_string(f"newsletter/email/{template}.txt", context),
        html=render_to_string(f"newsletter/email/{template}.html", context),
        key=f"{template}-{subscriber.pk}",
    )
    message.send()


def confirm(subscriber: Subscriber) -> None:
    Subscriber.objects.filter(pk=subscriber.pk).update(
        state=Subscriber.State.SUBSCRIBED,
        confirmed_at=timezone.now(),
        unsubscribed_at=None,
        confirm_nonce=new_nonce(),
    )


def unsubscribe(subscriber: Subscriber) -> None:
    Subscriber.objects.filter(pk=subscriber.pk).exclude(state=Subscriber.State.UNSUBSCRIBED).update(
        state=Subscriber.State.UNSUBSCRIBED, unsubscribed_at=timezone.now()
    )


def unsubscribe_url(subscriber_id: int) -> str:
    return site_url(f"/newsletter/unsubscribe/{unsubscribe_token(subscriber_id)}/")


def site_name() -> str:
    return settings.SOKUHO_SITE_NAME
