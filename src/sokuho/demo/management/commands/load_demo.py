from django.core.management.base import BaseCommand

from sokuho.demo.loader import demo_is_loaded, load_demo


class Command(BaseCommand):
    help = "デモ用の架空の記事・記者・まとめを作成します（作成済みなら何もしません）。"

    def handle(self, *args, **options):
        if demo_is_loaded():
            self.stdout.write("デモデータは作成済みです。")
            return
        self.stdout.write(load_demo())
