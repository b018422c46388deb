"""Wire documents on disk: files and folders for `sokuho ingest`, and the watch folder."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connections

from sokuho.wire.ingest import Ingestor, Outcome
from sokuho.wire.parsing import MAX_INPUT_BYTES
from sokuho.wire.pictures import PictureSource

logger = logging.getLogger(__name__)

# In a folder, these are wire documents; pictures and notes beside them are not.
WIRE_SUFFIXES = {".xml", ".json", ".nitf", ".newsml", ".nml", ".ninjs", ".g2"}
# Names a sender uses while it is still writing a file.
PARTIAL_SUFFIXES = {".tmp", ".part", ".partial", ".filepart", ".crdownload"}
DONE, REJECTED = "done", "rejected"
PICTURES = "pictures"  # under done/: what was swept out of the watch folder
SWEEP_EVERY_SECONDS = 60
# A batch reads its files ahead up to this size each (wire documents are a few KB; the
# rare large one is read when it is ingested, so a batch never holds 100 of them).
READ_AHEAD_MAX_BYTES = 1024 * 1024


def is_wire_file(path: Path) -> bool:
    return (
        path.is_file()
        and not path.name.startswith(".")
        and path.suffix.lower() in WIRE_SUFFIXES
        and not path.name.endswith(".reason.txt")
    )


def expand(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given (any name), and the wire documents inside given folders, sorted."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if is_wire_file(p))
        else:
            yield path


def ingest_file(ingestor: Ingestor, path: Path, data: bytes | None = None) -> list[Outcome]:
    """Ingest one file (``data``: its bytes, when already read); pictures with relative
    hrefs are read from its folder."""
    if data is None or len(data) > MAX_INPUT_BYTES:
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)  # one byte over is enough to refuse
                if len(data) > MAX_INPUT_BYTES:
                    size = os.fstat(handle.fileno()).st_size
                    limit = MAX_INPUT_BYTES // (1024 * 1024)
                    reason = f"大きすぎます（{size:,} バイト、上限 {limit} MB）。"
                    return [ingestor.refuse_data(data, path.name, reason, "too-large")]
        except FileNotFoundError:
            return [ingestor.refuse(str(path), "ファイルが見つかりません。", "not-found")]
        except IsADirectoryError:
            return [
                ingestor.refuse(
                    str(path), "フォルダです。ファイルを指定してください。", "not-a-file"
                )
            ]
        except OSError as error:
            reason = f"ファイルを読めません: {error.strerror}"
            return [ingestor.refuse(str(path), reason, "unreadable")]
    return ingestor.ingest_bytes(data, path.name, PictureSource(base_dir=path.parent))


def ingest_files(ingestor: Ingestor, paths: Iterable[Path]) -> Iterator[tuple[Path, list[Outcome]]]:
    """Each file and its outcomes, ingested in batches (`Ingestor.in_batches`), yielded
    once its batch has committed. Before a batch, its files up to READ_AHEAD_MAX_BYTES are
    read once, and what ingesting them will look up is read for all of them at once
    (`Ingestor.prepare`); larger or unreadable ones are read, or refused, by ingest_file."""
    read: dict[Path, bytes] = {}

    def prepare(chunk: list[Path]) -> None:
        read.clear()
        for path in chunk:
            try:
                if path.stat().st_size <= READ_AHEAD_MAX_BYTES:
                    read[path] = path.read_bytes()
            except OSError:
                continue
        ingestor.prepare([(data, path.name) for path, data in read.items()])

    return ingestor.in_batches(
        paths, lambda path: ingest_file(ingestor, path, read.pop(path, None)), prepare=prepare
    )


def reasons_text(outcomes: list[Outcome]) -> str:
    lines = [outcome.line() for outcome in outcomes]
    ok = [outcome for outcome in outcomes if not outcome.rejected]
    if ok:
        lines.append(
            f"（このファイルの他の {len(ok)} 件は取り込み済みです。再投入しても重複しません。）"
        )
    return "\n".join(lines) + "\n"


def _free_name(folder: Path, name: str) -> Path:
    target = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 1
    while target.exists() or (folder / f"{target.name}.reason.txt").exists():
        target = folder / f"{stem}.{n}{suffix}"
        n += 1
    return target


class WatchFolder:
    """Polls a folder; each wire document is ingested, then moved to done/ or rejected/
    (with `<name>.reason.txt` beside it)."""

    def __init__(self, folder: Path, ingestor: Ingestor, *, settle_seconds: float = 2.0) -> None:
        self.folder = folder
        self.ingestor = ingestor
        self.settle_seconds = settle_seconds
        self.done = folder / DONE
        self.rejected = folder / REJECTED
        self._stuck: set[tuple[str, int, int]] = set()
        self._swept = 0.0

    def prepare(self) -> None:
        self.done.mkdir(exist_ok=True)
        self.rejected.mkdir(exist_ok=True)

    def pending(self) -> list[Path]:
        now = time.time()
        ready = []
        for path in sorted(self.folder.iterdir()):
            if path.suffix.lower() in PARTIAL_SUFFIXES or not is_wire_file(path):
                continue
            stat = path.stat()
            if now - stat.st_mtime < self.settle_seconds:
                continue  # may still be being written
            if (path.name, stat.st_size, stat.st_mtime_ns) in self._stuck:
                continue
            ready.append(path)
        return ready

    def finish(
        self, path: Path, outcomes: list[Outcome], report: Callable[[Path, Outcome], None]
    ) -> list[Outcome]:
        """Report an ingested file's outcomes, and move it to done/ or rejected/."""
        for outcome in outcomes:
            report(path, outcome)
        failed = any(outcome.rejected for outcome in outcomes)
        try:
            target = _free_name(self.rejected if failed else self.done, path.name)
            if failed:
                Path(f"{target}.reason.txt").write_text(reasons_text(outcomes), encoding="utf-8")
            os.replace(path, target)
        except OSError:
            # Left where it is, and not ingested again until it changes.
            logger.exception("Could not move %s out of the watch folder", path)
            stat = path.stat()
            self._stuck.add((path.name, stat.st_size, stat.st_mtime_ns))
        return outcomes

    def run_once(self, report: Callable[[Path, Outcome], None]) -> list[Outcome]:
        """Ingest what is pending in batches; each file is reported and moved once its
        batch has committed (a crash before then leaves it to be ingested again)."""
        _close_old_connections()
        self.ingestor.forget_lookups()
        outcomes = []
        for path, found in ingest_files(self.ingestor, self.pending()):
            outcomes += self.finish(path, found, report)
        _close_old_connections()
        if time.monotonic() - self._swept >= SWEEP_EVERY_SECONDS:
            self._swept = time.monotonic()
            self.sweep()
        return outcomes

    def sweep(self, now: float | None = None) -> list[Path]:
        """Move pictures (and any other file that is not a wire document) older than
        ``SOKUHO_WIRE_PICTURE_KEEP_HOURS`` into done/pictures/, keeping their paths.

        A picture is read when its item is ingested; items come with their pictures or
        soon after, so one left this long has served every item that names it. Moving it
        keeps the folder small and the poll cheap; nothing is deleted."""
        cutoff = (now if now is not None else time.time()) - (
            settings.SOKUHO_WIRE_PICTURE_KEEP_HOURS * 3600
        )
        moved = []
        for path in sorted(self.folder.rglob("*")):
            relative = path.relative_to(self.folder)
            if relative.parts[0] in (DONE, REJECTED) or not path.is_file():
                continue
            if path.suffix.lower() in WIRE_SUFFIXES or path.name.startswith("."):
                continue  # documents are the poll's; hidden files are the sender's
            try:
                if path.stat().st_mtime > cutoff:
                    continue
                target_folder = self.done / PICTURES / relative.parent
                target_folder.mkdir(parents=True, exist_ok=True)
                target = _free_name(target_folder, path.name)
                os.replace(path, target)
            except OSError:
                logger.exception("Could not move %s out of the watch folder", path)
                continue
            moved.append(target)
        return moved


def _close_old_connections() -> None:
    """A long-running watcher drops stale connections between polls, but never inside a
    caller's transaction (a test's, on PostgreSQL): closing would end it."""
    if not any(c.in_atomic_block for c in connections.all(initialized_only=True)):
        close_old_connections()
