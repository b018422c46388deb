"""Render the demo's article pages repeatedly: median and p99 time per uncached page
(no full-page cache in front) and SQL queries per page.

    python bench/article_render.py [--data DIR] [--rounds 20]

With no --data, a throwaway demo data directory is built first.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py would shadow the standard library's http package: keep this folder off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", help="a demo data directory (built if missing)")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    data = Path(args.data or tempfile.mkdtemp(prefix="sokuho-bench-")).resolve()
    os.environ["SOKUHO_DATA"] = str(data)
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ.setdefault("SOKUHO_ENV", "demo")
    os.environ["DJANGO_SETTINGS_MODULE"] = "sokuho.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from sokuho.cli import collect_static
    from sokuho.demo.loader import demo_is_loaded, load_demo
    from sokuho.news.models import ArticlePage

    call_command("migrate", verbosity=0, interactive=False)
    collect_static()
    if not demo_is_loaded():
        load_demo()
    urls = [page.url for page in ArticlePage.objects.live()]
    client = Client(HTTP_HOST="127.0.0.1")
    for url in urls:  # warm renditions and templates, as a running server has them
        assert client.get(url).status_code == 200

    from django.test import override_settings

    print(f"article pages: {len(urls)}, rounds: {args.rounds}")
    for label, page_cache in (("uncached", False), ("page cache hit", True)):
        with override_settings(SOKUHO_PAGE_CACHE=page_cache):
            timings, queries = [], []
            for _ in range(args.rounds):
                for url in urls:
                    with CaptureQueriesContext(connection) as captured:
                        started = time.perf_counter()
                        response = client.get(url)
                        timings.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200
                    queries.append(len(captured.captured_queries))
        timings.sort()
        p99 = timings[int(len(timings) * 0.99) - 1]
        print(
            f"{label}: median {statistics.median(timings):.2f} ms, p99 {p99:.2f} ms; "
            f"SQL queries per page: median {statistics.median(queries):.0f}, max {max(queries)}"
        )
    print(f"article page HTML: {len(response.content)} bytes")


if __name__ == "__main__":
    main()
