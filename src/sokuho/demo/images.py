"""Sample photos drawn with Pillow: the demo downloads nothing."""

from __future__ import annotations

import colorsys
import io
import random

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1600, 900


def _rgb(hue: float, saturation: float, value: float) -> tuple[int, int, int]:
    r, g, b = colorsys.hsv_to_rgb((hue % 360) / 360, saturation, value)
    return int(r * 255), int(g * 255), int(b * 255)


def draw_photo(hue: int, motif: str, seed: str) -> bytes:
    """A 16:9 JPEG: a sky-to-ground gradient and shapes for the motif, stamped SAMPLE."""
    rng = random.Random(seed)
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    top, bottom = _rgb(hue, 0.35, 0.95), _rgb(hue + 30, 0.6, 0.45)
    for y in range(HEIGHT):
        t = y / HEIGHT
        draw.line(
            [(0, y), (WIDTH, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    if motif == "city":
        for _ in range(26):
            x, w = rng.randrange(0, WIDTH), rng.randrange(60, 180)
            h = rng.randrange(150, 600)
            draw.rectangle(
                [x, HEIGHT - h, x + w, HEIGHT], fill=_rgb(hue + 200, 0.25, rng.uniform(0.2, 0.45))
            )
    elif motif == "chart":
        points = [(x, HEIGHT - 200 - rng.randrange(0, 400)) for x in range(100, WIDTH, 120)]
        draw.line(points, fill=_rgb(hue + 180, 0.8, 0.95), width=14, joint="curve")
    elif motif == "people":
        for _ in range(9):
            x, y = rng.randrange(100, WIDTH - 100), rng.randrange(450, 700)
            color = _rgb(hue + rng.randrange(0, 360), 0.4, 0.35)
            draw.ellipse([x - 45, y - 190, x + 45, y - 100], fill=color)
            draw.rounded_rectangle([x - 70, y - 95, x + 70, y + 200], radius=40, fill=color)
    elif motif == "nature":
        for _ in range(7):
            x = rng.randrange(0, WIDTH)
            draw.polygon(
                [(x - 400, HEIGHT), (x, rng.randrange(250, 500)), (x + 400, HEIGHT)],
                fill=_rgb(hue + 100, 0.45, rng.uniform(0.3, 0.6)),
            )
    elif motif == "tech":
        for _ in range(40):
            x, y = rng.randrange(0, WIDTH), rng.randrange(0, HEIGHT)
            draw.rectangle(
                [x, y, x + rng.randrange(20, 160), y + 8], fill=_rgb(hue + 160, 0.7, 0.9)
            )
    else:  # stage
        for i in range(5):
            x = 200 + i * 300
            draw.polygon(
                [(x, 0), (x - 180, HEIGHT), (x + 180, HEIGHT)], fill=_rgb(hue + 50, 0.25, 0.85)
            )
    font = ImageFont.load_default(size=64)
    draw.text(
        (48, 40), "SAMPLE", fill=(255, 255, 255), font=font, stroke_width=3, stroke_fill=(0, 0, 0)
    )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)
    return buffer.getvalue()
