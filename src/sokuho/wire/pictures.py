"""Lead pictures for wire articles, from places an editor allowed and nowhere else.

A rendition's href is read from

* a file next to the wire document (a relative href, resolved inside the document's
  folder: no absolute paths, no ``..`` out of it, no symlink out of it),
* a file sent with the document (HTTP push, multipart), matched by name, or
* an http(s) URL that starts with one of the provider's allow-listed base URLs
  (no redirects, a timeout and a size limit).

Anything else is not fetched; the article then has no lead image and the record says why.
Every picture is decoded with Pillow under the upload limits before it is stored.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from sokuho.security.uploads import validate_image_file
from sokuho.wire.parsing import WirePicture

FETCH_TIMEOUT_SECONDS = 10
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp", "AVIF": "avif"}


class PictureMissing(Exception):
    """The picture could not be read; ``reason`` is for the ingest log."""


@dataclass
class PictureSource:
    """Where the pictures of one wire document may come from."""

    base_dir: Path | None = None
    attachments: Mapping[str, bytes] = field(default_factory=dict)
    allowed_urls: list[str] = field(default_factory=list)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect could leave the allow-listed host: refuse it


_opener = urllib.request.build_opener(_NoRedirect)


def _max_bytes() -> int:
    return settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE


def _is_relative(href: str) -> bool:
    parts = urlsplit(href)
    return not parts.scheme and not parts.netloc and not href.startswith(("/", "\\"))


def _read_local(href: str, source: PictureSource) -> bytes:
    path = unquote(urlsplit(href).path).replace("\\", "/")
    clean = posixpath.normpath(path)
    if clean.startswith("../") or clean == ".." or clean.startswith("/"):
        raise PictureMissing(f"配信フォルダの外を指す写真は読みません: {href[:120]}")
    name = posixpath.basename(clean)
    for key in (clean, name):
        if key in source.attachments:
            return source.attachments[key]
    if source.base_dir is None:
        raise PictureMissing(f"写真ファイル {name} が配信データと一緒に届いていません。")
    base = source.base_dir.resolve()
    target = (base / clean).resolve()
    if not target.is_relative_to(base):
        raise PictureMissing(f"配信フォルダの外を指す写真は読みません: {href[:120]}")
    if not target.is_file():
        raise PictureMissing(f"写真ファイル {clean} が見つかりません。")
    if target.stat().st_size > _max_bytes():
        raise PictureMissing(f"写真ファイル {clean} が大きすぎます。")
    return target.read_bytes()


def url_allowed(href: str, allowed: list[str]) -> bool:
    parts = urlsplit(href)
    if parts.scheme not in ("http", "https") or parts.username or parts.password:
        return False
    segments = unquote(parts.path).split("/")
    if ".." in segments or "." in segments:
        return False
    return any(href.startswith(base) for base in allowed)


def _read_url(href: str, source: PictureSource) -> bytes:
    if not url_allowed(href, source.allowed_urls):
        raise PictureMissing(f"許可されていないURLの写真は取得しません: {href[:120]}")
    limit = _max_bytes()
    request = urllib.request.Request(href, headers={"User-Agent": "sokuho-wire/1"})  # noqa: S310
    try:
        with _opener.open(request, timeout=FETCH_TIMEOUT_SECONDS) as response:
            if response.status != 200:
                raise PictureMissing(
                    f"写真を取得できません（HTTP {response.status}）: {href[:120]}"
                )
            data = response.read(limit + 1)
    except PictureMissing:
        raise
    except Exception as error:  # network errors of every kind end the same way
        raise PictureMissing(f"写真を取得できません（{error}）: {href[:120]}") from error
    if len(data) > limit:
        raise PictureMissing(f"写真が大きすぎます: {href[:120]}")
    return data


def _candidates(picture: WirePicture) -> list[str]:
    """The preferred (largest) rendition first, then the others from large to small."""
    hrefs = [picture.href] if picture.href else []
    ordered = sorted(picture.renditions, key=lambda r: -((r.width or 0) * (r.height or 0)))
    hrefs += [r.href for r in ordered if r.href]
    return list(dict.fromkeys(hrefs))


def read_picture(picture: WirePicture, source: PictureSource) -> bytes:
    """The bytes of the best rendition that can be read; PictureMissing with every reason."""
    reasons = []
    for href in _candidates(picture):
        try:
            return _read_local(href, source) if _is_relative(href) else _read_url(href, source)
        except PictureMissing as missing:
            reasons.append(str(missing))
    if not reasons:
        raise PictureMissing("写真のファイル参照（rendition）がありません。")
    raise PictureMissing(" / ".join(reasons[:3]))


def store_image(data: bytes, title: str):
    """A Wagtail image for these bytes: the existing one when the same file came before."""
    try:
        with PILImage.open(io.BytesIO(data)) as probe:
            extension = EXTENSIONS.get(probe.format or "", "")
    except Exception as error:  # Pillow raises many types for a broken file
        raise PictureMissing("写真ファイルを画像として読めません。") from error
    if not extension:
        raise PictureMissing("対応していない画像形式です（JPEG、PNG、GIF、WebP、AVIF のみ）。")
    try:
        validate_image_file(io.BytesIO(data), f"wire.{extension}")
    except ValidationError as error:
        raise PictureMissing("写真を受け付けられません: " + " ".join(error.messages)) from error
    Image = get_image_model()
    sha1 = hashlib.sha1(data, usedforsecurity=False).hexdigest()
    existing = Image.objects.filter(file_hash=sha1).first()
    if existing is not None:
        return existing
    # The admin's upload form fills file_hash and file_size; a direct create must too.
    return Image.objects.create(
        title=(title or "配信写真")[:255],
        file=ImageFile(io.BytesIO(data), name=f"wire-{sha1[:16]}.{extension}"),
        file_hash=sha1,
        file_size=len(data),
    )
