"""Render and send one newsletter digest to N subscribers through a local aiosmtpd
(in its own process, as a real mail server would be): messages per second.

    python bench/newsletter.py [--subscribers 10000]

Builds a throwaway SQLite data directory (migrate, a few articles, N subscribers),
then times prepare_digest (render once, one delivery row per subscriber) and
send_digest (one SMTP connection, one claim and one confirmation write per message).
"""

from __future__ import annotations

import sys
from pathlib import Path

# Python puts this script's folder first on sys.path; a bench script named like a
# standard module (bench/http.py) would shadow it for everything imported here.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def serve_smtp(port: int) -> None:
    """The SMTP server process: accept everything, count it, print the count on SIGTERM."""
    from aiosmtpd.controller import Controller

    class Counter:
        received = 0

        async def handle_DATA(self, server, session, envelope):
            Counter.received += len(envelope.rcpt_tos)
            return "250 OK"

    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)

    def stop(*_):
        controller.stop()
        print(Counter.received, flush=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    asyncio.run(asyncio.sleep(3600))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--smtp-server", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.smtp_server:
        serve_smtp(args.smtp_server)
        return

    data = Path(tempfile.mkdtemp(prefix="sokuho-bench-newsletter-"))
    port = free_port()
    os.environ.update(
        SOKUHO_DATA=str(data),
        SECRET_KEY="bench-only-" + "x" * 40,
        SOKUHO_ENV="demo",
        SOKUHO_BASE_URL="https://news.example.jp",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        DJANGO_SETTINGS_MODULE="sokuho.settings",
    )
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from sokuho.news.models import ArticlePage, SectionPage
    from sokuho.news.structure import ensure_site_structure
    from sokuho.newsletter.digest import prepare_digest, send_digest
    from sokuho.newsletter.models import Delivery, Subscriber

    call_command("migrate", verbosity=0)
    ensure_site_structure()
    section = SectionPage.objects.get(slug="world")
    for n in range(10):
        page = ArticlePage(
            title=f"ベンチマーク用の架空の記事その{n + 1}　見出しは二つの節から成る",
            summary="架空の都市で起きた出来事を伝えるベンチマーク用の要約文です。" * 2,
            body="<p>本文。</p>",
        )
        section.add_child(instance=page)
        page.save_revision().publish()
    Subscriber.objects.bulk_create(
        (
            Subscriber(email=f"reader{n:05d}@example.jp", state="subscribed")
            for n in range(args.subscribers)
        ),
        batch_size=2000,
    )

    server = subprocess.Popen(
        [sys.executable, __file__, "--smtp-server", str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout.readline().strip() == "ready"
        started = time.perf_counter()
        digest = prepare_digest()
        prepared = time.perf_counter()
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            report = profiler.runcall(send_digest, digest)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
        else:
            report = send_digest(digest)
        finished = time.perf_counter()
    finally:
        server.send_signal(signal.SIGTERM)
        received = int(server.stdout.read().strip() or 0)
        server.wait(10)

    sent = Delivery.objects.filter(state="sent").count()
    total = finished - started
    print(f"subscribers:            {args.subscribers}")
    print(f"sent / server received: {report.sent} / {received} (rows marked sent: {sent})")
    print(f"prepare (render+rows):  {prepared - started:.2f} s")
    print(f"send:                   {finished - prepared:.2f} s")
    print(
        f"messages per second:    {report.sent / total:.0f} (send only: "
        f"{report.sent / (finished - prepared):.0f})"
    )


if __name__ == "__main__":
    main()
