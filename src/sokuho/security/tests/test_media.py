"""/media/ serves uploads and nothing else: no `../`, no symlink out, no dotfiles."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

SECRET = "this-must-never-be-served"


@pytest.fixture
def media(settings, tmp_path):
    data = tmp_path / "data"
    root = data / "media"
    (root / "original_images").mkdir(parents=True)
    (root / "original_images" / "photo.jpg").write_bytes(b"\xff\xd8\xff demo")
    (root / ".hidden").write_text(SECRET)
    (data / "secret_key").write_text(SECRET)
    (root / "escape").symlink_to(data / "secret_key")
    settings.MEDIA_ROOT = root
    return root


def test_a_real_upload_is_served_sandboxed(client, media):
    response = client.get("/media/original_images/photo.jpg")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "url",
    [
        "/media/../secret_key",
        "/media/original_images/../../secret_key",
        "/media/..%2fsecret_key",
        "/media/%2e%2e/secret_key",
        "/media/%2e%2e%2fsecret_key",
        "/media/original_images/..%5c..%5csecret_key",
        "/media//etc/passwd",
        "/media/.hidden",
        "/media/escape",
        "/media/original_images/photo.jpg%00.png",
    ],
)
def test_traversal_is_refused(client, media, url):
    response = client.get(url)
    assert response.status_code in (400, 404), url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert SECRET.encode() not in body
    assert Path(media.parent / "secret_key").read_text() == SECRET  # nothing touched
