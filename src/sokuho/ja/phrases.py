"""Headline line breaks at phrase boundaries (BudouX), so a line never splits a word."""

from __future__ import annotations

from functools import lru_cache

import budoux
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@lru_cache(maxsize=1)
def _parser() -> budoux.Parser:
    return budoux.load_default_japanese_parser()


@lru_cache(maxsize=4096)
def split_phrases(text: str) -> tuple[str, ...]:
    """The text cut into BudouX phrases; joined back they give the text unchanged."""
    if not text:
        return ()
    return tuple(_parser().parse(text))


@lru_cache(maxsize=4096)  # the same headlines appear on every page (rankings, related reads)
def phrase_break_html(text: str) -> SafeString:
    """Escaped text with `<wbr>` between phrases; CSS `word-break: keep-all` does the rest."""
    return mark_safe("<wbr>".join(escape(phrase) for phrase in split_phrases(text)))  # noqa: S308
