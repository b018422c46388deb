"""The daily digest from the server's scheduler: at SOKUHO_DIGEST_TIME (JST), once a
day, resumed when its sender died; queued tasks run by the server's task worker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.checks import run_checks

from sokuho.news.tests import factories
from sokuho.newsletter.digest import prepare_digest
from sokuho.newsletter.jobs import resume_interrupted_digests, start_due_digest
from sokuho.newsletter.models import Delivery, Digest, Subscriber
from sokuho.scheduler.jobs import registered_jobs

pytestmark = pytest.mark.django_db

# 2026-02-06 06:59 JST
BEFORE = datetime(2026, 2, 5, 21, 59, tzinfo=UTC)


@pytest.fixture
def readers():
    for n in range(3):
        Subscriber.objects.create(email=f"reader{n}@example.jp", state="subscribed")
    Subscriber.objects.create(email="pending@example.jp", state="pending")


def test_jobs_are_registered():
    names = {job.name for job in registered_jobs()}
    assert {"newsletter_digest", "newsletter_resume"} <= names


def test_digest_goes_out_at_the_configured_time_once_a_day(readers, settings):
    settings.SOKUHO_DIGEST_TIME = "07:00"
    with time_machine.travel(BEFORE - timedelta(hours=2)):
        factories.article(title="朝のニュース")
    with time_machine.travel(BEFORE):
        assert start_due_digest() == ""
        assert not Digest.objects.exists()
    with time_machine.travel(BEFORE + timedelta(minutes=1)):
        assert start_due_digest() == "digest 2026-02-06"
        assert start_due_digest() == ""
    with time_machine.travel(BEFORE + timedelta(hours=10)):
        assert start_due_digest() == ""
    assert sorted(m.to[0] for m in mail.outbox) == [f"reader{n}@example.jp" for n in range(3)]
    digest = Digest.objects.get()
    assert digest.state == Digest.State.DONE and "2月6日(金)" in digest.subject
    # The next morning brings the next digest.
    with time_machine.travel(BEFORE + timedelta(days=1, minutes=1)):
        factories.article(title="翌朝のニュース")
        assert start_due_digest() == "digest 2026-02-07"
    assert Digest.objects.count() == 2 and len(mail.outbox) == 6


def test_a_server_back_late_in_the_day_sends_no_digest(readers, settings):
    settings.SOKUHO_DIGEST_TIME = "07:00"
    with time_machine.travel(BEFORE + timedelta(hours=3)):  # 10:00 JST: still the morning
        factories.article(title="朝のニュース")
        assert start_due_digest() == "digest 2026-02-06"
    with time_machine.travel(BEFORE + timedelta(days=1, hours=7)):  # 14:00 JST next day
        factories.article(title="昼のニュース")
        assert start_due_digest() == ""
    assert Digest.objects.count() == 1


def test_an_interrupted_digest_is_resumed_by_the_scheduler(readers):
    factories.article(title="朝のニュース")
    digest = prepare_digest()
    first = Delivery.objects.filter(digest=digest).order_by("id").first()
    # A sender on another host took the first row and then went silent.
    Delivery.objects.filter(pk=first.pk).update(state="sending")
    Digest.objects.filter(pk=digest.pk).update(sender="elsewhere:123:ab", heartbeat_at=None)
    assert resume_interrupted_digests() == str(digest.date)
    digest.refresh_from_db()
    assert digest.state == Digest.State.DONE
    others = sorted({f"reader{n}@example.jp" for n in range(3)} - {first.email})
    assert sorted(m.to[0] for m in mail.outbox) == others  # never the one in flight
    assert Delivery.objects.get(pk=first.pk).state == "uncertain"
    assert resume_interrupted_digests() == ""


def test_a_live_sender_is_left_alone(readers):
    from django.utils import timezone

    factories.article(title="朝のニュース")
    digest = prepare_digest()
    Digest.objects.filter(pk=digest.pk).update(
        sender="elsewhere:123:ab", heartbeat_at=timezone.now()
    )
    assert resume_interrupted_digests() == ""
    assert not mail.outbox


@pytest.mark.parametrize("value", ["7時", "25:00", "07:60", ""])
def test_a_bad_digest_time_is_a_clear_error(settings, value):
    settings.SOKUHO_DIGEST_TIME = value
    errors = [m for m in run_checks() if m.id == "newsletter.E001"]
    assert errors and "07:00" in errors[0].msg


def test_the_server_task_worker_runs_queued_mail(settings, client, monkeypatch):
    """With the database backend, signing up only queues the mail; the worker loop that
    `sokuho serve` starts sends it."""
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    from sokuho.scheduler.taskworker import run_pending_tasks

    # The worker drops stale connections between tasks; inside this test's transaction
    # that would close the test's own connection.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.post("/newsletter/", {"email": "taro@example.jp"})
    assert not mail.outbox
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    run_pending_tasks()
    assert [m.to for m in mail.outbox] == [["taro@example.jp"]]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_send_digest_command(readers, capsys):
    from django.core.management import call_command

    factories.article(title="朝のニュース")
    call_command("newsletter", "send-digest")
    assert "今回 3 通送信" in capsys.readouterr().out
    call_command("newsletter", "send-digest")
    assert "今回 0 通送信" in capsys.readouterr().out
    assert len(mail.outbox) == 3
