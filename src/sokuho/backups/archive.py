"""`sokuho backup` and `sokuho restore`: one tar archive holding a consistent database
snapshot, every media file and a manifest (checksums, row counts, migrations).

Layout: database/sokuho.sqlite3 or database/sokuho.pgdump, media/…, manifest.json last
(it lists the checksums of everything before it). An archive is written under a
temporary name and renamed when complete; a restore verifies every byte in a staging
directory before it touches the target, and keeps what it replaces.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from sokuho.backups import databases
from sokuho.backups.errors import BackupError

FORMAT = "sokuho-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MAX_MANIFEST_BYTES = 256 * 1024 * 1024
IN_MEMORY_LIMIT = 64 * 1024 * 1024
CHUNK = 1024 * 1024
# Row counts a person reads in the summary (table → label).
SUMMARY_TABLES = {
    "news_articlepage": "記事",
    "wagtailcore_revision": "版",
    "wagtailimages_image": "画像",
    "newsletter_subscriber": "購読者",
}

Progress = Callable[[str], None]


@dataclass
class Target:
    """Where a site's data lives: the database settings and the media directory."""

    database: dict[str, Any]
    media_root: Path

    @classmethod
    def from_settings(cls) -> Target:
        from django.conf import settings

        return cls(dict(settings.DATABASES["default"]), Path(settings.MEDIA_ROOT))


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    kept: list[Path] = field(default_factory=list)
    pending_migrations: int = 0


def model_tables() -> tuple[list[str], list[tuple[str, str]]]:
    """Every model table, and the (table, column) pairs that hold file names."""
    from django.apps import apps
    from django.db.models import FileField

    tables, files = set(), set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        tables.add(model._meta.db_table)
        for model_field in model._meta.local_concrete_fields:
            if isinstance(model_field, FileField):
                files.add((model._meta.db_table, model_field.column))
    return sorted(tables), sorted(files)


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S")


def summary(counts: dict[str, int]) -> str:
    return "、".join(
        f"{label} {counts[table]:,}" for table, label in SUMMARY_TABLES.items() if table in counts
    )


# --- writing ---------------------------------------------------------------------------
def _add(tar: tarfile.TarFile, name: str, source: IO[bytes], size: int, mtime: float) -> dict:
    digest = hashlib.sha256()

    class Hashing(io.RawIOBase):
        def readinto(self, buffer: Any) -> int:
            data = source.read(len(buffer))
            digest.update(data)
            buffer[: len(data)] = data
            return len(data)

    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o644
    tar.addfile(info, Hashing())
    return {"sha256": digest.hexdigest(), "size": size}


def _add_path(tar: tarfile.TarFile, name: str, path: Path) -> dict:
    stat = path.stat()
    if stat.st_size <= IN_MEMORY_LIMIT:
        # Read it whole: a file rewritten during the copy cannot change size under tar.
        data = path.read_bytes()
        return _add(tar, name, io.BytesIO(data), len(data), stat.st_mtime)
    with path.open("rb") as handle:
        return _add(tar, name, handle, stat.st_size, stat.st_mtime)


def media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    found = []
    for directory, dirnames, filenames in os.walk(media_root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(directory, name)
            if not name.startswith(".") and path.is_file() and not path.is_symlink():
                found.append(path)
    return found


def create_backup(
    out: Path | str,
    target: Target | None = None,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> tuple[Path, dict[str, Any]]:
    """Write one archive of the running site; returns its path and manifest."""
    import django
    import wagtail

    import sokuho

    target = target or Target.from_settings()
    say = progress or (lambda message: None)
    out = Path(out)
    if out.is_dir():
        out = out / f"sokuho-backup-{_stamp()}.tar"
    if out.exists() and not force:
        raise BackupError(f"{out} は既にあります。上書きするなら --force を付けてください。")
    if not out.parent.is_dir():
        raise BackupError(f"保存先のディレクトリ {out.parent} がありません。")
    engine = databases.engine_of(target.database)
    tables, file_columns = model_tables()
    compress = out.name.endswith((".gz", ".tgz"))
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".sokuho-backup-") as work:
        dump = Path(work) / ("sokuho.sqlite3" if engine == databases.SQLITE else "sokuho.pgdump")
        say("データベースのスナップショットを取得しています…")
        state = databases.snapshot(target.database, dump, tables, file_columns)
        partial = Path(work) / "archive.partial"
        files: dict[str, dict] = {}
        with tarfile.open(partial, "w:gz" if compress else "w", format=tarfile.PAX_FORMAT) as tar:
            files[f"database/{dump.name}"] = _add_path(tar, f"database/{dump.name}", dump)
            dump.unlink()
            say("メディアファイルを書き込んでいます…")
            for path in media_files(target.media_root):
                name = "media/" + path.relative_to(target.media_root).as_posix()
                try:
                    files[name] = _add_path(tar, name, path)
                except FileNotFoundError:
                    continue  # deleted while we copied: the snapshot no longer needs it
            missing = [name for name in state["files"] if f"media/{name}" not in files]
            media = [entry for name, entry in files.items() if name.startswith("media/")]
            manifest = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "sokuho": sokuho.__version__,
                "django": django.__version__,
                "wagtail": wagtail.__version__,
                "database": {"engine": engine, "file": f"database/{dump.name}"},
                "migrations": sorted(state["migrations"]),
                "counts": state["counts"],
                "media": {"files": len(media), "bytes": sum(entry["size"] for entry in media)},
                "missing_media": missing,
                "files": files,
            }
            body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            _add(tar, MANIFEST, io.BytesIO(body), len(body), datetime.now(UTC).timestamp())
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, out)  # never a half-written archive under the final name
    return out, manifest


