"""Images are decoded before they are kept: bombs, SVG, truncated and disguised files are
refused with a Japanese message, whether they come through the admin or from code."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from sokuho.newsroom import roles
from sokuho.newsroom.testing import login, make_user
from sokuho.security.storage import safe_file_name

pytestmark = pytest.mark.django_db
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(2)</script></svg>"
)


def png_bomb(width: int = 9000, height: int = 9000) -> bytes:
    """A real decompression bomb: ~80 million black pixels in about 80 KB."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def jpeg(width: int = 64, height: int = 48) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def desk_client(client):
    return login(client, make_user("desk-upload", roles.DESK))


def upload(client, name: str, content: bytes):
    return client.post(
        "/admin/images/add/",
        {"title": "テスト画像", "file": SimpleUploadedFile(name, content), "collection": 1},
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bomb.png", png_bomb(), "画素数が多すぎます"),
        ("logo.svg", SVG, "SVG"),
        ("disguised.png", SVG, "SVG"),
        ("truncated.jpg", jpeg(800, 600)[:1500], "画像を読み込めません"),
        ("mislabelled.gif", jpeg(), "拡張子と一致しません"),
    ],
)
def test_admin_upload_is_refused_with_a_japanese_message(desk_client, name, content, message):
    response = upload(desk_client, name, content)
    assert response.status_code == 200  # the form again
    assert message in response.content.decode()
    assert not get_image_model().objects.exists()


def test_a_good_jpeg_is_accepted_under_an_ascii_name(desk_client, settings):
    response = upload(desk_client, "青葉市 ../../写真 (1).JPG", jpeg())
    assert response.status_code == 302
    image = get_image_model().objects.get()
    assert image.file.name.startswith("original_images/")
    assert image.file.name.isascii() and ".." not in image.file.name
    assert image.file.name.endswith(".jpg")


def test_multiple_upload_refuses_a_bomb(desk_client):
    response = desk_client.post(
        "/admin/images/multiple/add/", {"files[]": SimpleUploadedFile("bomb.png", png_bomb())}
    )
    assert response.status_code in (200, 400)
    assert "画素数が多すぎます" in response.json()["error_message"]
    assert not get_image_model().objects.exists()


def test_an_image_saved_by_code_is_checked_too():
    from django.core.files.images import ImageFile

    with pytest.raises(ValidationError, match="画素数"):
        get_image_model().objects.create(
            title="配信写真", file=ImageFile(io.BytesIO(png_bomb()), name="wire.png")
        )
    assert not get_image_model().objects.exists()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("photo.JPG", "photo.jpg"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\win.png", "win.png"),
        (".htaccess", "htaccess"),
        ("写真 (1).png", "1.png"),
        ("a b;rm -rf.png", "a-b-rm-rf.png"),
    ],
)
def test_safe_file_names(given, expected):
    assert safe_file_name(given) == expected


def test_a_name_with_nothing_ascii_gets_a_random_stem():
    name = safe_file_name("写真.jpg")
    assert name.startswith("file-") and name.endswith(".jpg") and name.isascii()
