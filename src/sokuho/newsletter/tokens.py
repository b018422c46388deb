"""Signed links in newsletter mail: confirmation (expires, works once) and unsubscribe
(never expires, so an old digest's link still works)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from sokuho.newsletter.models import Subscriber

CONFIRM_SALT = "sokuho.newsletter.confirm"
UNSUBSCRIBE_SALT = "sokuho.newsletter.unsubscribe"


class LinkError(Exception):
    """A link that cannot be used; the message is what the reader is told."""


def confirm_token(subscriber: Subscriber) -> str:
    return signing.dumps({"s": subscriber.pk, "n": subscriber.confirm_nonce}, salt=CONFIRM_SALT)


def unsubscribe_token(subscriber_id: int) -> str:
    return signing.dumps(subscriber_id, salt=UNSUBSCRIBE_SALT)


def subscriber_for_confirm_token(token: str) -> Subscriber:
    max_age = settings.SOKUHO_NEWSLETTER_CONFIRM_HOURS * 3600
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkError(
            "確認リンクの有効期限が切れています。お手数ですが、もう一度登録してください。"
        ) from None
    except signing.BadSignature:
        raise LinkError(
            "確認リンクが正しくありません。メールのリンクをそのまま開いてください。"
        ) from None
    if not isinstance(data, dict):
        raise LinkError("確認リンクが正しくありません。")
    subscriber = Subscriber.objects.filter(pk=data.get("s")).first()
    if subscriber is None:
        raise LinkError("確認リンクが正しくありません。")
    if subscriber.confirm_nonce != data.get("n"):
        if subscriber.state == Subscriber.State.SUBSCRIBED:
            raise LinkError("このリンクは使用済みです。登録はすでに完了しています。")
        raise LinkError("このリンクは使用済みか、新しい確認メールで無効になりました。")
    return subscriber


def subscriber_for_unsubscribe_token(token: str) -> Subscriber:
    try:
        subscriber_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise LinkError(
            "配信停止リンクが正しくありません。メールのリンクをそのまま開いてください。"
        ) from None
    subscriber = (
        Subscriber.objects.filter(pk=subscriber_id).first()
        if isinstance(subscriber_id, int)
        else None
    )
    if subscriber is None:
        raise LinkError("配信停止リンクが正しくありません。")
    return subscriber
