"""Images are decoded with Pillow before they are accepted, whoever uploads them.

Wagtail reads only an image's header; a truncated file, a decompression bomb, an
animation with thousands of frames or markup under an image extension would get
through. Here every frame is decoded under the size, pixel and type limits.
"""

from __future__ import annotations

import warnings
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms import FileField
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

# Pillow format → the extensions it may arrive with. SVG is never an accepted image.
FORMATS = {
    "JPEG": {"jpg", "jpeg"},
    "PNG": {"png"},
    "GIF": {"gif"},
    "WEBP": {"webp"},
    "AVIF": {"avif"},
}
MAX_FRAMES = 300


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _looks_like_markup(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith(b"<") or b"<svg" in text


def validate_image_file(file: IO[bytes], name: str) -> tuple[str, int, int]:
    """(format, width, height) of an acceptable image; ValidationError in Japanese otherwise."""
    max_bytes = settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
    max_pixels = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
    extension = _extension(name)
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    if extension == "svg" or _looks_like_markup(file.read(512)):
        raise ValidationError(
            "SVG などの画像は受け付けません。JPEG、PNG、GIF、WebP、AVIF にしてください。",
            code="svg",
        )
    file.seek(0)
    if size > max_bytes:
        raise ValidationError(
            f"画像が大きすぎます（上限 {max_bytes // (1024 * 1024)} MB）。", code="too_large"
        )
    if extension not in settings.WAGTAILIMAGES_EXTENSIONS:
        raise ValidationError(
            "対応していない画像形式です。JPEG、PNG、GIF、WebP、AVIF にしてください。",
            code="extension",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(file) as image:
                if image.format not in FORMATS or extension not in FORMATS[image.format]:
                    raise ValidationError("ファイルの中身が拡張子と一致しません。", code="mismatch")
                width, height = image.size
                frames = getattr(image, "n_frames", 1)
                if frames > MAX_FRAMES or width * height * frames > max_pixels:
                    raise ValidationError(
                        f"画像の画素数が多すぎます（上限 {max_pixels:,} 画素）。",
                        code="too_many_pixels",
                    )
                for frame in range(frames):
                    image.seek(frame)
                    image.load()
    except ValidationError:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as error:
        raise ValidationError("画像の画素数が多すぎます。", code="too_many_pixels") from error
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as error:
        raise ValidationError(
            "画像を読み込めません。壊れているか、対応していない形式です。", code="invalid"
        ) from error
    finally:
        file.seek(0)
    return image.format, width, height


class SafeImageField(WagtailImageField):
    """Runs the full decode before Wagtail's own checks, which only read the header and
    let a truncated file raise deep inside Willow (a 500 in the admin)."""

    def to_python(self, data: Any) -> Any:
        file = FileField.to_python(self, data)
        if file is None:
            return None
        if hasattr(data, "read"):
            validate_image_file(data, getattr(data, "name", "") or "")
        return super().to_python(data)


class SafeImageForm(BaseImageForm):
    """Wagtail's image form (single, multiple and chooser uploads) with the full decode."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if isinstance(field, WagtailImageField):
            field.__class__ = SafeImageField


def check_image_before_save(sender: Any, instance: Any, **kwargs: Any) -> None:
    """pre_save: a new file on an image (the wire, a script) is validated like an upload."""
    field_file = instance.file
    if not field_file or getattr(field_file, "_committed", True):
        return
    validate_image_file(field_file.file, field_file.name or "")
