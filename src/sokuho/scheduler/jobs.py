"""Periodic jobs run inside the server process: no cron needed.

Apps register jobs in their AppConfig.ready(); `run_due_jobs` runs the ones whose
interval has passed. A lock in the shared cache keeps two workers (or two app
nodes sharing Redis) from running the same job at the same moment.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.management import call_command
from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)


@dataclass
class Job:
    name: str
    every_seconds: float
    func: Callable[[], object]
    last_run: float = field(default=0.0)


_jobs: dict[str, Job] = {}


def register(name: str, every_seconds: float, func: Callable[[], object]) -> None:
    _jobs[name] = Job(name, every_seconds, func)


def registered_jobs() -> list[Job]:
    return list(_jobs.values())


def publish_scheduled_pages() -> str:
    """Wagtail's own scheduler step: publish approved go-live revisions, unpublish expired pages."""
    output = io.StringIO()
    call_command("publish_scheduled", stdout=output)
    return output.getvalue()


def register_builtin_jobs() -> None:
    from django.conf import settings

    register("publish_scheduled", settings.SOKUHO_SCHEDULER_INTERVAL, publish_scheduled_pages)


def run_job(job: Job) -> bool:
    """Run one job unless another process holds its lock. True when it ran."""
    lock_key = f"sokuho:scheduler:lock:{job.name}"
    if not cache.add(lock_key, "1", timeout=max(int(job.every_seconds * 5), 30)):
        return False
    try:
        job.func()
        return True
    except Exception:
        logger.exception("Scheduled job %s failed", job.name)
        return False
    finally:
        cache.delete(lock_key)
        job.last_run = time.monotonic()


def _close_old_connections() -> None:
    # Never inside a caller's transaction (a test's, on PostgreSQL): closing would end it.
    if not any(c.in_atomic_block for c in connections.all(initialized_only=True)):
        close_old_connections()


def run_due_jobs(force: bool = False) -> list[str]:
    """Run every job whose interval has passed; returns the names of the jobs that ran."""
    _close_old_connections()
    ran = []
    now = time.monotonic()
    for job in registered_jobs():
        due = force or job.last_run == 0.0 or now - job.last_run >= job.every_seconds
        if due and run_job(job):
            ran.append(job.name)
    _close_old_connections()
    return ran
