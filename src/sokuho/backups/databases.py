"""Consistent snapshots of the database while the site runs, and their restore.

SQLite: the online backup API copies one consistent state (WAL lets writers go on).
PostgreSQL: a REPEATABLE READ transaction exports its snapshot; pg_dump dumps exactly
that snapshot and the row counts for the manifest are read from it too.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path
from typing import Any

from sokuho.backups.errors import BackupError

SQLITE = "sqlite"
POSTGRESQL = "postgresql"


def engine_of(database: dict[str, Any]) -> str:
    engine = database["ENGINE"]
    if engine.endswith("sqlite3"):
        return SQLITE
    if "postgresql" in engine:
        return POSTGRESQL
    raise BackupError(f"このデータベース（{engine}）のバックアップには対応していません。")


# --- SQLite ------------------------------------------------------------------------------
FileColumns = Iterable[tuple[str, str]]


def sqlite_snapshot(
    database: dict[str, Any], out: Path, tables: Iterable[str], files: FileColumns = ()
) -> dict[str, Any]:
    source = Path(str(database["NAME"]))
    if not source.is_file():
        raise BackupError(f"データベースファイル {source} がありません。")
    with (
        closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)) as src,
        closing(sqlite3.connect(out)) as dst,
    ):
        src.backup(dst)  # one step: one consistent state, writers are not blocked
    return sqlite_state(out, tables, files)


def sqlite_state(path: Path, tables: Iterable[str], files: FileColumns = ()) -> dict[str, Any]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"データベースの整合性検査に失敗しました: {check}")
        existing = {
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        counts = {
            table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in sorted(set(tables) & existing)
        }
        migrations = (
            db.execute("SELECT app, name FROM django_migrations").fetchall()
            if "django_migrations" in existing
            else []
        )
        referenced = sorted(
            {
                row[0]
                for table, column in files
                if table in existing
                for row in db.execute(f'SELECT "{column}" FROM "{table}"')  # noqa: S608
                if row[0]
            }
        )
    return {"counts": counts, "migrations": [list(row) for row in migrations], "files": referenced}


def sqlite_is_empty(database: dict[str, Any]) -> bool:
    path = Path(str(database["NAME"]))
    if not path.exists() or path.stat().st_size == 0:
        return True
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        return not db.execute("SELECT 1 FROM sqlite_master WHERE type='table' LIMIT 1").fetchone()


def sqlite_restore(snapshot: Path, database: dict[str, Any]) -> None:
    target = Path(str(database["NAME"]))
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        closing(sqlite3.connect(f"file:{snapshot}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(target, timeout=30)) as dst,
    ):
        src.backup(dst)  # replaces every page of the target, WAL included


# --- PostgreSQL ----------------------------------------------------------------------------
def _pg_env(database: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if database.get(key):
            env[name] = str(database[key])
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} が見つかりません。PostgreSQL のクライアント（postgresql-client）を"
            "サーバーと同じ版でインストールしてください。"
        )
    return path


def _pg_connect(database: dict[str, Any], autocommit: bool = False):
    import psycopg

    try:
        return psycopg.connect(
            dbname=database["NAME"],
            host=database.get("HOST") or None,
            port=database.get("PORT") or None,
            user=database.get("USER") or None,
            password=database.get("PASSWORD") or None,
            autocommit=autocommit,
        )
    except psycopg.Error as error:
        raise BackupError(f"データベース {database['NAME']} に接続できません: {error}") from None


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    # The command is pg_dump/pg_restore with our own arguments, never a shell.
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{what}に失敗しました: {detail[-1] if detail else result.returncode}")


def postgres_snapshot(
    database: dict[str, Any], out: Path, tables: Iterable[str], files: FileColumns = ()
) -> dict[str, Any]:
    pg_dump = _pg_tool("pg_dump")
    with closing(_pg_connect(database)) as connection:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run(
                [pg_dump, "--format=custom", "--no-owner", "--no-privileges",
                 f"--snapshot={snapshot}", f"--file={out}", database["NAME"]],
                _pg_env(database),
                "pg_dump",
            )  # fmt: skip
            state = _pg_state(cursor, tables, files)
        connection.rollback()
    return state


def _pg_state(cursor: Any, tables: Iterable[str], files: FileColumns = ()) -> dict[str, Any]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    existing = {row[0] for row in cursor.fetchall()}
    counts = {}
    for table in sorted(set(tables) & existing):
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 -- names from our models
        counts[table] = cursor.fetchone()[0]
    migrations = []
    if "django_migrations" in existing:
        cursor.execute("SELECT app, name FROM django_migrations")
        migrations = cursor.fetchall()
    referenced: set[str] = set()
    for table, column in files:
        if table in existing:
            cursor.execute(f'SELECT "{column}" FROM "{table}"')  # noqa: S608
            referenced.update(row[0] for row in cursor.fetchall() if row[0])
    return {
        "counts": counts,
        "migrations": [list(row) for row in migrations],
        "files": sorted(referenced),
    }


def postgres_state(database: dict[str, Any], tables: Iterable[str]) -> dict[str, Any]:
    with closing(_pg_connect(database)) as connection, connection.cursor() as cursor:
        return _pg_state(cursor, tables)


def postgres_is_empty(database: dict[str, Any]) -> bool:
    with closing(_pg_connect(database)) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_tables WHERE schemaname = current_schema() LIMIT 1")
        return cursor.fetchone() is None


def postgres_restore(dump: Path, database: dict[str, Any], replace: bool) -> None:
    pg_restore = _pg_tool("pg_restore")
    if replace:
        with closing(_pg_connect(database, autocommit=True)) as connection:
            connection.execute("DROP SCHEMA public CASCADE")
            connection.execute("CREATE SCHEMA public")
    _run(
        [pg_restore, "--no-owner", "--no-privileges", "--single-transaction",
         "--exit-on-error", f"--dbname={database['NAME']}", str(dump)],
        _pg_env(database),
        "pg_restore",
    )  # fmt: skip


# --- both --------------------------------------------------------------------------------
def snapshot(
    database: dict[str, Any], out: Path, tables: Iterable[str], files: FileColumns = ()
) -> dict[str, Any]:
    if engine_of(database) == SQLITE:
        return sqlite_snapshot(database, out, tables, files)
    return postgres_snapshot(database, out, tables, files)


def state(database: dict[str, Any], tables: Iterable[str]) -> dict[str, Any]:
    if engine_of(database) == SQLITE:
        return sqlite_state(Path(str(database["NAME"])), tables)
    return postgres_state(database, tables)


def is_empty(database: dict[str, Any]) -> bool:
    if engine_of(database) == SQLITE:
        return sqlite_is_empty(database)
    return postgres_is_empty(database)


def restore(dump: Path, database: dict[str, Any], replace: bool) -> None:
    if engine_of(database) == SQLITE:
        sqlite_restore(dump, database)
    else:
        postgres_restore(dump, database, replace)
