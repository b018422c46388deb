"""The scheduler loop, as a daemon thread of each server worker or as its own process."""

from __future__ import annotations

import logging
import threading

from django.conf import settings

from sokuho.scheduler.jobs import run_due_jobs

logger = logging.getLogger(__name__)

_thread: threading.Thread | None = None
_stop = threading.Event()


def run_forever(stop: threading.Event | None = None, interval: float | None = None) -> None:
    stop = stop or _stop
    interval = interval or min(settings.SOKUHO_SCHEDULER_INTERVAL, 5.0)
    while not stop.is_set():
        try:
            run_due_jobs()
        except Exception:  # the loop must outlive a bad job or a lost database
            logger.exception("Scheduler tick failed")
        stop.wait(interval)


def start_in_background() -> threading.Thread:
    """Start the loop once per process (gunicorn calls this in each worker)."""
    global _thread
    if _thread is None or not _thread.is_alive():
        _stop.clear()
        _thread = threading.Thread(target=run_forever, name="sokuho-scheduler", daemon=True)
        _thread.start()
    return _thread


def stop() -> None:
    _stop.set()
