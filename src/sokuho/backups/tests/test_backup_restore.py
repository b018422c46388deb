"""A backup taken while articles are being published restores, into a new data
directory, to exactly the articles, revisions, images and subscribers it recorded."""

from __future__ import annotations

import time

import pytest

from sokuho.backups.tests.sites import manifest_of, sha256

pytestmark = pytest.mark.slow

REVISIONS = "SELECT r.id, CAST(r.content AS TEXT) FROM wagtailcore_revision r ORDER BY r.id"
ARTICLES = (
    "SELECT p.id, p.title, p.live, p.url_path FROM wagtailcore_page p "
    "JOIN news_articlepage a ON a.page_ptr_id = p.id ORDER BY p.id"
)
IMAGES = "SELECT id, file FROM wagtailimages_image ORDER BY id"
SUBSCRIBERS = "SELECT email FROM newsletter_subscriber ORDER BY email"


def wait_for(predicate, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def published(counter) -> int:
    try:
        return int(counter.read_text() or 0)
    except (FileNotFoundError, ValueError):
        return 0


def test_backup_while_publishing_then_restore_into_a_new_data_dir(engine, make_site, tmp_path):
    source = make_site(engine, "source")
    source.migrate()
    source.populate(articles=4, subscribers=3)

    stop, counter = tmp_path / "stop", tmp_path / "published"
    publisher = source.publisher(stop, counter)
    try:
        wait_for(lambda: published(counter) >= 2)
        archive = tmp_path / "backup.tar"
        result = source.sokuho("backup", *source.data_args(), str(archive))
        assert result.returncode == 0, result.stderr
        during = published(counter)
        wait_for(lambda: published(counter) >= during + 2)  # the site kept publishing
    finally:
        stop.touch()
        publisher.wait(120)
    assert publisher.returncode == 0, publisher.stderr.read().decode()
    assert "バックアップを書き出しました" in result.stdout

    manifest = manifest_of(archive)
    target = make_site(engine, "restored")
    result = target.sokuho("restore", str(archive), *target.data_args())
    assert result.returncode == 0, result.stderr
    assert "復元しました" in result.stdout

    counts = manifest["counts"]
    restored_articles = target.rows(ARTICLES)
    source_articles = {row[0]: row for row in source.rows(ARTICLES)}
    assert len(restored_articles) == counts["news_articlepage"] >= 6
    assert len(source_articles) > len(restored_articles)  # published after the snapshot
    for row in restored_articles:
        assert source_articles[row[0]] == row  # same article, same state
    source_revisions = dict(source.rows(REVISIONS))
    restored_revisions = target.rows(REVISIONS)
    assert len(restored_revisions) == counts["wagtailcore_revision"]
    for revision_id, content in restored_revisions:
        assert source_revisions[revision_id] == content
    assert target.rows(SUBSCRIBERS) == source.rows(SUBSCRIBERS)
    assert len(target.rows(SUBSCRIBERS)) == counts["newsletter_subscriber"] == 3

    # Every image the snapshot knows is there, byte for byte.
    images = target.rows(IMAGES)
    assert len(images) == counts["wagtailimages_image"]
    for _image_id, name in images:
        assert sha256(target.media / name) == sha256(source.media / name)
    restored_media = target.media_hashes()
    assert restored_media == {
        name.removeprefix("media/"): entry["sha256"]
        for name, entry in manifest["files"].items()
        if name.startswith("media/")
    }
    source_media = source.media_hashes()
    assert all(source_media[name] == digest for name, digest in restored_media.items())
    assert manifest["missing_media"] == []

    # The restored site serves its articles.
    url_path = restored_articles[-1][3]
    page = target.python(
        "from django.test import Client\n"
        "from sokuho.news.models import ArticlePage\n"
        f"page = ArticlePage.objects.get(url_path={url_path!r})\n"
        "response = Client().get(page.url)\n"
        "print(response.status_code, page.title in response.content.decode())\n",
        SOKUHO_ENV="test",  # static files from the package, no collectstatic manifest
    )
    assert page.split() == ["200", "True"]


@pytest.mark.own_database
def test_restore_refuses_a_site_with_data_then_keeps_it_when_forced(make_site, tmp_path):
    source = make_site("sqlite", "source")
    source.migrate()
    source.populate(articles=2, subscribers=1)
    archive = tmp_path / "backup.tar.gz"
    assert source.sokuho("backup", *source.data_args(), str(archive)).returncode == 0

    again = source.sokuho("backup", *source.data_args(), str(archive))
    assert again.returncode == 2 and "既にあります" in again.stderr

    target = make_site("sqlite", "target")
    target.migrate()
    target.populate(articles=1, subscribers=0)
    before = target.rows(ARTICLES)
    database = target.data / "sokuho.sqlite3"
    refused = target.sokuho("restore", str(archive), *target.data_args())
    assert refused.returncode == 2 and "既にデータがあります" in refused.stderr
    assert target.rows(ARTICLES) == before  # untouched

    forced = target.sokuho("restore", str(archive), *target.data_args(), "--force")
    assert forced.returncode == 0, forced.stderr
    assert target.rows(ARTICLES) == source.rows(ARTICLES)
    kept = sorted(target.data.glob("*.before-restore-*"))
    assert [path.name.split(".before")[0] for path in kept] == ["media", database.name]
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(kept[1])) as old:
        assert old.execute(ARTICLES).fetchall() == before  # nothing lost
