"""Article bodies: sanitised on every save, rendered with the dateline opening the lead."""

from __future__ import annotations

import re

import nh3
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from wagtail.rich_text import expand_db_html

# The editor's features (BODY_FEATURES) and nothing else: whatever writes a body —
# the admin, the wire, a script — cannot store a script, a handler or a style.
ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "b",
    "strong",
    "i",
    "em",
    "a",
    "ol",
    "ul",
    "li",
    "blockquote",
    "hr",
}
BLOCK_KEY = {"data-block-key"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "linktype", "id"},
    "p": BLOCK_KEY,
    "h2": BLOCK_KEY,
    "h3": BLOCK_KEY,
    "li": BLOCK_KEY,
    "blockquote": BLOCK_KEY,
}
URL_SCHEMES = {"http", "https", "mailto"}

_FIRST_PARAGRAPH = re.compile(r"^\s*<p\b[^>]*>")


def sanitize_body(html: str) -> str:
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


# An <a> start tag, quoted attribute values allowed to hold ">".
_LINK = re.compile(r"""<a\b(?:[^>"']|"[^"]*"|'[^']*')*>""")
_REL = re.compile(r'\srel="[^"]*"')
_EXTERNAL_HREF = re.compile(r'\shref="(?:https?:)?//')


def mark_sponsored_links(html: str) -> str:
    """rel="sponsored" on every outbound link (Google's rule for paid links)."""

    def mark(match: re.Match) -> str:
        tag = match.group(0)
        if not _EXTERNAL_HREF.search(tag):
            return tag
        tag = _REL.sub("", tag)
        return tag[:-1] + ' rel="sponsored noopener noreferrer">'

    return _LINK.sub(mark, html)


def render_body(html: str, dateline: str = "", *, sponsored: bool = False) -> SafeString:
    """The stored body as readers see it, the dateline leading the first paragraph;
    outbound links in sponsored articles carry rel="sponsored"."""
    rendered = expand_db_html(html)
    if sponsored:
        rendered = mark_sponsored_links(rendered)
    if dateline:
        lead = format_html('<span class="dateline">{}</span>', dateline)
        match = _FIRST_PARAGRAPH.match(rendered)
        if match:
            rendered = rendered[: match.end()] + lead + rendered[match.end() :]
        else:
            rendered = f"<p>{lead}</p>{rendered}"
    return mark_safe(rendered)  # noqa: S308 -- sanitised on save by sanitize_body
