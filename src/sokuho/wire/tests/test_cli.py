"""`sokuho ingest PATH…` and `sokuho ingest --watch DIR`: one line per item, exit status,
and hostile files refused with their reason, never stored as articles."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sokuho.news.models import ArticlePage
from sokuho.wire.models import Result, WireItemRecord
from sokuho.wire.tests.helpers import FIXTURES

pytestmark = pytest.mark.django_db

HOSTILE = sorted((FIXTURES / "hostile").iterdir())
# What each hostile fixture is refused for (the log's reason starts with it).
HOSTILE_REASONS = {
    "billion_laughs.xml": "危険な XML",
    "external_entity.xml": "危険な XML",
    "truncated.xml": "XML の構文が正しくありません",
    "empty.xml": "空のファイルです",
    "garbage.bin": "配信データ（XML・JSON）ではありません",
    "not_ninjs.json": "ninjs ではない JSON です",
    "no_headline.json": "見出しがありません",
}


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ingest", *args, stdout=out, stderr=err)
        code = 0
    except CommandError as error:
        code = error.returncode
        err.write(str(error))
    return code, out.getvalue(), err.getvalue()


def fifty_megabytes(folder: Path) -> Path:
    path = folder / "huge_body.xml"
    with path.open("wb") as handle:
        handle.write(
            b'<?xml version="1.0" encoding="UTF-8"?>\n<nitf><head><docdata>'
            b'<doc-id id-string="huge"/></docdata></head><body><body.head><hedline>'
            b"<hl1>huge</hl1></hedline></body.head><body.content><p>"
        )
        chunk = "あ".encode() * (1024 * 1024 // 3)
        for _ in range(50):
            handle.write(chunk)
        handle.write(b"</p></body.content></body></nitf>\n")
    return path


def test_files_and_folders_print_one_line_per_item(sample_provider):
    code, out, _ = run(
        "--provider",
        "sample",
        str(FIXTURES / "newsmlg2" / "update_v1.xml"),
        str(FIXTURES / "newsmlg2" / "message_two_items.xml"),
        str(FIXTURES / "ninjs"),
    )
    assert code == 0, out
    lines = [line for line in out.splitlines() if line.startswith(("update", "message", "ninjs"))]
    assert len(lines) == 1 + 2 + 4
    assert lines[0].startswith("update_v1.xml: [公開] urn:newsml:sample.sokuho.example")
    assert "合計 7 件" in out


def test_hostile_files_are_each_refused_with_a_reason_and_exit_1(sample_provider, tmp_path):
    for path in HOSTILE:
        shutil.copy(path, tmp_path / path.name)
    fifty_megabytes(tmp_path)
    paths = [str(tmp_path / p.name) for p in HOSTILE if p.name != "script_body.json"]
    paths.append(str(tmp_path / "huge_body.xml"))
    code, out, err = run("--provider", "sample", *paths)
    assert code == 1 and "8 件を拒否しました" in err
    for name, reason in {**HOSTILE_REASONS, "huge_body.xml": "大きすぎます"}.items():
        line = next(line for line in out.splitlines() if line.startswith(name))
        assert "[拒否]" in line and reason in line, line
    assert not ArticlePage.objects.exists()
    records = WireItemRecord.objects.filter(result=Result.REJECTED)
    assert records.count() == 8 and all(r.reason for r in records)
    huge = records.get(filename="huge_body.xml")
    assert huge.document.truncated and len(huge.document.data) == 64 * 1024


def test_a_script_in_a_body_never_reaches_the_page(client, sample_provider):
    code, out, _ = run("--provider", "sample", str(FIXTURES / "hostile" / "script_body.json"))
    assert code == 0, out
    page = ArticlePage.objects.get()
    text = client.get(page.url).content.decode()
    for bad in ("<script>alert", "onclick", "javascript:", "color:red", "steal()"):
        assert bad not in text
    assert "<em>箇条書き</em>" in text and "本文（架空）" in text


def test_the_provider_comes_from_the_item_or_the_command_says_what_to_do(sample_provider):
    code, out, _ = run(str(FIXTURES / "newsmlg2" / "update_v1.xml"))  # named サンプル通信
    assert code == 0 and "[公開]" in out
    code, _, err = run("--provider", "nobody", str(FIXTURES / "ninjs"))
    assert code == 2 and "配信元コード「nobody」は登録されていません" in err
    assert "sample" in err


def test_missing_paths_and_bad_arguments_are_clear_errors(sample_provider, tmp_path):
    code, _out, err = run("--provider", "sample", str(tmp_path / "nothing.xml"))
    assert code == 1 and "見つかりません" in err
    assert run()[0] == 2
    assert "--watch とファイル" in run("--watch", str(tmp_path), "x.xml")[2]
    assert "監視フォルダ" in run("--watch", str(tmp_path / "missing"), "--once")[2]


# --- the watch folder -------------------------------------------------------------------
def test_the_watch_folder_moves_files_to_done_and_rejected_with_the_reason(
    sample_provider, tmp_path
):
    shutil.copy(FIXTURES / "newsmlg2" / "update_v1.xml", tmp_path / "a-story.xml")
    shutil.copy(FIXTURES / "newsmlg2" / "update_v1.xml", tmp_path / "b-again.xml")
    shutil.copy(FIXTURES / "hostile" / "billion_laughs.xml", tmp_path / "c-laughs.xml")
    shutil.copy(FIXTURES / "hostile" / "garbage.bin", tmp_path / "d-garbage.json")
    (tmp_path / "e-incoming.xml.part").write_bytes(b"<newsItem")  # still being written
    (tmp_path / "notes.txt").write_text("not a wire file")
    code, out, _err = run("--watch", str(tmp_path), "--provider", "sample", "--once")
    assert code == 1, out
    assert sorted(p.name for p in (tmp_path / "done").iterdir()) == ["a-story.xml", "b-again.xml"]
    rejected = sorted(p.name for p in (tmp_path / "rejected").iterdir())
    assert rejected == [
        "c-laughs.xml",
        "c-laughs.xml.reason.txt",
        "d-garbage.json",
        "d-garbage.json.reason.txt",
    ]
    reason = (tmp_path / "rejected" / "c-laughs.xml.reason.txt").read_text(encoding="utf-8")
    assert "[拒否]" in reason and "危険な XML" in reason
    assert (tmp_path / "e-incoming.xml.part").exists() and (tmp_path / "notes.txt").exists()
    assert "b-again.xml: [無視（旧版・同一版）]" in out
    assert ArticlePage.objects.count() == 1
    # The same name dropped again does not overwrite what was processed before.
    shutil.copy(FIXTURES / "hostile" / "billion_laughs.xml", tmp_path / "c-laughs.xml")
    run("--watch", str(tmp_path), "--provider", "sample", "--once")
    assert (tmp_path / "rejected" / "c-laughs.1.xml").exists()
    assert (tmp_path / "rejected" / "c-laughs.1.xml.reason.txt").exists()


def test_the_watch_folder_reads_pictures_dropped_beside_the_item(sample_provider, tmp_path):
    from sokuho.wire.tests.test_pictures import jpeg

    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "lighthouse.jpg").write_bytes(jpeg())
    shutil.copy(FIXTURES / "ingest" / "with_photo.json", tmp_path / "lighthouse.json")
    code, out, _ = run("--watch", str(tmp_path), "--provider", "sample", "--once")
    assert code == 0, out
    assert ArticlePage.objects.get().lead_image is not None
    assert (tmp_path / "done" / "lighthouse.json").exists()


def test_an_unreadable_file_is_refused_not_fatal(sample_provider, tmp_path, monkeypatch):
    locked = tmp_path / "locked.xml"
    shutil.copy(FIXTURES / "newsmlg2" / "update_v1.xml", locked)
    shutil.copy(FIXTURES / "newsmlg2" / "update_v3.xml", tmp_path / "readable.xml")
    real_open = Path.open

    def open_(self, *args, **kwargs):
        if self.name == "locked.xml":  # as for a file the server user may not read
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_)
    code, out, _ = run("--provider", "sample", str(locked), str(tmp_path / "readable.xml"))
    assert code == 1 and "読めません: Permission denied" in out
    assert "readable.xml: [公開]" in out


def test_the_sokuho_command_runs_ingest_with_a_data_directory(tmp_path):
    """End to end: `sokuho manage migrate` then `sokuho ingest --data DIR` in a subprocess."""
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTEST_VERSION")}
    env["SOKUHO_ENV"] = "test"
    sokuho = [sys.executable, "-m", "sokuho.cli"]
    subprocess.run([*sokuho, "manage", "--data", str(data), "migrate", "-v0"], env=env, check=True)
    subprocess.run(
        [*sokuho, "manage", "--data", str(data), "shell", "-c",
         "from sokuho.news.models import Provider; Provider.objects.create("
         "name='サンプル通信', code='sample', signature='サンプル')"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    good = subprocess.run(
        [*sokuho, "ingest", "--data", str(data), str(FIXTURES / "newsmlg2" / "update_v1.xml")],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert good.returncode == 0, good.stderr
    # A new provider's rule holds items for the desk until an editor says otherwise.
    assert "[保留（下書き）]" in good.stdout
    bad = subprocess.run(
        [*sokuho, "ingest", "--data", str(data), str(FIXTURES / "hostile" / "empty.xml")],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert bad.returncode == 1 and "[拒否]" in bad.stdout
    assert Path(data / "sokuho.sqlite3").exists()


def test_a_file_still_being_written_waits_for_the_next_pass(sample_provider, tmp_path):
    from sokuho.wire.files import WatchFolder
    from sokuho.wire.ingest import Ingestor

    watcher = WatchFolder(tmp_path, Ingestor(provider=sample_provider), settle_seconds=60)
    watcher.prepare()
    shutil.copy(FIXTURES / "newsmlg2" / "update_v1.xml", tmp_path / "fresh.xml")
    assert watcher.run_once(lambda path, outcome: None) == []
    assert (tmp_path / "fresh.xml").exists()
    old = time.time() - 120
    os.utime(tmp_path / "fresh.xml", (old, old))
    (outcome,) = watcher.run_once(lambda path, outcome: None)
    assert outcome.result == Result.PUBLISHED
    assert (tmp_path / "done" / "fresh.xml").exists()


def test_old_pictures_are_swept_to_done_and_new_ones_stay(sample_provider, tmp_path, settings):
    from sokuho.wire.files import WatchFolder
    from sokuho.wire.ingest import Ingestor
    from sokuho.wire.tests.test_pictures import jpeg

    settings.SOKUHO_WIRE_PICTURE_KEEP_HOURS = 24
    (tmp_path / "photos").mkdir()
    used = tmp_path / "photos" / "lighthouse.jpg"
    used.write_bytes(jpeg())
    fresh = tmp_path / "tomorrow.jpg"
    fresh.write_bytes(jpeg())
    shutil.copy(FIXTURES / "ingest" / "with_photo.json", tmp_path / "lighthouse.json")
    watcher = WatchFolder(tmp_path, Ingestor(provider=sample_provider), settle_seconds=0)
    watcher.prepare()
    (outcome,) = watcher.run_once(lambda path, outcome: None)
    assert outcome.result == Result.PUBLISHED
    assert used.exists()  # read by its item, kept for a while in case another names it
    day_ago = time.time() - 25 * 3600
    os.utime(used, (day_ago, day_ago))
    (tmp_path / "waiting.xml").write_bytes(b"")  # a document is never swept, however old
    os.utime(tmp_path / "waiting.xml", (day_ago, day_ago))
    moved = watcher.sweep()
    assert moved == [tmp_path / "done" / "pictures" / "photos" / "lighthouse.jpg"]
    assert moved[0].read_bytes() == jpeg()
    assert not used.exists() and fresh.exists() and (tmp_path / "waiting.xml").exists()
    assert (tmp_path / "done" / "lighthouse.json").exists()  # what was done/ stays put
    # A second picture of the same name later goes beside it, not over it.
    used.write_bytes(b"second")
    os.utime(used, (day_ago, day_ago))
    assert watcher.sweep() == [tmp_path / "done" / "pictures" / "photos" / "lighthouse.1.jpg"]


def test_a_running_watcher_follows_rule_changes_made_in_the_admin(sample_provider, tmp_path):
    from sokuho.wire.files import WatchFolder
    from sokuho.wire.ingest import Ingestor
    from sokuho.wire.models import PublishMode

    watcher = WatchFolder(tmp_path, Ingestor(provider=sample_provider), settle_seconds=0)
    watcher.prepare()
    shutil.copy(FIXTURES / "newsmlg2" / "update_v1.xml", tmp_path / "first.xml")
    (first,) = watcher.run_once(lambda path, outcome: None)
    assert first.result == Result.PUBLISHED
    rule = sample_provider.wire_rule
    rule.publish_mode = PublishMode.HOLD  # the desk wants to see this provider's copy first
    rule.save()
    shutil.copy(FIXTURES / "ninjs" / "ninjs2_text.json", tmp_path / "second.json")
    (second,) = watcher.run_once(lambda path, outcome: None)
    assert second.result == Result.HELD
