"""Magazine and MOOK covers drawn with Pillow for the demo: nothing is downloaded."""

from __future__ import annotations

import colorsys
import io
from datetime import date

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 600, 800


def _rgb(hue: float, saturation: float, value: float) -> tuple[int, int, int]:
    r, g, b = colorsys.hsv_to_rgb((hue % 360) / 360, saturation, value)
    return int(r * 255), int(g * 255), int(b * 255)


def draw_cover(masthead: str, day: date, hue: int, subtitle: str = "") -> bytes:
    """A 3:4 JPEG cover: masthead band, date, blocks for a photo, stamped SAMPLE."""
    image = Image.new("RGB", (WIDTH, HEIGHT), _rgb(hue, 0.25, 0.96))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, WIDTH, 150], fill=_rgb(hue, 0.8, 0.55))
    draw.text((30, 22), masthead, fill=(255, 255, 255), font=ImageFont.load_default(size=64))
    draw.text(
        (32, 104), f"{day:%Y.%m.%d}", fill=(255, 255, 255), font=ImageFont.load_default(size=30)
    )
    for i in range(4):
        draw.rectangle(
            [40 + i * 25, 200 + i * 60, 560 - i * 40, 520 + i * 40],
            outline=_rgb(hue + 40 * i, 0.6, 0.5),
            width=8,
        )
    draw.ellipse([330, 420, 540, 630], fill=_rgb(hue + 180, 0.5, 0.8))
    if subtitle:
        draw.text((40, 660), subtitle, fill=(20, 20, 20), font=ImageFont.load_default(size=34))
    draw.text(
        (40, 720),
        "SAMPLE",
        fill=(255, 255, 255),
        font=ImageFont.load_default(size=48),
        stroke_width=3,
        stroke_fill=(0, 0, 0),
    )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)
    return buffer.getvalue()
