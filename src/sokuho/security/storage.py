"""File storage whose stored names are plain ASCII: no path parts, control characters,
leading dots or characters a shell, URL or another filesystem would trip on."""

from __future__ import annotations

import os
import re
import secrets
import unicodedata

from django.core.files.storage import FileSystemStorage

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME = 80


def safe_file_name(name: str) -> str:
    """`写真 (1).JPG` → `1.jpg`; a name with nothing ASCII left gets a random stem."""
    base = name.replace("\\", "/").split("/")[-1]
    stem, ext = os.path.splitext(base)
    stem, ext = _ascii(stem)[:MAX_NAME].strip(".-_"), _ascii(ext).lower()[:10]
    stem = stem or f"file-{secrets.token_hex(4)}"
    return f"{stem}.{ext}" if ext else stem


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).encode("ascii", "ignore").decode()
    return re.sub(r"-{2,}", "-", _UNSAFE.sub("-", text)).strip(".-_")


class SafeFileSystemStorage(FileSystemStorage):
    def get_valid_name(self, name: str) -> str:
        return safe_file_name(name)
