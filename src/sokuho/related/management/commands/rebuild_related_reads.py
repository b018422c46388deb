from django.core.management.base import BaseCommand

from sokuho.related.reads import rebuild_all


class Command(BaseCommand):
    help = "あわせて読みたいの索引と全記事の関連記事を作り直します。"

    def handle(self, *args, **options) -> None:
        count = rebuild_all()
        self.stdout.write(f"{count} 本の記事の関連記事を作り直しました。")
