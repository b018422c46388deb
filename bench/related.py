"""あわせて読みたい at scale: the related reads of one new article against 100,000.

    python bench/related.py [--articles 100000] [--rounds 20]

The 100,000 indexed articles are synthetic bags of nouns (no Wagtail pages): the demo
articles' real nouns as the common vocabulary, invented katakana names as the long tail,
and 2,000 running stories whose terms recur, as news does. They are loaded with
``index_many`` (what ``rebuild_related_reads`` uses). Each round then publishes a real
demo article as the new one, through the real code: SudachiPy nouns, ``index_document``,
and ``choose`` (candidate postings, similarity, topic and recency boosts). Target: 50 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="sokuho-bench-related-")
    os.environ["SOKUHO_DATA"] = data
    try:
        run(args)
    finally:
        shutil.rmtree(data, ignore_errors=True)


def run(args: argparse.Namespace) -> None:
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "sokuho.settings"
    here = Path(__file__).resolve().parent  # keep sibling scripts from shadowing modules
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
    sys.path.insert(0, str(here.parent / "src"))

    import django

    django.setup()
    from django.core.management import call_command

    from sokuho.demo import content
    from sokuho.demo.loader import body_html
    from sokuho.ja.analysis import nouns
    from sokuho.related import reads, similarity
    from sokuho.related.models import Posting

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(11)
    vocabulary: Counter[str] = Counter()
    for item in content.ARTICLES:
        vocabulary.update(nouns(item["headline"] + "\n" + "\n".join(item["paragraphs"])))
    common = [term for term, _ in vocabulary.most_common()]
    common_weights = [1 / (rank + 1) for rank in range(len(common))]
    names = sorted({"".join(rng.choices(KANA, k=rng.randint(3, 6))) for _ in range(40_000)})
    stories = [rng.sample(names, 4) + rng.sample(common, 4) for _ in range(2_000)]
    now = datetime.now(UTC)

    began = time.perf_counter()
    docs = []
    for article_id in range(1, args.articles + 1):
        story = int(rng.paretovariate(1.1)) % len(stories)
        terms: Counter[str] = Counter()
        for term in stories[story]:
            terms[term] += rng.randint(2, 6)
        for term in rng.choices(common, common_weights, k=60):
            terms[term] += 1
        for term in rng.sample(names, 3):
            terms[term] += 1
        docs.append(
            similarity.Document(
                article_id=article_id,
                published_at=now - timedelta(hours=(args.articles - article_id) * 0.2),
                terms=terms,
                section_id=story % 6 + 1,
                topic_ids=[story] if story < 50 else [],
            )
        )
    similarity.index_many(docs)
    del docs
    print(
        f"index: {args.articles:,} articles, {Posting.objects.count():,} postings, "
        f"built in {time.perf_counter() - began:.0f} s"
    )

    timings: dict[str, list[float]] = {"nouns": [], "index": [], "choose": [], "total": []}
    chosen = []
    for round_ in range(args.rounds):
        item = content.ARTICLES[round_ % len(content.ARTICLES)]
        article_id = args.articles + 1 + round_
        started = time.perf_counter()
        terms = similarity.article_terms(
            item["headline"], item["summary"], body_html(item["paragraphs"])
        )
        tokenised = time.perf_counter()
        doc = similarity.Document(article_id, now, terms, section_id=1, topic_ids=[7])
        similarity.index_document(doc)
        indexed = time.perf_counter()
        chosen = reads.choose(doc)
        done = time.perf_counter()
        for name, seconds in (
            ("nouns", tokenised - started),
            ("index", indexed - tokenised),
            ("choose", done - indexed),
            ("total", done - started),
        ):
            timings[name].append(seconds * 1000)
        similarity.remove_document(article_id)

    print(f"related reads of a new article against {args.articles:,} ({args.rounds} rounds):")
    for name, values in timings.items():
        values.sort()
        p95 = values[max(0, int(len(values) * 0.95) - 1)]
        print(f"  {name:7s} median {statistics.median(values):6.1f} ms   p95 {p95:6.1f} ms")
    print(f"  last choice: {chosen}")


if __name__ == "__main__":
    main()
