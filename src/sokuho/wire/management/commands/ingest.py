"""`sokuho ingest [--provider CODE] PATH…` and `sokuho ingest --watch DIR [--once]`."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sokuho.wire.files import WatchFolder, expand, ingest_files
from sokuho.wire.ingest import Ingestor, Outcome
from sokuho.wire.models import Result, Source
from sokuho.wire.rules import UnknownProvider, provider_by_code


class Command(BaseCommand):
    help = (
        "配信ファイル（NewsML-G2・ninjs・NITF）を記事として取り込みます。"
        "1件ごとに結果を1行表示し、拒否があれば終了コード 1 を返します。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", help="配信ファイルかフォルダ")
        parser.add_argument("--provider", help="配信元コード（省略時は配信データの配信元名で判定）")
        parser.add_argument("--watch", metavar="DIR", help="このフォルダを監視して取り込む")
        parser.add_argument(
            "--once", action="store_true", help="監視フォルダを一度だけ処理して終了"
        )
        parser.add_argument("--interval", type=float, default=5.0, help="監視の間隔（秒）")

    def handle(self, *args: Any, **options: Any) -> None:
        provider = None
        if options["provider"]:
            try:
                provider = provider_by_code(options["provider"])
            except UnknownProvider as error:
                raise CommandError(str(error), returncode=2) from None
        if options["watch"] and options["paths"]:
            raise CommandError("--watch とファイルの指定は同時に使えません。", returncode=2)
        if not options["watch"] and not options["paths"]:
            raise CommandError(
                "取り込むファイルかフォルダ、または --watch DIR を指定してください。", returncode=2
            )
        source = Source.WATCH if options["watch"] else Source.CLI
        ingestor = Ingestor(provider=provider, source=source)
        if options["watch"]:
            outcomes = self.watch(Path(options["watch"]), ingestor, options)
        else:
            outcomes = self.ingest_paths([Path(p) for p in options["paths"]], ingestor)
        counts = Counter(outcome.result for outcome in outcomes)
        summary = "、".join(f"{Result(r).label} {n}" for r, n in sorted(counts.items())) or "なし"
        self.stdout.write(f"合計 {len(outcomes)} 件: {summary}")
        if counts[Result.REJECTED]:
            raise CommandError(f"{counts[Result.REJECTED]} 件を拒否しました。", returncode=1)

    def report(self, path: Path, outcome: Outcome) -> None:
        style = self.style.ERROR if outcome.rejected else self.style.SUCCESS
        self.stdout.write(f"{path.name}: " + style(outcome.line()))

    def ingest_paths(self, paths: list[Path], ingestor: Ingestor) -> list[Outcome]:
        outcomes = []
        for path in paths:
            if not path.exists():
                self.stderr.write(f"{path}: ファイルもフォルダも見つかりません。")
                outcomes.append(Outcome(result=Result.REJECTED, filename=str(path)))
        # In batches (one transaction each): lines are printed as each batch commits.
        files = expand(p for p in paths if p.exists())
        for path, found in ingest_files(ingestor, files):
            for outcome in found:
                self.report(path, outcome)
                outcomes.append(outcome)
        return outcomes

    def watch(self, folder: Path, ingestor: Ingestor, options: dict[str, Any]) -> list[Outcome]:
        if not folder.is_dir():
            raise CommandError(f"監視フォルダ {folder} がありません。", returncode=2)
        watcher = WatchFolder(folder, ingestor, settle_seconds=0 if options["once"] else 2.0)
        try:
            watcher.prepare()
        except OSError as error:
            raise CommandError(
                f"{folder} に done/ と rejected/ を作れません: {error}", returncode=2
            ) from None
        if options["once"]:
            return watcher.run_once(self.report)
        self.stdout.write(f"{folder} を監視しています（Ctrl+C で終了）。")
        try:
            while True:
                watcher.run_once(self.report)  # each file is reported as it is processed
                time.sleep(max(options["interval"], 0.2))
        except KeyboardInterrupt:
            self.stdout.write("監視を終了しました。")
        return []
