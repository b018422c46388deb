"""Background tasks (django-tasks): the database backend in production, run by the
task worker thread inside the server; immediate in tests."""

from __future__ import annotations

from django_tasks import task


@task()
def send_subscription_mail(subscriber_id: int) -> None:
    from sokuho.newsletter.subscriptions import send_subscription_mail_now

    send_subscription_mail_now(subscriber_id)


@task()
def send_digest(digest_id: int) -> str:
    from sokuho.newsletter.digest import SenderBusy
    from sokuho.newsletter.digest import send_digest as send
    from sokuho.newsletter.models import Digest

    digest = Digest.objects.filter(pk=digest_id).first()
    if digest is None:
        return "no such digest"
    try:
        return str(send(digest))
    except SenderBusy as busy:
        return str(busy)
