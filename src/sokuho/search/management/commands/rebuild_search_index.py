from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sokuho.search.indexing import rebuild

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "検索インデックスを公開中の全記事から作り直す（検索は作業中も使えます）。"

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(done: int, total: int) -> None:
            filled = BAR_WIDTH * done // total if total else BAR_WIDTH
            percent = 100 * done // total if total else 100
            self.stdout.write(
                f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} 件 ({percent}%)",
                ending="",
            )
            self.stdout.flush()

        indexed, removed = rebuild(progress)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"検索インデックスを作り直しました：{indexed} 件の記事を登録、{removed} 件を削除。"
            )
        )
