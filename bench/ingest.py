"""Wire ingest throughput (not a test): parsing alone, and parse + store + publish.

Generates 5,000 wire documents in memory: 4,000 new stories in mixed formats and
encodings (NewsML-G2, ninjs 1/2/3, NITF; UTF-8, Shift_JIS, EUC-JP, ISO-2022-JP) and
1,000 updates (20%, a newer version of an earlier story in the same format). Then:

1. parse only: ``parse_bytes`` over all of them (no database);
2. end to end, on a fresh SQLite database and, when one answers, on PostgreSQL: every
   document through ``Ingestor.ingest_many`` (provider rule: publish at once), in batches
   the way `sokuho ingest` and the watch folder store, revise and publish articles;
3. the same 5,000 again, which must change nothing (same articles, same revisions).

    .venv/bin/python bench/ingest.py [--count 5000] [--postgres postgres://postgres@127.0.0.1:5432/postgres]

Targets: >= 2,000 items/s parsing, >= 200 items/s end to end on SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
# bench/ holds http.py, which would shadow the standard library's http package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(SRC))

PARSE_TARGET = 2_000
STORE_TARGET = 200


def documents(count: int, seed: int = 20260205) -> list[tuple[str, bytes]]:
    """``count`` documents, 80% new stories and 20% later versions of them."""
    from sokuho.wire import testing

    new = int(count * 0.8)
    batch = testing.mixed_batch(new, seed=seed)
    rng = random.Random(seed)
    updates = []
    for n in rng.sample(range(new), count - new):
        label, data = batch[n]
        if label.startswith("newsml-g2"):
            kind = label.split("/")[1]
            encoding = "Shift_JIS" if label.endswith("shift_jis") else "UTF-8"
            data = testing.newsml_item(n, version=2, body=kind, encoding=encoding)
        elif label.startswith("nitf"):
            encoding = {"nitf/plain/euc-jp": "EUC-JP", "nitf/iso-2022-jp": "ISO-2022-JP"}
            data = testing.nitf_item(
                n,
                namespaced=label != "nitf/plain/euc-jp",
                encoding=encoding.get(label, "UTF-8"),
                version=2,
            )
        else:
            doc = json.loads(data)
            doc["version"] = "2"
            for key in ("versionCreated", "versioncreated"):
                if key in doc:  # later the same day
                    doc[key] = doc[key][:11] + "23:59:00+09:00"
            if "headline" in doc:
                doc["headline"] += "（更新）"
            else:
                doc["headlines"][0]["value"] += "（更新）"
            data = json.dumps(doc, ensure_ascii=False).encode()
        updates.append((label + " update", data))
    return batch + updates


def bench_parse(docs: list[tuple[str, bytes]], rounds: int) -> float:
    from sokuho.wire.parsing import parse_bytes

    for _, data in docs[:50]:
        parse_bytes(data)
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        items = sum(len(parse_bytes(data, label)) for label, data in docs)
        rates.append(items / (time.perf_counter() - start))
    best = max(rates)
    print(f"parse only: {len(docs):,} documents, best of {rounds}: {best:,.0f} items/s "
          f"(target {PARSE_TARGET:,})")  # fmt: skip
    return best


def store_worker(count: int) -> None:
    """Runs in a subprocess whose environment names the database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sokuho.settings")
    django.setup()
    from collections import Counter

    from django.core.management import call_command
    from django.db import connection
    from wagtail.models import Revision

    from sokuho.news.models import ArticlePage, Provider
    from sokuho.wire.ingest import Ingestor
    from sokuho.wire.models import PublishMode, WireRule

    call_command("migrate", verbosity=0, interactive=False)
    provider = Provider.objects.create(name="サンプル通信", code="sample", signature="サンプル")
    WireRule.objects.create(provider=provider, publish_mode=PublishMode.PUBLISH)
    docs = documents(count)

    def run(label: str) -> Counter:
        ingestor = Ingestor(provider=provider)
        results: Counter = Counter()
        statements = 0

        def count(execute, sql, params, many, context):
            nonlocal statements
            statements += 1
            return execute(sql, params, many, context)

        start, cpu = time.perf_counter(), time.process_time()
        # Batch mode, as `sokuho ingest` and the watch folder use it.
        with connection.execute_wrapper(count):
            for outcomes in ingestor.ingest_many((data, name) for name, data in docs):
                for outcome in outcomes:
                    results[outcome.result] += 1
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        total = sum(results.values())
        # CPU time of this process too: on a busy machine wall time mostly measures waiting.
        print(f"  {label}: {total:,} items in {elapsed:.1f} s = {total / elapsed:,.0f} items/s "
              f"({cpu * 1000 / total:.1f} ms CPU per item here, the database server's not "
              f"counted; {statements / total:.1f} SQL statements per item); "
              f"{dict(sorted((str(k), v) for k, v in results.items()))}")  # fmt: skip
        return results

    vendor = connection.vendor
    print(f"parse + store + publish on {vendor}:")
    first = run("first pass")
    state = (ArticlePage.objects.count(), ArticlePage.objects.live().count(),
             Revision.page_revisions.count())  # fmt: skip
    second = run("same documents again")
    again = (ArticlePage.objects.count(), ArticlePage.objects.live().count(),
             Revision.page_revisions.count())  # fmt: skip
    verdict = "unchanged" if again == state else f"CHANGED {again}"
    print(f"  articles {state[0]:,} ({state[1]:,} live), revisions {state[2]:,}; "
          f"after the second pass: {verdict}")  # fmt: skip
    print(f"  load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if first.get("rejected") or set(second) != {"ignored"}:
        print("  unexpected results!")


def run_store(count: int, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, __file__, "--worker", "--count", str(count)],
        env={**os.environ, **env, "PYTHONPATH": str(SRC)},
        check=True,
    )


def postgres_database(url: str) -> tuple[str, object] | None:
    """A throwaway database on the PostgreSQL server of ``url``, or None if it is down."""
    try:
        import psycopg
    except ImportError:
        return None
    name = f"sokuho_bench_{os.getpid()}"
    try:
        admin = psycopg.connect(url, autocommit=True, connect_timeout=2)
    except psycopg.OperationalError:
        return None
    admin.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + f"/{name}", (admin, name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        store_worker(args.count)
        return 0

    docs = documents(args.count)
    updates = sum(label.endswith(" update") for label, _ in docs)
    print(f"generated {len(docs):,} documents ({updates:,} updates), "
          f"{sum(len(d) for _, d in docs) / 1e6:.1f} MB")  # fmt: skip
    parse_rate = bench_parse(docs, args.rounds)

    with tempfile.TemporaryDirectory(prefix="sokuho-bench-ingest-") as data:
        sqlite_env = {"SOKUHO_DATA": data, "SOKUHO_ENV": "demo", "DATABASE_URL": ""}
        sqlite_env["SECRET_KEY"] = "bench-only-" + "x" * 40
        run_store(args.count, sqlite_env)

        created = postgres_database(args.postgres)
        if created is None:
            print(f"PostgreSQL not reachable at {args.postgres}: skipped")
        else:
            url, (admin, name) = created
            try:
                run_store(args.count, {**sqlite_env, "DATABASE_URL": url})
            finally:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
                admin.close()
    return 0 if parse_rate >= PARSE_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