# --- reading ---------------------------------------------------------------------------
def _safe_member_name(name: str) -> bool:
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    parts = PurePosixPath(name).parts
    if any(part in ("", ".", "..") for part in parts) or name != "/".join(parts):
        return False
    return name == MANIFEST or (len(parts) >= 2 and parts[0] in ("database", "media"))


def extract_verified(archive: Path, staging: Path) -> dict[str, Any]:
    """Unpack into `staging`, checking every member against the manifest; the manifest."""
    computed: dict[str, dict] = {}
    manifest_bytes: bytes | None = None
    try:
        with tarfile.open(archive, "r:*") as tar:
            for member in tar:
                name = member.name
                if not _safe_member_name(name):
                    raise BackupError(f"アーカイブに不正なパスがあります: {name!r}")
                if not member.isfile():
                    raise BackupError(f"アーカイブに通常のファイル以外の項目があります: {name!r}")
                if name in computed or (name == MANIFEST and manifest_bytes is not None):
                    raise BackupError(f"アーカイブに同じ名前の項目が二つあります: {name!r}")
                source = tar.extractfile(member)
                if name == MANIFEST:
                    if member.size > MAX_MANIFEST_BYTES:
                        raise BackupError("アーカイブの目録（manifest.json）が大きすぎます。")
                    manifest_bytes = source.read()
                    continue
                destination = staging / name
                destination.parent.mkdir(parents=True, exist_ok=True)
                digest, size = hashlib.sha256(), 0
                with destination.open("wb") as handle:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        handle.write(chunk)
                computed[name] = {"sha256": digest.hexdigest(), "size": size}
    except BackupError:
        raise
    except (tarfile.TarError, EOFError, zlib.error) as error:
        raise BackupError(
            f"アーカイブが壊れているか、途中で切れています（{archive.name}: {error}）。"
        ) from None
    except OSError as error:
        raise BackupError(
            f"アーカイブを読めません（{archive.name}: {error.strerror or error}）。"
        ) from None
    if manifest_bytes is None:
        raise BackupError(
            "アーカイブに目録（manifest.json）がありません。"
            "sokuho のバックアップではないか、途中で切れています。"
        )
    try:
        manifest = json.loads(manifest_bytes)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BackupError("アーカイブの目録（manifest.json）が壊れています。") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("sokuho のバックアップではありません（目録の形式が違います）。")
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"このバックアップの形式（版 {manifest.get('version')}）には対応していません。"
            "作成した版の sokuho で復元してください。"
        )
    expected = manifest.get("files")
    if not isinstance(expected, dict) or manifest.get("database", {}).get("file") not in expected:
        raise BackupError("アーカイブの目録にデータベースの記載がありません。")
    missing = sorted(set(expected) - set(computed))
    extra = sorted(set(computed) - set(expected))
    if missing:
        raise BackupError(
            f"アーカイブからファイルが {len(missing)} 個欠けています（例: {missing[0]}）。"
        )
    if extra:
        raise BackupError(f"目録にないファイルがアーカイブに入っています（例: {extra[0]}）。")
    for name, entry in expected.items():
        if computed[name] != {"sha256": entry.get("sha256"), "size": entry.get("size")}:
            raise BackupError(f"チェックサムが一致しません: {name}。アーカイブが壊れています。")
    return manifest


