"""The `sokuho` command as a user runs it: clear messages and exit codes, nothing overwritten."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

SOKUHO = [sys.executable, "-m", "sokuho.cli"]
SRC = str(Path(__file__).resolve().parents[1] / "src")


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTEST_VERSION", "SOKUHO_ENV", "SOKUHO_DATA", "DATABASE_URL", "SECRET_KEY"}
        and not key.startswith("PYTEST_")
    }
    env["PYTHONPATH"] = SRC + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 60):
    return subprocess.run(
        [*SOKUHO, *args], capture_output=True, text=True, env=env or clean_env(), timeout=timeout
    )


def test_demo_refuses_a_busy_port(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("demo", "--port", str(port), "--data", str(tmp_path / "data"))
    assert result.returncode != 0
    assert f"ポート {port} は既に使われています" in result.stderr
    assert not (tmp_path / "data").exists()


def test_demo_refuses_an_unreadable_data_dir(tmp_path, monkeypatch):
    # Root reads every directory, so the permission check itself is exercised here.
    from sokuho import cli

    data = tmp_path / "locked"
    data.mkdir()
    monkeypatch.setattr(cli.os, "access", lambda path, mode: False)
    with pytest.raises(cli.CommandError, match="読み書きできません"):
        cli.prepare_data_dir(data)
    assert cli.main(["demo", "--port", "0", "--data", str(data)]) == 2


def test_demo_refuses_a_file_as_data_dir(tmp_path):
    target = tmp_path / "not-a-dir"
    target.write_text("keep me")
    result = run("demo", "--port", "0", "--data", str(target))
    assert result.returncode != 0
    assert "ディレクトリではありません" in result.stderr
    assert target.read_text() == "keep me"


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("", "SECRET_KEY が設定されていません"),
        ("django-insecure-sokuho-development-key-never-use-in-production", "既定値か短すぎます"),
        ("short", "既定値か短すぎます"),
    ],
)
def test_serve_refuses_missing_or_default_secret_key(tmp_path, key, message):
    env = clean_env(SOKUHO_DATA=str(tmp_path))
    if key:
        env["SECRET_KEY"] = key
    result = run("serve", "--port", "0", env=env)
    assert result.returncode != 0
    assert message in result.stderr


def test_serve_refuses_an_unmigrated_database(tmp_path):
    env = clean_env(SOKUHO_DATA=str(tmp_path), SECRET_KEY="k" * 10 + "x7Qp!r2Zs9" * 4)
    result = run("serve", "--port", "0", env=env)
    assert result.returncode != 0
    assert "sokuho manage migrate" in result.stderr


def test_manage_runs_django_commands_against_the_data_dir(tmp_path):
    data = tmp_path / "data"
    result = run("manage", "--data", str(data), "check")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
    assert data.is_dir()
