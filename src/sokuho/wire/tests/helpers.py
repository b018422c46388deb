"""Shared helpers for the wire parser tests (fixtures are sample content, fictional)."""

from __future__ import annotations

import re
from pathlib import Path

from sokuho.wire.parsing import WireItem, parse_bytes

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    """Bytes of ``fixtures/<name>`` (e.g. ``"newsmlg2/text_item.xml"``)."""
    return (FIXTURES / name).read_bytes()


def parse_one(data: bytes, filename: str = "") -> WireItem:
    items = parse_bytes(data, filename)
    assert len(items) == 1, items
    return items[0]


def reencode_xml(data: bytes, label: str, codec: str) -> bytes:
    """A UTF-8 XML fixture re-declared as ``label`` and written with ``codec``."""
    text = data.decode("utf-8")
    text, n = re.subn(r'encoding="[^"]*"', f'encoding="{label}"', text, count=1)
    assert n == 1, "fixture has no XML declaration"
    return text.encode(codec)
