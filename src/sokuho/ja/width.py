"""Cutting Japanese text to a display width (e.g. a headline in a ranking box).

Width is measured with wcwidth: a CJK character or a full-width form takes two columns, an
ASCII letter one. East Asian "ambiguous" characters (…, ○, ※, Greek and Cyrillic letters)
count as two, as Japanese fonts draw them full width. Text is only ever cut between
grapheme clusters (UAX #29: が as か + ゛, a flag, a family emoji stay whole), and where
possible between BudouX phrases, so a cut headline ends on a whole word.
"""

from __future__ import annotations

from functools import lru_cache

import wcwidth

from sokuho.ja.phrases import split_phrases

__all__ = ["AMBIGUOUS_WIDTH", "cut_to_width", "display_width"]

#: Columns for East Asian ambiguous characters: two, as in Japanese fonts.
AMBIGUOUS_WIDTH = 2
#: A phrase boundary is used only when it keeps at least this share of the room; a
#: single long phrase (a long katakana name) is otherwise cut between graphemes.
MIN_PHRASE_SHARE = 0.5
#: Graphemes dropped from the end of a cut text before the ellipsis: 「協議、…」 → 「協議…」.
_TRAILING = frozenset(" \u3000\t\n、。，,・:：;；")


def display_width(text: str) -> int:
    """Terminal-style display width: CJK two columns, control characters none."""
    return wcwidth.width(text, control_codes="ignore", ambiguous_width=AMBIGUOUS_WIDTH)


@lru_cache(maxsize=8192)
def _grapheme_width(grapheme: str) -> int:
    return display_width(grapheme)


def cut_to_width(text: str, width: int, ellipsis: str = "…") -> str:
    """The text if it fits in ``width`` columns, else a prefix of it plus ``ellipsis``.

    The result is never wider than ``width``, never ends inside a grapheme cluster, ends
    on a BudouX phrase boundary when one keeps at least half the room, and carries the
    ellipsis only when something was cut. When not even the ellipsis fits, the result is
    empty.
    """
    if width < 0:
        raise ValueError("width must not be negative")
    if display_width(text) <= width:
        return text
    room = width - display_width(ellipsis)
    if room < 0:
        return ""

    # Grapheme boundaries that fit in the room: offset -> (width used, graphemes kept).
    fits: dict[int, tuple[int, int]] = {0: (0, 0)}
    offset = used = 0
    graphemes: list[str] = []
    for grapheme in wcwidth.iter_graphemes(text):
        used += _grapheme_width(grapheme)
        if used > room:
            break
        offset += len(grapheme)
        graphemes.append(grapheme)
        fits[offset] = (used, len(graphemes))
    end = offset

    # Prefer the last phrase boundary that fits, when it keeps enough of the room.
    cut = end
    boundary = 0
    for phrase in split_phrases(text)[:-1]:
        boundary += len(phrase)
        if boundary >= end:
            break
        if boundary in fits and fits[boundary][0] >= room * MIN_PHRASE_SHARE:
            cut = boundary
    del graphemes[fits[cut][1] :]

    while graphemes and graphemes[-1] in _TRAILING:
        graphemes.pop()
    return "".join(graphemes) + ellipsis
