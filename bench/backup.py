"""Backup and restore time for the demo data grown to 20,000 articles with images.

    python bench/backup.py [--articles 20000] [--data DIR] [--keep]

Builds (once; an existing DIR with enough articles is reused) a SQLite data directory:
the demo site, then articles published through the same page API an editor uses, each
with its own JPEG photo (the demo's photos re-encoded, so every file is distinct).
Then times `sokuho backup` and `sokuho restore` into a fresh directory, and prints the
figures. Runs on whatever DATABASE_URL says (SQLite by default).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

GROW = """
import io, random, sys, time
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image
from wagtail.images import get_image_model
from sokuho.demo.loader import demo_is_loaded, load_demo
from sokuho.news.models import ArticlePage, SectionPage

if not demo_is_loaded():
    load_demo()
target = int(sys.argv[1])
sections = list(SectionPage.objects.all())
photos = [Image.open(image.file).convert("RGB") for image in get_image_model().objects.all()[:20]]
rng = random.Random(7)
started, have = time.monotonic(), ArticlePage.objects.count()
while have < target:
    with transaction.atomic():
        for _ in range(min(200, target - have)):
            base = photos[have % len(photos)].copy()
            base.putpixel((have % base.width, 0), (rng.randrange(256), 0, 0))
            buffer = io.BytesIO()
            base.save(buffer, format="JPEG", quality=82)
            image = get_image_model().objects.create(
                title=f"ベンチマーク写真{have}（サンプル）",
                file=ImageFile(io.BytesIO(buffer.getvalue()), name=f"bench-{have}.jpg"),
            )
            page = ArticlePage(
                title=f"ベンチマーク用の架空記事　第{have}号（サンプル）",
                summary="バックアップの計測用に生成した架空の記事です。",
                body="<p>" + "架空の青葉市で行われた計測用の記事本文です。" * 20 + "</p>",
                lead_image=image, lead_image_alt="計測用のサンプル写真",
            )
            sections[have % len(sections)].add_child(instance=page)
            page.save_revision().publish()
            have += 1
    print(f"  {have} articles ({time.monotonic() - started:.0f} s)", flush=True)
"""


def env_for(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.pop("SOKUHO_ENV", None)
    env["SOKUHO_DATA"] = str(data)
    env["PYTHONPATH"] = str(ROOT / "src")
    env["DJANGO_SETTINGS_MODULE"] = "sokuho.settings"
    return env


def sokuho(*args: str, env: dict[str, str]) -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "sokuho.cli", *args], env=env, check=True)
    return time.monotonic() - started


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--data", default=str(Path(tempfile.gettempdir()) / "sokuho-bench-backup"))
    parser.add_argument("--keep", action="store_true", help="keep the backup and restored copy")
    args = parser.parse_args()
    data = Path(args.data)
    env = env_for(data)
    data.mkdir(parents=True, exist_ok=True)
    print(f"data: {data}")
    sokuho("manage", "migrate", "-v0", env=env)
    grow = time.monotonic()
    subprocess.run([sys.executable, "-c", "import django; django.setup()\n" + GROW,
                    str(args.articles)], env=env, check=True)  # fmt: skip
    print(f"build: {time.monotonic() - grow:.0f} s")

    work = Path(tempfile.mkdtemp(prefix="sokuho-bench-", dir=data.parent))
    archive = work / "backup.tar"
    backup_seconds = sokuho("backup", str(archive), env=env)
    restored = work / "restored"
    restore_seconds = sokuho("restore", str(archive), "--data", str(restored),
                             env=env_for(restored))  # fmt: skip
    database = data / "sokuho.sqlite3"
    print("\n== backup benchmark")
    print(f"articles            {args.articles:,}")
    print(f"database            {size_of(database) / 2**20:,.0f} MB")
    print(f"media               {size_of(data / 'media') / 2**20:,.0f} MB")
    print(f"archive             {size_of(archive) / 2**20:,.0f} MB")
    print(f"backup              {backup_seconds:.1f} s")
    print(f"restore (verified)  {restore_seconds:.1f} s")
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
