"""Real sokuho data directories (SQLite, or a PostgreSQL database of their own) driven
through the `sokuho` command in subprocesses, as an operator would."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
PG_SERVER = "postgres://postgres@127.0.0.1:5432"

POPULATE = """
import io, sys
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.images import get_image_model
from sokuho.news.models import ArticlePage, SectionPage
from sokuho.news.structure import ensure_site_structure
ensure_site_structure()

def photo(n):
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (n * 37 % 255, 90, 160)).save(buffer, format="JPEG")
    return get_image_model().objects.create(
        title=f"写真{n}", file=ImageFile(io.BytesIO(buffer.getvalue()), name=f"photo-{n}.jpg"))

def publish(n, section="world"):
    page = ArticlePage(title=f"バックアップ試験記事{n}（架空）", body=f"<p>本文{n}</p>",
                       lead_image=photo(n), lead_image_alt=f"写真{n}")
    SectionPage.objects.get(slug=section).add_child(instance=page)
    page.save_revision().publish()
    page.body = f"<p>本文{n}（更新）</p>"
    page.save_revision().publish()
    return page
"""

SUBSCRIBERS = """
from django.apps import apps
if apps.is_installed("sokuho.newsletter"):
    Subscriber = apps.get_model("newsletter", "Subscriber")
    for n in range(COUNT):
        Subscriber.objects.get_or_create(email=f"reader{n}@example.invalid")
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def base_env() -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PYTEST")
        and key not in {"SOKUHO_ENV", "SOKUHO_DATA", "DATABASE_URL", "SECRET_KEY", "MEDIA_ROOT"}
    }
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env["ALLOWED_HOSTS"] = "testserver,localhost"
    return env


class Site:
    def __init__(self, engine: str, data: Path) -> None:
        self.engine = engine
        self.data = data
        self.media = data / "media"
        self.env = base_env()
        self.env["SOKUHO_DATA"] = str(data)
        self.db_name = None
        if engine == "postgresql":
            self.db_name = f"sokuho_backup_{uuid.uuid4().hex[:10]}"
            self._admin(f'CREATE DATABASE "{self.db_name}"')
            self.env["DATABASE_URL"] = f"{PG_SERVER}/{self.db_name}"

    @staticmethod
    def _admin(sql: str) -> None:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
            connection.execute(sql)

    def drop(self) -> None:
        if self.db_name:
            self._admin(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')

    def sokuho(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "sokuho.cli", *args],
            capture_output=True, text=True, env=self.env, timeout=timeout, check=False,
        )  # fmt: skip

    def data_args(self) -> list[str]:
        return ["--data", str(self.data)]

    def migrate(self) -> None:
        result = self.sokuho("manage", *self.data_args(), "migrate", "-v0")
        assert result.returncode == 0, result.stderr

    def python(self, code: str, timeout: float = 600, **extra_env: str) -> str:
        script = "import django; django.setup()\n" + code
        env = {**self.env, "DJANGO_SETTINGS_MODULE": "sokuho.settings", **extra_env}
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env,
            timeout=timeout, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout

    def populate(self, articles: int, subscribers: int = 3) -> None:
        self.python(
            POPULATE
            + SUBSCRIBERS.replace("COUNT", str(subscribers))
            + f"for n in range({articles}): publish(n)\n"
        )

    def publisher(self, stop: Path, counter: Path) -> subprocess.Popen:
        """Publishes an article with a photo, again and again, until `stop` exists."""
        code = (
            "import django; django.setup()\n"
            + POPULATE
            + "from pathlib import Path\n"
            + f"stop, counter = Path({str(stop)!r}), Path({str(counter)!r})\n"
            + "n = 1000\nwhile not stop.exists():\n"
            + "    publish(n, 'tech'); n += 1\n    counter.write_text(str(n - 1000))\n"
        )
        env = {**self.env, "DJANGO_SETTINGS_MODULE": "sokuho.settings"}
        return subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.PIPE)

    def rows(self, sql: str) -> list[tuple]:
        if self.engine == "postgresql":
            import psycopg

            with psycopg.connect(f"{PG_SERVER}/{self.db_name}") as connection:
                return [tuple(row) for row in connection.execute(sql).fetchall()]
        with closing(sqlite3.connect(self.data / "sokuho.sqlite3")) as connection:
            return connection.execute(sql).fetchall()

    def media_hashes(self) -> dict[str, str]:
        return {
            path.relative_to(self.media).as_posix(): sha256(path)
            for path in self.media.rglob("*")
            if path.is_file()
        }


def manifest_of(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return json.loads(tar.extractfile("manifest.json").read())
