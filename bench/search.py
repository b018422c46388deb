"""Search benchmark: indexing rate and query latency on SQLite FTS5 and PostgreSQL.

Generates N articles (default 100,000) of about 1,500 characters of Japanese news-like
text (fictional places, people and companies, a Zipf-distributed vocabulary), analyses
them with the real pipeline (``sokuho.search.documents.make_document``: SudachiPy mode A
+ C compounds, normalisation, katakana folding) in worker processes, and writes them
with the real backend's ``index()`` into a freshly migrated database. To keep the run
short it inserts into the search index tables directly instead of creating N Wagtail
pages; the index table has no foreign-key constraint, so nothing else is needed.

Then it times what /search/ asks the backend for (hit count, then the first 20 hits)
over the labelled query set of the tests and 1,000 random queries (single words, two
words, names, phrases, OR, exclusions), newest-first and by relevance, after one
warm-up pass. Snippet building for a page of 20 hits is timed separately.

    PYTHONPATH=src .venv/bin/python bench/search.py [--articles N] [--backend sqlite|postgres]
        [--postgres-url postgres://postgres@127.0.0.1:5432/sokuho_bench] [--workers 2]

The PostgreSQL run drops and recreates the database named in --postgres-url (default
``sokuho_bench``; never ``test`` or the site's). Targets: indexing >= 300 articles/s,
query p95 <= 30 ms on both backends.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py would shadow the standard library's http package (Django imports it).
_HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != _HERE]

import argparse  # noqa: E402
import bisect  # noqa: E402
import itertools  # noqa: E402
import multiprocessing  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

TARGET_RATE = 300
TARGET_P95_MS = 30.0
RANDOM_QUERIES = 1_000
SECTIONS = 6
PROVIDERS = 2
AUTHORS = 40
START = datetime(2024, 1, 1, tzinfo=UTC)

# -- the generated corpus -------------------------------------------------------------------


def words(text: str) -> list[str]:
    return text.split()


PLACES = [
    *words("青葉市 港北県 北浜町 南浜市 東和区 西川村 緑ヶ丘 白浜市 朝凪町 碧海県 桜台 霧島台"),
    *words("大森市 小川町 中津県 高岡市 若葉区 海鐘町 山吹村 花園市 星川県 月見台 鳴沢町 潮見市"),
]
ORGS = [
    *words("市役所 県庁 市議会 県議会 教育委員会 商工会議所 労働組合 消費者団体 市民団体"),
    *words("北浜電機 港北鉄道 青葉銀行 碧海電力 朝凪自動車 南浜製薬 東和建設 白浜食品"),
    *words("港北大学 青葉病院 気象台 警察署 消防本部 保健所 漁業協同組合 農業協同組合"),
]
# Words nearly every story uses: each is in a large share of the corpus (the worst case
# for a hit count).
GENERIC = words("政府 関係者 住民 企業 会議 予算 計画 対策 影響 方針 調査 問題")
# Subject words: each story picks a few, Zipf-distributed, so some are everywhere and
# most are rare, as in a real archive.
TOPICAL = [
    *words("台風 原発 日銀 選挙 知事 市長 株価 半導体 工場 説明会 病院 学校 鉄道 新幹線"),
    *words("空港 港湾 漁業 農業 観光 物価 金利 賃上げ 雇用 輸出 円安 地震 津波 豪雨 避難"),
    *words("警報 感染症 ワクチン ＡＩ コンピューター スマートフォン データセンター"),
    *words("電気自動車 再生可能エネルギー 太陽光発電 風力発電 三者協議 廃炉 工程表"),
    *words("補正予算 条例 規制 補助金 税制 年金 医療 介護 保育 子育て 少子化 人口減少"),
    *words("空き家 再開発 道路 橋 水道 ごみ 温暖化 脱炭素 水素 蓄電池 送電網 停電 運休"),
    *words("欠航 渋滞 事故 火災 詐欺 裁判 判決 控訴 捜査 逮捕 国際会議 首脳会談 外相"),
    *words("貿易 関税 協定 制裁 停戦 交渉 難民 支援 援助 大使館 決算 増益 減益 赤字"),
    *words("黒字 売上高 配当 買収 合併 上場 新製品 開発 研究所 ヴァイオリン バイオリン"),
    *words("演奏会 美術館 展覧会 映画祭 舞台 写真展 文学賞 図書館 サッカー 野球"),
    *words("マラソン 五輪 選手 監督 優勝 記録 大会 開幕 閉幕 来場者 観客 地銀 京都 東京都"),
]
FACILITIES = words("駅 港 市民会館 工場 祭り 小学校 警察署 病院 商店街 公園 大橋 漁港")
SURNAMES = words("佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 松本 井上")
GIVEN = words("健太 一郎 花子 美咲 翔太 陽菜 大輔 由美 拓也 彩 直樹 恵 誠 里奈 浩二")
FOREIGN = [
    *words("アンナ・ベルク マルコ・ロッシ エマ・ウィットモア ルイス・ガルシア ソフィア・ノヴァク"),
    *words("ハンス・ミュラー オリヴィア・チェン ラウル・メンデス"),
    *words("イヴァン・ペトロフ リナ・ハッサン"),
]
TITLES = ["氏", "社長", "市長", "知事", "代表", "教授", "委員長", "会長", "外相", "監督"]
PREDICATES = [
    "を発表した",
    "について協議した",
    "を検討している",
    "で大筋合意した",
    "を延期すると明らかにした",
    "の見直しを求めた",
    "に反対する声明を出した",
    "を正式に決めた",
    "の影響を調べている",
    "への対応を急いでいる",
    "に向けた準備を始めた",
    "を来月から実施する",
]
INTRANSITIVE = ["相次いだ", "広がっている", "続いている", "増えた", "減った", "止まった"]
UNITS = ["人", "件", "億円", "万円", "%", "か所", "台", "戸"]


def _zipf_weights(n: int) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank + 1) for rank in range(n)))


_TOPICAL_WEIGHTS = _zipf_weights(len(TOPICAL))


def _topical(rng: random.Random) -> str:
    return TOPICAL[bisect.bisect(_TOPICAL_WEIGHTS, rng.random() * _TOPICAL_WEIGHTS[-1])]


def _person(rng: random.Random) -> str:
    if rng.random() < 0.25:
        return rng.choice(FOREIGN)
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _place(rng: random.Random) -> str:
    place = rng.choice(PLACES)
    return place + rng.choice(FACILITIES) if rng.random() < 0.3 else place


def _sentence(rng: random.Random, topic: list[str]) -> str:
    def noun() -> str:
        return rng.choice(topic)

    kind = rng.randrange(6)
    if kind == 0:
        return (
            f"{_place(rng)}の{rng.choice(ORGS)}は{rng.randint(1, 31)}日、"
            f"{noun()}の{noun()}{rng.choice(PREDICATES)}。"
        )
    if kind == 1:
        return (
            f"{_person(rng)}{rng.choice(TITLES)}は「{noun()}と{noun()}の問題に"
            f"しっかり取り組みたい」と述べた。"
        )
    if kind == 2:
        return (
            f"{noun()}をめぐっては、{_place(rng)}でも{rng.choice(GENERIC)}への"
            f"{rng.choice(INTRANSITIVE) if rng.random() < 0.5 else '懸念が出ている'}。"
        )
    if kind == 3:
        return (
            f"{rng.choice(GENERIC)}によると、{rng.randint(2, 9999):,}{rng.choice(UNITS)}の"
            f"{noun()}が{rng.choice(INTRANSITIVE)}という。"
        )
    if kind == 4:
        return (
            f"{rng.choice(ORGS)}は{noun()}に関する{rng.choice(GENERIC)}の結果をまとめ、"
            f"{_place(rng)}の{noun()}{rng.choice(PREDICATES)}。"
        )
    return f"{_place(rng)}では{noun()}の{noun()}が{rng.choice(INTRANSITIVE)}。"


def generate(number: int) -> tuple[str, str, list[str]]:
    """Article ``number``: (headline, body of ~1,500 characters in paragraphs, byline names)."""
    rng = random.Random(number)
    topic = list({_topical(rng) for _ in range(5)})
    headline = (
        f"{rng.choice(PLACES)}で{topic[0]}　{rng.choice(topic)}{rng.choice(PREDICATES)}"
    ).removesuffix("た")
    paragraphs, size = [], 0
    while size < 1_500:
        paragraph = "".join(_sentence(rng, topic) for _ in range(rng.randint(2, 4)))
        paragraphs.append(paragraph)
        size += len(paragraph)
    names = [f"{SURNAMES[number % len(SURNAMES)]} {GIVEN[number % 13]}"]
    return headline, "\n".join(paragraphs), names


def make(number: int):
    from sokuho.search.documents import (
        author_facet,
        make_document,
        provider_facet,
        section_facet,
    )

    headline, body, names = generate(number)
    facets = [section_facet(number % SECTIONS + 1), author_facet(number % AUTHORS + 1)]
    if number % 3 == 0:
        facets.append(provider_facet(number % PROVIDERS + 1))
    published = START + timedelta(minutes=7 * number)
    return make_document(number + 1, published, headline, body + "\n" + names[0], facets)


def make_batch(numbers: range) -> tuple[list, float]:
    """The documents, and the CPU seconds their analysis took in this worker."""
    started = time.process_time()
    documents = [make(number) for number in numbers]
    return documents, time.process_time() - started


def random_queries(count: int) -> list[str]:
    """Readers' searches: subject words (popular ones more often), everyday words, names,
    places, phrases, OR and exclusions."""
    rng = random.Random(20260206)
    queries = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.40:
            queries.append(_topical(rng))
        elif kind < 0.50:
            queries.append(rng.choice(GENERIC))
        elif kind < 0.65:
            queries.append(f"{_topical(rng)} {_topical(rng)}")
        elif kind < 0.75:
            queries.append(_person(rng))
        elif kind < 0.82:
            queries.append(f'"{rng.choice(PLACES)} {rng.choice(FACILITIES)}"')
        elif kind < 0.90:
            queries.append(f"{_topical(rng)} OR {_topical(rng)}")
        elif kind < 0.96:
            queries.append(f"{_topical(rng)} -{rng.choice(GENERIC)}")
        else:
            queries.append(rng.choice(PLACES) + rng.choice(ORGS))
    return queries


# -- one backend ----------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def run_backend(name: str, articles: int, workers: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sokuho.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from sokuho.search.backends import Filters, Order, get_search_backend
    from sokuho.search.query import parse_query
    from sokuho.search.snippets import snippet
    from sokuho.search.tests.corpus import QUERIES

    print(f"[{name}] load average at start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"[{name}] migrated in {time.perf_counter() - started:.1f} s")
    backend = get_search_backend()
    assert backend.vendor == connection.vendor

    # Indexing: workers analyse, this process writes batches of 500 as they arrive.
    batches = [range(i, min(i + 500, articles)) for i in range(0, articles, 500)]
    started = time.perf_counter()
    written, analysis_cpu, write_cpu = 0, 0.0, 0.0
    connection.close()  # the forked workers must not share this process's connection
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for documents, cpu in pool.imap(make_batch, batches):
            analysis_cpu += cpu
            write_started = time.process_time()
            backend.index(documents)
            write_cpu += time.process_time() - write_started
            written += len(documents)
            if written % 20_000 == 0:
                elapsed = time.perf_counter() - started
                print(f"[{name}]   {written:,} indexed, {written / elapsed:.0f}/s", flush=True)
    elapsed = time.perf_counter() - started
    print(
        f"[{name}] indexing: {written:,} articles in {elapsed:.1f} s = "
        f"{written / elapsed:.0f} articles/s ({workers} analysis workers; target >= "
        f"{TARGET_RATE})"
    )
    # On a shared machine wall time depends on the neighbours; CPU time much less.
    # (PostgreSQL's own work happens in its server process and is not counted here.)
    print(
        f"[{name}] CPU per article: analysis {1000 * analysis_cpu / written:.2f} ms, "
        f"write (this process) {1000 * write_cpu / written:.2f} ms"
    )
    sample = [make(number) for number in range(articles, articles + 1_000)]
    started = time.perf_counter()
    for document in sample:  # one at a time, as publishing does, in this one process
        backend.index([document])
    one = time.perf_counter() - started
    analysis_started = time.perf_counter()
    for number in range(articles, articles + 1_000):
        make(number)
    analysis = time.perf_counter() - analysis_started
    print(
        f"[{name}] single process, one article per call (analysis + write): "
        f"{1_000 / (one + analysis):.0f} articles/s (analysis alone {1_000 / analysis:.0f}/s)"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument")
            cursor.execute("SELECT pg_total_relation_size('search_searchdocument')")
            print(f"[{name}] index size: {cursor.fetchone()[0] / 1e6:.0f} MB (table + GIN)")
    else:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = Path(connection.settings_dict["NAME"]).stat().st_size
        print(f"[{name}] database file: {size / 1e6:.0f} MB")

    # Queries.
    labelled = [text for text, _, _ in QUERIES]
    randoms = random_queries(RANDOM_QUERIES)
    span = timedelta(minutes=7 * articles)  # the corpus's publication period
    filtered = Filters(section_id=2, since=START + span / 4, until=START + span * 3 / 4)

    def timed(texts: list[str], order: Order, filters: Filters) -> tuple[list[float], list[int]]:
        timings, counts = [], []
        for text in texts:
            begin = time.perf_counter()
            query = parse_query(text)
            count = 0
            if not query.is_empty:
                count = backend.count(query, filters)
                backend.search(query, filters, order, 0, 20)
            timings.append((time.perf_counter() - begin) * 1000)
            counts.append(count)
        return timings, counts

    for texts in (labelled, randoms):
        timed(texts, Order.NEWEST, Filters())  # warm-up
    for label, texts in (("labelled set", labelled), ("random", randoms)):
        for order in (Order.NEWEST, Order.RELEVANCE):
            for filter_label, filters in (("", Filters()), (" + section/date filter", filtered)):
                timings, counts = timed(texts, order, filters)
                print(
                    f"[{name}] {label} ({len(texts)} queries), {order.value}{filter_label}: "
                    f"p50 {percentile(timings, 0.50):.1f} ms, p95 {percentile(timings, 0.95):.1f}"
                    f" ms, max {max(timings):.1f} ms; hits median "
                    f"{statistics.median(counts):,.0f}, max {max(counts):,}"
                )

    # Snippets for one page of 20 hits (the view's other per-query cost), from the texts
    # of the hits each query really returns.
    timings = []
    for text in randoms[:200]:
        query = parse_query(text)
        if query.is_empty:
            continue
        hits = backend.search(query, Filters(), Order.NEWEST, 0, 20)
        bodies = [generate(page_id - 1)[1].split("\n") for page_id in hits]
        begin = time.perf_counter()
        for paragraphs in bodies:
            snippet(paragraphs, query)
        timings.append((time.perf_counter() - begin) * 1000)
    print(
        f"[{name}] snippets for a page of hits: p50 {percentile(timings, 0.5):.1f} ms, "
        f"p95 {percentile(timings, 0.95):.1f} ms"
    )
    print(f"[{name}] load average at the end: {os.getloadavg()[0]:.1f}")


# -- driver -----------------------------------------------------------------------------------


def reset_postgres(url: str) -> bool:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[-1]
    if name in {"", "test", "postgres", "sokuho"}:
        raise SystemExit(f"refusing to drop the database {name!r}: name a bench database")
    try:
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as db:
            db.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as error:
        print(f"[postgres] skipped: {error}".strip())
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/sokuho_bench")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--run", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.run:
        run_backend(args.run, args.articles, args.workers)
        return 0
    print(
        f"{args.articles:,} generated articles of about 1,500 characters; "
        f"sample headline: {generate(0)[0]}"
    )
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    status = 0
    for name in backends:
        with tempfile.TemporaryDirectory(prefix="sokuho-bench-search-") as data:
            env = {**os.environ, "SOKUHO_DATA": data, "SOKUHO_ENV": "production"}
            env.pop("PYTEST_VERSION", None)
            if name == "sqlite":
                env["DATABASE_URL"] = f"sqlite:///{data}/bench.sqlite3"
            elif reset_postgres(args.postgres_url):
                env["DATABASE_URL"] = args.postgres_url
            else:
                continue
            command = [sys.executable, __file__, "--run", name]
            command += ["--articles", str(args.articles), "--workers", str(args.workers)]
            status |= subprocess.call(command, env=env)
    return status


if __name__ == "__main__":
    sys.exit(main())
