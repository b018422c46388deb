"""Runs queued background tasks (django-tasks' database backend) in a daemon thread of
each server worker, so `sokuho demo` and `sokuho serve` need no separate worker process.
Several threads or processes may run at once: the backend hands each task to one only."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.utils.crypto import get_random_string

logger = logging.getLogger(__name__)

_thread: threading.Thread | None = None
_stop = threading.Event()
POLL_SECONDS = 1.0


def uses_database_backend() -> bool:
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def run_pending_tasks(worker_id: str | None = None) -> None:
    """Run every task that is ready now, then return."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id or get_random_string(32),
        excluded_queue_names=[],
    ).run()


def run_forever(stop: threading.Event | None = None) -> None:
    stop = stop or _stop
    worker_id = f"sokuho-{get_random_string(24)}"
    while not stop.is_set():
        try:
            run_pending_tasks(worker_id)
        except Exception:  # a lost database must not end the loop
            logger.exception("Background task worker failed")
        stop.wait(POLL_SECONDS)


def start_in_background() -> threading.Thread | None:
    global _thread
    if not uses_database_backend():
        return None
    if _thread is None or not _thread.is_alive():
        _stop.clear()
        _thread = threading.Thread(target=run_forever, name="sokuho-tasks", daemon=True)
        _thread.start()
    return _thread


def stop() -> None:
    _stop.set()
