"""Uploads served by sokuho itself: nothing outside MEDIA_ROOT, no hidden files."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.static import serve


def resolve_media_path(path: str) -> Path | None:
    """The file under MEDIA_ROOT that a URL path names, or None (traversal, symlink out,
    dotfile, NUL)."""
    root = Path(settings.MEDIA_ROOT).resolve()
    parts = path.replace("\\", "/").split("/")
    if "\x00" in path or any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return None
    target = root.joinpath(*parts).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        return None
    return target


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    if resolve_media_path(path) is None:
        raise Http404("ファイルが見つかりません。")
    return serve(request, path, document_root=settings.MEDIA_ROOT)
