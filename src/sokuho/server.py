"""The app server: Granian (HTTP in Rust, the WSGI application in worker processes),
sized for the machine, with the scheduler and the task worker in every worker.

Granian rather than gunicorn because a cached page is answered in a few microseconds of
Python (`sokuho.pagecache.wsgi`); gunicorn's pure-Python HTTP handling then costs
several times more than the page itself (see bench/http.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any


def worker_count() -> int:
    """Several workers only with a shared cache: a local-memory cache lives in one process,
    so invalidation (and the scheduler's publishing) must happen in the process that serves."""
    if os.environ.get("WEB_CONCURRENCY"):
        return max(1, int(os.environ["WEB_CONCURRENCY"]))
    if os.environ.get("REDIS_URL"):
        return max(2, os.cpu_count() or 2)
    return 1


def thread_count() -> int:
    """Python threads per worker: two, so that one thread's database or Redis wait is
    covered by the other. More only add GIL switching: on 2 cores, 5 threads per worker
    served uncached articles at 5 % fewer req/s and twice the median latency of 2
    (bench/http.py)."""
    if os.environ.get("SOKUHO_THREADS"):
        return max(1, int(os.environ["SOKUHO_THREADS"]))
    return 2


def application() -> Callable[..., Any]:
    """Each worker's WSGI application (Granian calls this once per worker process)."""
    from sokuho.scheduler import taskworker
    from sokuho.scheduler.runner import start_in_background
    from sokuho.wsgi import application as wsgi_application

    start_in_background()
    taskworker.start_in_background()
    return wsgi_application


def serve(host: str, port: int, *, access_log: bool, ready_message: str = "") -> None:
    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server import Server

    server = Server(
        "sokuho.server:application",
        factory=True,
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=worker_count(),
        blocking_threads=thread_count(),
        backpressure=thread_count() * 4,
        log_level=LogLevels.warning,
        log_access=access_log,
        respawn_failed_workers=True,
        workers_kill_timeout=10,
        websockets=False,
    )
    if ready_message:
        server.on_startup(lambda: print(ready_message, flush=True))
    server.serve()
