"""Lead pictures come only from beside the item or from an allow-listed base URL."""

from __future__ import annotations

import http.server
import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image as PILImage
from wagtail.images import get_image_model

from sokuho.wire.files import ingest_file
from sokuho.wire.ingest import Ingestor
from sokuho.wire.models import Result
from sokuho.wire.pictures import PictureSource, url_allowed
from sokuho.wire.tests.ingest_helpers import fixture, ingest, only, page_of

pytestmark = pytest.mark.django_db


def jpeg(width: int = 800, height: int = 500) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (30, 120, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def photo_item(href: str) -> bytes:
    doc = json.loads(fixture("ingest/with_photo.json"))
    doc["associations"][0]["renditions"][0]["href"] = href
    return json.dumps(doc, ensure_ascii=False).encode()


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "lighthouse.jpg").write_bytes(jpeg())
    (tmp_path / "item.json").write_bytes(fixture("ingest/with_photo.json"))
    return tmp_path


def test_a_picture_beside_the_item_becomes_the_lead_image(client, sample_provider, drop):
    outcome = only(ingest_file(Ingestor(provider=sample_provider), drop / "item.json"))
    assert outcome.result == Result.PUBLISHED
    page = page_of(outcome)
    assert page.lead_image is not None and page.lead_image.width == 800
    assert page.lead_image_caption == "一般公開されるほしぞら岬の灯台（架空のサンプル写真）"
    assert page.lead_image_credit == "サンプル通信"
    assert page.lead_image_alt == "岬の先に立つ白い灯台"
    text = client.get(page.url).content.decode()
    assert 'alt="岬の先に立つ白い灯台"' in text
    assert "一般公開されるほしぞら岬の灯台（架空のサンプル写真）" in text
    # The same picture in a later version is not stored twice.
    newer = json.loads((drop / "item.json").read_text())
    newer["version"], newer["versionCreated"] = "2", "2026-02-05T16:00:00+09:00"
    (drop / "item.json").write_text(json.dumps(newer, ensure_ascii=False))
    again = only(ingest_file(Ingestor(provider=sample_provider), drop / "item.json"))
    assert again.result == Result.UPDATED
    assert get_image_model().objects.count() == 1


def test_a_missing_picture_leaves_the_article_without_a_lead_image(sample_provider, drop):
    (drop / "photos" / "lighthouse.jpg").unlink()
    outcome = only(ingest_file(Ingestor(provider=sample_provider), drop / "item.json"))
    assert outcome.result == Result.PUBLISHED
    assert "写真なし" in outcome.reason and "見つかりません" in outcome.reason
    assert page_of(outcome).lead_image is None


@pytest.mark.parametrize(
    "href",
    ["../secret.jpg", "photos/../../secret.jpg", "/etc/passwd", "%2e%2e/secret.jpg"],
)
def test_hrefs_out_of_the_drop_folder_are_never_read(sample_provider, tmp_path, href):
    drop = tmp_path / "drop"
    drop.mkdir()
    (tmp_path / "secret.jpg").write_bytes(jpeg())
    (drop / "item.json").write_bytes(photo_item(href))
    outcome = only(ingest_file(Ingestor(provider=sample_provider), drop / "item.json"))
    assert page_of(outcome).lead_image is None
    assert "写真なし" in outcome.reason
    assert not get_image_model().objects.exists()


def test_a_symlink_out_of_the_drop_folder_is_not_followed(sample_provider, tmp_path):
    drop = tmp_path / "drop"
    (drop / "photos").mkdir(parents=True)
    (tmp_path / "secret.jpg").write_bytes(jpeg())
    (drop / "photos" / "lighthouse.jpg").symlink_to(tmp_path / "secret.jpg")
    (drop / "item.json").write_bytes(fixture("ingest/with_photo.json"))
    outcome = only(ingest_file(Ingestor(provider=sample_provider), drop / "item.json"))
    assert page_of(outcome).lead_image is None and "フォルダの外" in outcome.reason


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"not an image at all", "画像として読めません"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', ""),
        (jpeg()[:200], ""),
    ],
    ids=["text", "svg", "truncated-jpeg"],
)
def test_a_file_that_is_not_a_safe_image_is_refused(sample_provider, drop, content, why):
    (drop / "photos" / "lighthouse.jpg").write_bytes(content)
    outcome = only(ingest_file(Ingestor(provider=sample_provider), drop / "item.json"))
    assert page_of(outcome).lead_image is None and "写真なし" in outcome.reason
    assert why in outcome.reason


def test_pictures_sent_with_a_push_are_matched_by_name(sample_provider):
    source = PictureSource(attachments={"lighthouse.jpg": jpeg(640, 400)})
    outcome = only(ingest(fixture("ingest/with_photo.json"), sample_provider, pictures=source))
    assert page_of(outcome).lead_image.width == 640


class _PictureServer(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/allowed/photo.jpg":
            body = jpeg(320, 200)
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/allowed/moved.jpg":
            self.send_response(302)
            self.send_header("Location", "/elsewhere/photo.jpg")
            self.end_headers()
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def picture_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _PictureServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_allow_listed_url_is_fetched_and_nothing_else(sample_provider, picture_server):
    rule = sample_provider.wire_rule
    rule.picture_base_urls = f"{picture_server}/allowed/"
    rule.save()
    fetched = only(ingest(photo_item(f"{picture_server}/allowed/photo.jpg"), sample_provider))
    assert page_of(fetched).lead_image.width == 320

    other = photo_item(f"{picture_server}/elsewhere/photo.jpg").replace(b"lighthouse", b"other")
    refused = only(ingest(other, sample_provider))
    assert page_of(refused).lead_image is None and "許可されていないURL" in refused.reason

    moved = photo_item(f"{picture_server}/allowed/moved.jpg").replace(b"lighthouse", b"moved")
    redirected = only(ingest(moved, sample_provider))
    assert page_of(redirected).lead_image is None and "写真を取得できません" in redirected.reason


def test_url_allow_list_is_a_prefix_on_clean_urls():
    allowed = ["https://media.example.jp/wire/"]
    assert url_allowed("https://media.example.jp/wire/a.jpg", allowed)
    assert not url_allowed("https://media.example.jp/wire/../admin/a.jpg", allowed)
    assert not url_allowed("https://media.example.jp/wirex/a.jpg", allowed)
    assert not url_allowed("https://user:pw@media.example.jp/wire/a.jpg", allowed)
    assert not url_allowed("https://media.example.jp.evil.example/wire/a.jpg", allowed)
    assert not url_allowed("https://media.example.jp/wire/a.jpg", [])
