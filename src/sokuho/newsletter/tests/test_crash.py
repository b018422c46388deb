"""Kill the digest sender (SIGKILL) in the middle of a send, resume it with the same
command, and check what a real SMTP server received: every address exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sokuho.newsletter.tests.smtp import RecordingHandler, SMTPServer

pytestmark = [pytest.mark.slow, pytest.mark.own_database]

SRC = str(Path(__file__).resolve().parents[3])
SETUP = """
from sokuho.news.structure import ensure_site_structure
from sokuho.news.models import ArticlePage, SectionPage
from sokuho.newsletter.models import Subscriber
ensure_site_structure()
section = SectionPage.objects.get(slug="world")
for n in range(3):
    page = ArticlePage(title=f"テスト記事その{n}", body="<p>本文。</p>")
    section.add_child(instance=page)
    page.save_revision().publish()
Subscriber.objects.bulk_create(
    Subscriber(email=f"reader{n:03d}@example.jp", state="subscribed") for n in range(40)
)
"""


def sokuho_env(data: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SOKUHO_ENV", "SOKUHO_DATA", "DATABASE_URL", "SECRET_KEY"}
        and not key.startswith("PYTEST")
    }
    env["PYTHONPATH"] = SRC + os.pathsep + env.get("PYTHONPATH", "")
    env["SOKUHO_DATA"] = str(data)
    env.update(extra)
    return env


def sokuho(*args: str, env: dict[str, str], timeout: float = 120):
    return subprocess.run(
        [sys.executable, "-m", "sokuho.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def test_killed_sender_resumes_and_sends_nobody_a_second_copy(tmp_path):
    data = tmp_path / "data"
    env = sokuho_env(data)
    assert sokuho("manage", "migrate", "-v0", env=env).returncode == 0
    setup = sokuho("manage", "shell", "-c", SETUP, env=env)
    assert setup.returncode == 0, setup.stderr

    handler = RecordingHandler(hang_after=15)
    with SMTPServer(handler) as server:
        mail_env = sokuho_env(data, EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(server.port))
        sender = subprocess.Popen(
            [sys.executable, "-m", "sokuho.cli", "newsletter", "send-digest"],
            env=mail_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            assert handler.reached.wait(60), "the sender never reached the 15th message"
        finally:
            sender.send_signal(signal.SIGKILL)
            sender.wait(10)
        handler.release.set()
        assert sender.returncode == -signal.SIGKILL
        assert len(handler.received) == 15

        resumed = sokuho("newsletter", "send-digest", env=mail_env)
        assert resumed.returncode == 0, resumed.stderr
        assert "今回 25 通送信" in resumed.stdout
        assert "中断扱い 1" in resumed.stdout

        again = sokuho("newsletter", "send-digest", env=mail_env)
        assert again.returncode == 0, again.stderr
        assert "今回 0 通送信" in again.stdout

    recipients = handler.recipients()
    assert len(recipients) == 40
    assert sorted(recipients) == [f"reader{n:03d}@example.jp" for n in range(40)]
