"""What the index holds for an article: its terms, its filter facets and its sort key.

The index is built from the same analysis as queries (``sokuho.ja.analysis``) and stores
terms, never raw text, so SQLite and PostgreSQL see the same tokens:

* ``title``: the label (クイズ, 解説 …) and the headline;
* ``body``: summary, body text, bylines (names and romanised names) and topic titles;
* ``facets``: ``s<section id>``, ``p<provider id>``, ``a<author id>`` tokens that the
  section, provider and author filters match. They are kept apart from the words (their
  own FTS5 column; lexemes with a ``§`` no query term can contain on PostgreSQL).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import lxml.html
from lxml import etree

from sokuho.ja.analysis import index_terms

#: sort_key = seconds since EPOCH in the high bits, the page id in the low 32 bits: unique
#: per article, ordered by publication time, and a date range is a key range.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
PAGE_ID_BITS = 32
_SECONDS_LIMIT = 2**31 - 1  # about 68 years either side of EPOCH

#: Terms indexed per article (title and body each): about 40,000 characters of text.
#: PostgreSQL records positions only up to 16,383, so phrases could not match beyond.
MAX_TERMS = 16_000

# Block elements end a line, so words in adjacent paragraphs never run together.
_BLOCK_TAGS = frozenset({"p", "h2", "h3", "li", "blockquote", "br", "hr", "ol", "ul", "div"})


@dataclass(frozen=True, slots=True)
class Document:
    """One article as the backends index it."""

    page_id: int
    sort_key: int
    title: str  # space-separated terms
    body: str  # space-separated terms
    facets: tuple[str, ...]


def sort_key(published_at: datetime, page_id: int) -> int:
    if not 0 < page_id < 2**PAGE_ID_BITS:
        raise ValueError(f"page id {page_id} does not fit the search index's sort key")
    return (seconds_since_epoch(published_at) << PAGE_ID_BITS) | page_id


def page_id_of(key: int) -> int:
    return key & (2**PAGE_ID_BITS - 1)


def seconds_since_epoch(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    seconds = int((moment - EPOCH).total_seconds() // 1)
    return max(-_SECONDS_LIMIT, min(_SECONDS_LIMIT - 1, seconds))


def key_range(since: datetime | None, until: datetime | None) -> tuple[int, int]:
    """Sort keys of articles published in ``since <= t < until`` (either end open)."""
    low = seconds_since_epoch(since) << PAGE_ID_BITS if since else -(2**63)
    high = (seconds_since_epoch(until) << PAGE_ID_BITS) - 1 if until else 2**63 - 1
    return low, high


def section_facet(section_id: int) -> str:
    return f"s{section_id}"


def provider_facet(provider_id: int) -> str:
    return f"p{provider_id}"


def author_facet(author_id: int) -> str:
    return f"a{author_id}"


def html_to_text(html: str) -> str:
    """The text of a sanitised rich-text body, one line per block."""
    if not html or not html.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    return _join_blocks(root)


def _join_blocks(root) -> str:
    pieces: list[str] = []

    def walk(element) -> None:
        block = element.tag in _BLOCK_TAGS
        if block:
            pieces.append("\n")
        if element.text:
            pieces.append(element.text)
        for child in element:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail:
                pieces.append(child.tail)
        if block:
            pieces.append("\n")

    walk(root)
    lines = (" ".join(line.split()) for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)


def article_texts(page) -> tuple[str, str]:
    """(title text, body text) of an ArticlePage with bylines and topics loaded."""
    title = " ".join(part for part in (page.label, page.title) if part)
    people = []
    for byline in page.bylines.all():
        if byline.author is not None:
            people += [byline.author.title, byline.author.name_romanized]
    topics = [topic.title for topic in page.topics.all()]
    body = "\n".join(
        part for part in (page.summary, html_to_text(page.body), *people, *topics) if part
    )
    return title, body


def build_document(page) -> Document:
    """The index entry for a live ArticlePage (bylines' authors and topics prefetched)."""
    title, body = article_texts(page)
    facets = []
    if page.section_id:
        facets.append(section_facet(page.section_id))
    if page.provider_id:
        facets.append(provider_facet(page.provider_id))
    facets += [author_facet(byline.author_id) for byline in page.bylines.all() if byline.author_id]
    published = page.first_published_at or page.go_live_at or page.last_published_at
    return make_document(page.pk, published or EPOCH, title, body, facets)


def make_document(
    page_id: int, published_at: datetime, title: str, body: str, facets: list[str]
) -> Document:
    """Analyse the texts into a Document (also used by bench/search.py, without pages)."""
    return Document(
        page_id=page_id,
        sort_key=sort_key(published_at, page_id),
        title=" ".join(index_terms(title)[:MAX_TERMS]),
        body=" ".join(index_terms(body)[:MAX_TERMS]),
        facets=tuple(dict.fromkeys(facets)),
    )
