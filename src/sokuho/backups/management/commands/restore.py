from datetime import datetime

from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError

from sokuho.backups.archive import restore_backup, summary, verify_backup
from sokuho.backups.errors import BackupError
from sokuho.ja.dates import format_jst


class Command(BaseCommand):
    help = (
        "バックアップのアーカイブを検査し、データベースとメディアを復元します。"
        "復元先にデータがあれば --force が必要です（元の内容は横に残します）。"
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("archive", help="sokuho backup で作ったアーカイブ")
        parser.add_argument("--force", action="store_true", help="データのある復元先を上書きする")
        parser.add_argument("--check", action="store_true", help="検査だけして復元しない")

    def handle(self, archive: str, force: bool, check: bool, **options) -> None:
        try:
            if check:
                manifest = verify_backup(archive)
                self.stdout.write(f"アーカイブは完全です: {summary(manifest['counts'])}")
                return
            result = restore_backup(archive, force=force, progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error), returncode=2) from None
        for alias in caches:
            caches[alias].clear()  # nothing cached from the replaced data survives
        manifest = result.manifest
        self.stdout.write(
            f"復元しました（{format_jst(datetime.fromisoformat(manifest['created_at']))} 作成）: "
            f"{summary(manifest['counts'])}、"
            f"メディア {manifest['media']['files']:,} 個"
        )
        for path in result.kept:
            self.stdout.write(f"上書き前の内容を残しました: {path}")
        if result.pending_migrations:
            self.stdout.write(
                f"未適用のマイグレーションが {result.pending_migrations} 件あります。"
                "`sokuho manage migrate` を実行してから起動してください。"
            )
