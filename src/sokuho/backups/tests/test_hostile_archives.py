"""A damaged or hostile archive is refused with a clear message before anything is
written to the target; nothing lands outside the staging directory."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from sokuho.backups.archive import Target, check_compatible, restore_backup
from sokuho.backups.errors import BackupError
from sokuho.backups.tests.sites import Site

pytestmark = [pytest.mark.slow, pytest.mark.own_database]


@pytest.fixture(scope="module")
def good_archive(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    site = Site("sqlite", root / "source")
    site.migrate()
    site.populate(articles=2, subscribers=1)
    archive = root / "good.tar"
    result = site.sokuho("backup", *site.data_args(), str(archive))
    assert result.returncode == 0, result.stderr
    return archive


@pytest.fixture
def target(tmp_path) -> Target:
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "t" / "db.sqlite3")}
    return Target(database, tmp_path / "t" / "media")


def members(archive: Path) -> list[tuple[tarfile.TarInfo, bytes]]:
    with tarfile.open(archive) as tar:
        return [(m, tar.extractfile(m).read() if m.isfile() else b"") for m in tar.getmembers()]


def rewrite(path: Path, items: list[tuple[tarfile.TarInfo, bytes]]) -> Path:
    with tarfile.open(path, "w") as tar:
        for info, data in items:
            info.size = len(data) if info.isfile() else 0
            tar.addfile(info, io.BytesIO(data) if info.isfile() else None)
    return path


def assert_refused(archive: Path, target: Target, message: str) -> None:
    with pytest.raises(BackupError, match=message):
        restore_backup(archive, target)
    assert not Path(target.database["NAME"]).exists()
    assert not target.media_root.exists() or not any(target.media_root.iterdir())
    assert not list(target.media_root.parent.glob(".sokuho-restore-*"))  # staging removed


def test_the_good_archive_restores(good_archive, target):
    result = restore_backup(good_archive, target)
    assert result.manifest["counts"]["news_articlepage"] == 2
    assert any(target.media_root.rglob("*.jpg"))


def test_a_flipped_byte_is_caught_by_the_checksum(good_archive, target, tmp_path):
    items = members(good_archive)
    for index, (info, data) in enumerate(items):
        if info.name.endswith(".jpg"):
            items[index] = (info, data[:100] + bytes([data[100] ^ 0xFF]) + data[101:])
            break
    assert_refused(rewrite(tmp_path / "flipped.tar", items), target, "チェックサムが一致しません")


def test_a_truncated_archive_is_refused(good_archive, target, tmp_path):
    data = good_archive.read_bytes()
    broken = tmp_path / "truncated.tar"
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(BackupError, match=r"壊れているか、途中で切れています|欠けています|目録"):
        restore_backup(broken, target)
    assert not Path(target.database["NAME"]).exists()


@pytest.mark.parametrize(
    "content", [b"", b"not an archive at all" * 100, b"\x1f\x8b" + b"\x00" * 64]
)
def test_something_that_is_not_an_archive_is_refused(content, target, tmp_path):
    path = tmp_path / "junk.tar"
    path.write_bytes(content)
    assert_refused(path, target, "壊れているか、途中で切れています")


def test_an_archive_without_a_manifest_is_refused(good_archive, target, tmp_path):
    items = [item for item in members(good_archive) if item[0].name != "manifest.json"]
    assert_refused(
        rewrite(tmp_path / "no-manifest.tar", items), target, "目録（manifest.json）がありません"
    )


def test_a_missing_media_file_is_refused(good_archive, target, tmp_path):
    items = members(good_archive)
    dropped = next(i for i, (info, _) in enumerate(items) if info.name.startswith("media/"))
    del items[dropped]
    assert_refused(rewrite(tmp_path / "missing.tar", items), target, "欠けています")


@pytest.mark.parametrize(
    "name", ["../escaped.txt", "media/../../escaped.txt", "/tmp/escaped.txt", "media/a\\..\\b"]
)
def test_path_traversal_members_are_refused(good_archive, target, tmp_path, name):
    evil = tarfile.TarInfo(name)
    items = [(evil, b"owned"), *members(good_archive)]
    assert_refused(rewrite(tmp_path / "evil.tar", items), target, "不正なパス")
    assert not (tmp_path / "escaped.txt").exists()
    assert not Path("/tmp/escaped.txt").exists()


def test_links_in_an_archive_are_refused(good_archive, target, tmp_path):
    link = tarfile.TarInfo("media/link.jpg")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    items = [(link, b""), *members(good_archive)]
    assert_refused(rewrite(tmp_path / "link.tar", items), target, "通常のファイル以外")


def test_an_edited_manifest_is_refused(good_archive, target, tmp_path):
    items = members(good_archive)
    for index, (info, data) in enumerate(items):
        if info.name == "manifest.json":
            manifest = json.loads(data)
            manifest["version"] = 99
            items[index] = (info, json.dumps(manifest).encode())
    assert_refused(
        rewrite(tmp_path / "v99.tar", items), target, "形式（版 99）には対応していません"
    )


def test_an_archive_from_a_newer_sokuho_or_another_engine_is_refused():
    manifest = {"database": {"engine": "sqlite"}, "migrations": [["news", "9999_future"]]}
    with pytest.raises(BackupError, match="より新しい版の sokuho"):
        check_compatible(manifest, "sqlite")
    with pytest.raises(BackupError, match="SQLite のバックアップは PostgreSQL には復元できません"):
        check_compatible(manifest, "postgresql")


def test_the_command_prints_a_clear_message_for_a_corrupted_archive(tmp_path):
    site = Site("sqlite", tmp_path / "empty")
    bad = tmp_path / "bad.tar"
    bad.write_bytes(b"\x00" * 1000)
    result = site.sokuho("restore", str(bad), *site.data_args())
    assert result.returncode == 2
    assert "途中で切れています" in result.stderr
    assert "Traceback" not in result.stderr
    missing = site.sokuho("restore", str(tmp_path / "nope.tar"), *site.data_args())
    assert missing.returncode == 2 and "がありません" in missing.stderr
