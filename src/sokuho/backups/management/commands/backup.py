from django.core.management.base import BaseCommand, CommandError

from sokuho.backups.archive import create_backup, summary
from sokuho.backups.errors import BackupError


class Command(BaseCommand):
    help = (
        "サイトを止めずに、データベースとメディアを一つのアーカイブに書き出します。"
        "OUT がディレクトリなら日時つきの名前で作ります（.tar.gz で終わる名前なら圧縮）。"
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("out", help="書き出すファイル（またはディレクトリ）")
        parser.add_argument("--force", action="store_true", help="同名のファイルを上書きする")

    def handle(self, out: str, force: bool, **options) -> None:
        try:
            path, manifest = create_backup(out, force=force, progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error), returncode=2) from None
        media = manifest["media"]
        self.stdout.write(
            f"バックアップを書き出しました: {path}\n"
            f"  {summary(manifest['counts'])}、メディア {media['files']:,} 個"
            f"（{media['bytes'] / 1024 / 1024:,.1f} MB）"
        )
        if manifest["missing_media"]:
            self.stderr.write(
                f"注意: データベースが参照するファイルのうち {len(manifest['missing_media'])} 個が"
                f"メディアにありませんでした（例: {manifest['missing_media'][0]}）。"
            )
