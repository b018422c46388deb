"""Snippets and headlines with the matched words in ``<mark>``.

The text is analysed again (``term_spans``) so a match is marked where the index found
it, whatever the spelling: a search for コンピューター marks ｺﾝﾋﾟｭｰﾀ. A phrase is marked
only where its terms stand together, and as one ``<mark>``.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import accumulate

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sokuho.ja.analysis import fold_katakana, normalize_text, term_spans
from sokuho.ja.phrases import split_phrases
from sokuho.search.query import Query, highlight_terms

SNIPPET_CHARS = 120
#: Characters of context kept before the first match.
LEAD_CHARS = 30
#: At most this much text is analysed beyond the paragraphs the cheap check picks, so a
#: page of 20 hits stays fast when a match is spelled very differently from the query.
FALLBACK_CHARS = 1_000


def match_ranges(text: str, query: Query) -> list[tuple[int, int]]:
    """Sorted, merged ``(start, end)`` ranges of the text that the query's words match."""
    spans = term_spans(text)
    terms = [span.term for span in spans]
    clauses = {clause.terms for group in query.groups for clause in group if clause.terms}
    ranges = []
    for phrase in clauses:
        size = len(phrase)
        for i in range(len(spans) - size + 1):
            if tuple(terms[i : i + size]) == phrase:
                ranges.append((spans[i].start, spans[i + size - 1].end))
    return _merge(ranges, text)


def _merge(ranges: Iterable[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        # Touching or separated only by spaces (アンナ・ベルク stays two marks: ・ is text).
        if merged and not text[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, ranges: list[tuple[int, int]], start: int, end: int) -> str:
    html, position = [], start
    for range_start, range_end in ranges:
        if range_end <= start or range_start >= end:
            continue
        range_start, range_end = max(range_start, start), min(range_end, end)
        html.append(escape(text[position:range_start]))
        html.append(f"<mark>{escape(text[range_start:range_end])}</mark>")
        position = range_end
    html.append(escape(text[position:end]))
    return "".join(html)


def highlight(text: str, query: Query, *, phrase_breaks: bool = False) -> SafeString:
    """The whole (short) text, escaped, with matches marked: for headlines.

    With ``phrase_breaks``, ``<wbr>`` between BudouX phrases as in every other headline
    list (``sokuho.ja.phrases``), so a line never splits a word.
    """
    ranges = match_ranges(text, query)
    if not phrase_breaks:
        return mark_safe(_render(text, ranges, 0, len(text)))  # noqa: S308
    breaks = set(accumulate(len(phrase) for phrase in split_phrases(text)))
    starts, ends = {start for start, _ in ranges}, {end for _, end in ranges}
    html, marking = [], False
    for position, char in enumerate(text):
        if marking and position in ends:
            html.append("</mark>")
            marking = False
        if position in breaks:
            html.append("<wbr>")
        if position in starts:
            html.append("<mark>")
            marking = True
        html.append(escape(char))
    if marking:
        html.append("</mark>")
    return mark_safe("".join(html))  # noqa: S308


def _might_match(text: str, terms: set[str]) -> bool:
    folded = fold_katakana(normalize_text(text))
    return any(term in folded for term in terms)


def snippet(paragraphs: Iterable[str], query: Query, width: int = SNIPPET_CHARS) -> SafeString:
    """About ``width`` characters around the first match in the paragraphs, marked up.

    Paragraphs whose folded text contains a query term are analysed first (cheap); then
    up to FALLBACK_CHARS of the others, for matches spelled otherwise (a verb found by its
    dictionary form, 附属 by 付属). With no match, the opening of the first paragraph.
    """
    paragraphs = [p for p in paragraphs if p and p.strip()]
    if not paragraphs:
        return mark_safe("")
    terms = highlight_terms(query)
    likely = [p for p in paragraphs if _might_match(p, terms)]
    budget = FALLBACK_CHARS
    for text in likely + [p for p in paragraphs if p not in likely]:
        if text not in likely:
            if budget <= 0:
                break
            budget -= len(text)
        ranges = match_ranges(text, query)
        if ranges:
            return mark_safe(_window(text, ranges, width))  # noqa: S308
    return mark_safe(_window(paragraphs[0], [], width))  # noqa: S308


def _window(text: str, ranges: list[tuple[int, int]], width: int) -> str:
    start = max(0, ranges[0][0] - LEAD_CHARS) if ranges else 0
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + _render(text, ranges, start, end) + suffix
