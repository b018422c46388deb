"""Scheduler jobs: the daily digest at SOKUHO_DIGEST_TIME (JST), and resuming a digest
whose sender died."""

from __future__ import annotations

import logging

from django.utils import timezone

logger = logging.getLogger(__name__)


def start_due_digest() -> str:
    """Once the digest time has passed today, create today's digest (the unique date
    makes this happen once a day across workers) and queue its sending."""
    from sokuho.newsletter.digest import due_now, prepare_digest, today_jst
    from sokuho.newsletter.models import Digest
    from sokuho.newsletter.tasks import send_digest

    if not due_now() or Digest.objects.filter(date=today_jst()).exists():
        return ""
    digest = prepare_digest()
    if digest.state == Digest.State.SENDING:
        Digest.objects.filter(pk=digest.pk).update(heartbeat_at=timezone.now())
        send_digest.enqueue(digest.pk)
    return f"digest {digest.date}"


def resume_interrupted_digests() -> str:
    from sokuho.newsletter.digest import resumable_digests
    from sokuho.newsletter.models import Digest
    from sokuho.newsletter.tasks import send_digest

    resumed = []
    for digest in resumable_digests():
        # Free the dead sender's lease for the queued task, and mark the digest as
        # queued (a fresh heartbeat) so the next tick does not queue it again.
        if not Digest.objects.filter(pk=digest.pk, sender=digest.sender).update(
            sender="", heartbeat_at=timezone.now()
        ):
            continue  # another worker got there first
        logger.warning("Resuming the interrupted newsletter digest of %s", digest.date)
        send_digest.enqueue(digest.pk)
        resumed.append(str(digest.date))
    return ", ".join(resumed)


def register_jobs() -> None:
    from sokuho.scheduler import jobs

    jobs.register("newsletter_digest", 30, start_due_digest)
    jobs.register("newsletter_resume", 60, resume_interrupted_digests)