def check_compatible(manifest: dict[str, Any], engine: str) -> int:
    """Refuse an archive this code cannot take; the number of migrations still to run."""
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    archived = manifest["database"]["engine"]
    if archived != engine:
        names = {databases.SQLITE: "SQLite", databases.POSTGRESQL: "PostgreSQL"}
        raise BackupError(
            f"{names.get(archived, archived)} のバックアップは {names[engine]} には復元できません。"
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    installed = {config.label for config in apps.get_app_configs()}
    applied = {tuple(item) for item in manifest.get("migrations", [])}
    unknown = sorted(item for item in applied - known if item[0] in installed)
    if unknown:
        app, name = unknown[0]
        raise BackupError(
            "このバックアップはより新しい版の sokuho で作られています"
            f"（この版にないマイグレーション {app}.{name} ほか {len(unknown) - 1} 件）。"
            "sokuho を更新してから復元してください。"
        )
    return len({item for item in known if item[0] in installed} - applied)


def verify_backup(archive: Path | str) -> dict[str, Any]:
    """Check an archive completely without restoring it."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"アーカイブ {archive} がありません。")
    with tempfile.TemporaryDirectory(prefix="sokuho-verify-") as staging:
        return extract_verified(archive, Path(staging))


def _media_is_empty(media_root: Path) -> bool:
    return not media_root.exists() or not any(media_root.iterdir())


def restore_backup(
    archive: Path | str,
    target: Target | None = None,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> RestoreResult:
    """Verify the archive, then replace the target's database and media with it.

    A target with data is refused unless `force`; then its database and media are kept
    beside it (…before-restore-<time>) before anything is replaced."""
    target = target or Target.from_settings()
    say = progress or (lambda message: None)
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"アーカイブ {archive} がありません。")
    engine = databases.engine_of(target.database)
    media_root = target.media_root
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=media_root.parent, prefix=".sokuho-restore-"))
    result = RestoreResult(manifest={})
    try:
        say("アーカイブを検査しています…")
        manifest = extract_verified(archive, staging)
        result.manifest = manifest
        result.pending_migrations = check_compatible(manifest, engine)
        database_empty = databases.is_empty(target.database)
        if not (database_empty and _media_is_empty(media_root)):
            if not force:
                raise BackupError(
                    "復元先に既にデータがあります。上書きするなら --force を付けてください"
                    "（上書きする前の内容は横に残します）。"
                )
            result.kept = _keep_current(target, database_empty)
        say("データベースを復元しています…")
        databases.restore(
            staging / manifest["database"]["file"], target.database, not database_empty
        )
        say("メディアファイルを復元しています…")
        restored_media = staging / "media"
        if media_root.exists():
            shutil.rmtree(media_root)  # empty, or already kept aside above
        if restored_media.is_dir():
            os.replace(restored_media, media_root)
        else:
            media_root.mkdir(parents=True)
        _check_restored(manifest, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def _keep_current(target: Target, database_empty: bool) -> list[Path]:
    """Set the current data aside (nothing a restore replaces is lost)."""
    stamp = _stamp()
    kept = []
    if not database_empty:
        if databases.engine_of(target.database) == databases.SQLITE:
            current = Path(str(target.database["NAME"]))
            copy = current.with_name(f"{current.name}.before-restore-{stamp}")
            databases.sqlite_restore(current, {"NAME": copy})
        else:
            copy = target.media_root.parent / f"sokuho-before-restore-{stamp}.pgdump"
            tables, _ = model_tables()
            databases.postgres_snapshot(target.database, copy, tables)
        kept.append(copy)
    if target.media_root.exists() and any(target.media_root.iterdir()):
        aside = target.media_root.with_name(f"{target.media_root.name}.before-restore-{stamp}")
        os.replace(target.media_root, aside)
        kept.append(aside)
    return kept


def _check_restored(manifest: dict[str, Any], target: Target) -> None:
    restored = databases.state(target.database, manifest["counts"])
    for table, count in manifest["counts"].items():
        if restored["counts"].get(table) != count:
            raise BackupError(
                "復元後の件数が目録と一致しません"
                f"（{table}: {restored['counts'].get(table)} ≠ {count}）。"
            )
    for name, entry in manifest["files"].items():
        if name.startswith("media/"):
            path = target.media_root / name.removeprefix("media/")
            if not path.is_file() or path.stat().st_size != entry["size"]:
                raise BackupError(f"復元したメディアファイルが欠けています: {name}")
