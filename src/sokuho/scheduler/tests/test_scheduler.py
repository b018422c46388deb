"""Scheduled publishing and expiry happen in the server process, with no cron job."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from sokuho.news.tests import factories
from sokuho.scheduler.jobs import Job, run_due_jobs, run_job

pytestmark = pytest.mark.django_db


def test_article_scheduled_a_minute_ahead_goes_live(client):
    page = factories.article(title="一分後に公開する記事", publish=False)
    go_live = timezone.now() + timedelta(minutes=1)
    page.go_live_at = go_live
    page.save_revision().publish()  # with a future go_live_at this schedules, not publishes
    page.refresh_from_db()
    assert not page.live
    url = f"/world/{page.slug}/"

    run_due_jobs(force=True)
    assert client.get(url).status_code == 404

    with time_machine.travel(go_live + timedelta(seconds=5), tick=False):
        assert "publish_scheduled" in run_due_jobs(force=True)
    page.refresh_from_db()
    assert page.live
    assert client.get(url).status_code == 200


def test_expired_article_is_unpublished(client):
    page = factories.article(title="期限つきの記事")
    page.expire_at = timezone.now() + timedelta(minutes=5)
    page.save_revision().publish()
    assert client.get(page.url).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        run_due_jobs(force=True)
    page.refresh_from_db()
    assert not page.live and page.expired


def test_a_locked_job_is_skipped_and_a_failing_job_does_not_stop_the_loop():
    from django.core.cache import cache

    calls = []
    job = Job("test-job", 60, lambda: calls.append(1))
    cache.add("sokuho:scheduler:lock:test-job", "1", 30)
    assert run_job(job) is False
    cache.delete("sokuho:scheduler:lock:test-job")
    assert run_job(job) is True
    assert calls == [1]

    def broken():
        raise RuntimeError("boom")

    assert run_job(Job("broken", 60, broken)) is False
