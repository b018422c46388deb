"""Parse-only throughput of the wire parsers (not a test).

Generates 5,000 single-item wire documents in memory, in mixed formats and encodings
(NewsML-G2 with XHTML/NITF/plain bodies, ninjs 1/2/3, NITF with and without namespace;
UTF-8, Shift_JIS, EUC-JP, ISO-2022-JP), then times ``parse_bytes`` over all of them.
No database, no network: this measures parsing, decoding and sanitising alone.

    PYTHONPATH=src .venv/bin/python bench/ingest_parse.py [--count N] [--rounds R]

Target: >= 2,000 items/s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter

from sokuho.wire.parsing import parse_bytes
from sokuho.wire.testing import mixed_batch

TARGET_ITEMS_PER_SECOND = 2_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5_000, help="documents to generate")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes (best is reported)")
    args = parser.parse_args(argv)

    batch = mixed_batch(args.count)
    mix = Counter(label for label, _ in batch)
    total_bytes = sum(len(data) for _, data in batch)
    print(f"generated {len(batch):,} documents, {total_bytes / 1e6:.1f} MB")
    for label, n in sorted(mix.items()):
        print(f"  {label:<26} {n:>5}")

    for _, data in batch[:50]:  # warm-up: imports, regex compilation, parser creation
        parse_bytes(data)

    rates = []
    items = 0
    for _ in range(args.rounds):
        items = 0
        warnings = 0
        start = time.perf_counter()
        for label, data in batch:
            parsed = parse_bytes(data, label)
            items += len(parsed)
            warnings += sum(len(i.warnings) for i in parsed)
        elapsed = time.perf_counter() - start
        rates.append(items / elapsed)
        rate = items / elapsed
        print(
            f"  pass: {items:,} items in {elapsed:.3f} s = {rate:,.0f} items/s; {warnings} warnings"
        )

    best = max(rates)
    median = statistics.median(rates)
    print(
        f"parse throughput: best {best:,.0f} items/s, median {median:,.0f} items/s "
        f"(target {TARGET_ITEMS_PER_SECOND:,})"
    )
    return 0 if best >= TARGET_ITEMS_PER_SECOND else 1


if __name__ == "__main__":
    sys.exit(main())
