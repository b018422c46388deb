"""gunicorn, configured for sokuho, with the scheduler in every worker."""

from __future__ import annotations

import os
from typing import Any

from gunicorn.app.base import BaseApplication


def worker_count() -> int:
    """Several workers only with a shared cache: a local-memory cache lives in one process,
    so invalidation (and the scheduler's publishing) must happen in the process that serves."""
    if os.environ.get("WEB_CONCURRENCY"):
        return max(1, int(os.environ["WEB_CONCURRENCY"]))
    if os.environ.get("REDIS_URL"):
        return max(2, os.cpu_count() or 2)
    return 1


def _post_worker_init(worker: Any) -> None:
    from sokuho.scheduler import taskworker
    from sokuho.scheduler.runner import start_in_background

    start_in_background()
    taskworker.start_in_background()


class SokuhoServer(BaseApplication):
    def __init__(self, bind: str, *, access_log: bool, ready_message: str = "") -> None:
        self.bind = bind
        self.access_log = access_log
        self.ready_message = ready_message
        super().__init__()

    def load_config(self) -> None:
        options: dict[str, Any] = {
            "bind": self.bind,
            "workers": worker_count(),
            "worker_class": "gthread",
            "threads": int(os.environ.get("SOKUHO_THREADS", "8")),
            "timeout": 60,
            "graceful_timeout": 10,
            "keepalive": 5,
            "errorlog": "-",
            "loglevel": "warning",
            "accesslog": "-" if self.access_log else None,
            "post_worker_init": _post_worker_init,
            "proc_name": "sokuho",
        }
        if self.ready_message:
            message = self.ready_message
            options["when_ready"] = lambda arbiter: print(message, flush=True)
        for key, value in options.items():
            if value is not None:
                self.cfg.set(key, value)

    def load(self) -> Any:
        from sokuho.wsgi import application

        return application
