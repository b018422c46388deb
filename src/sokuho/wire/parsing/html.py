"""Wire bodies to the small, safe HTML vocabulary sokuho stores.

Everything goes through one nh3 (ammonia) cleaner with an allow-list: wire HTML is
third-party markup and is rendered on our pages, so scripts, styles, event handlers,
inline styles and ``javascript:``/``data:`` URLs must never survive.
"""

from __future__ import annotations

import html as stdlib_html
import re

import nh3
from lxml import etree

from .text import CJK_WRAP, norm_space

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p", "br", "a", "ul", "ol", "li", "em", "strong", "b", "i", "blockquote",
        "h2", "h3", "h4", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
ALLOWED_URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
# Tags removed together with their content (the rest are unwrapped, keeping text).
_DROP_WITH_CONTENT = {
    "script", "style", "head", "title", "noscript", "template", "iframe", "object",
    "embed", "svg", "math", "textarea", "select", "frame", "frameset", "applet", "audio",
    "video", "canvas", "form", "button", "figure", "figcaption", "nav", "aside",
}  # fmt: skip

_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(ALLOWED_URL_SCHEMES),
    link_rel="noopener",
    clean_content_tags=_DROP_WITH_CONTENT,
    strip_comments=True,
)

_BODY_INNER = re.compile(r"<body\b[^>]*>(.*?)(?:</body\s*>|\Z)", re.IGNORECASE | re.DOTALL)
_H1 = re.compile(r"<(/?)h1\b", re.IGNORECASE)
_H56 = re.compile(r"<(/?)h[56]\b", re.IGNORECASE)
_BLOCK_BREAK = re.compile(r"</?(?:div|section|article|pre|dd|dt|dl)\b[^>]*>", re.IGNORECASE)
_HREFLESS_A = re.compile(r'<a rel="noopener">(.*?)</a>', re.DOTALL)
_EMPTY_P = re.compile(r"<p>(?:\s|&nbsp;|<br>)*</p>")
_TOKEN = re.compile(r"""<(/?)([a-z0-9]+)(?:[^>"']|"[^"]*"|'[^']*')*>|[^<]+|<""")
_BR_AFTER_OPEN = re.compile(r"(<(?:p|li|td|th|blockquote|h[234])>)(?:\s*<br>)+")
_BR_BEFORE_CLOSE = re.compile(r"(?:<br>\s*)+(</(?:p|li|td|th|blockquote|h[234])>)")
_BR_RUN = re.compile(r"<br>(?:\s*<br>){2,}")
_BR_AFTER_BLOCK = re.compile(r"(</(?:p|ul|ol|blockquote|h2|h3|h4|table)>)(?:\s*<br>)+")
_BR_BEFORE_BLOCK = re.compile(r"(?:<br>\s*)+(<(?:p|ul|ol|blockquote|h2|h3|h4|table)[ >])")
_WS_RUN = re.compile(r"[ \t\r\n]+")
_AROUND_BLOCK = re.compile(
    r"\s*(</?(?:p|ul|ol|li|blockquote|h2|h3|h4|table|thead|tbody|tfoot|tr|th|td|caption)"
    r"(?:\s[^>]*)?>)\s*"
)
_BLOCK_TAGS = frozenset(
    {"p", "ul", "ol", "li", "blockquote", "h2", "h3", "h4", "table", "thead", "tbody",
     "tfoot", "tr", "th", "td", "caption"}
)  # fmt: skip


def sanitize_html(markup: str) -> str:
    """Clean third-party HTML down to the allowed vocabulary, in ``<p>`` blocks."""
    if not markup or not markup.strip():
        return ""
    m = _BODY_INNER.search(markup)
    if m:  # a whole document (ninjs html5 bodies): only the body is the story
        markup = m.group(1)
    if "\n" in markup:  # a wrap inside Japanese text is not a space
        markup = CJK_WRAP.sub("", markup)
    markup = _H1.sub(r"<\1h2", markup)  # h1 belongs to the page; keep the structure
    markup = _H56.sub(r"<\1h4", markup)
    # Block containers are unwrapped by the cleaner; mark their edges so loose text on
    # either side does not merge into one paragraph.
    markup = _BLOCK_BREAK.sub("<br><br>", markup)
    cleaned = _cleaner.clean(markup)
    cleaned = _HREFLESS_A.sub(r"\1", cleaned)
    # Source indentation and line breaks mean nothing in HTML: one space, none at the
    # edges of blocks.
    cleaned = _AROUND_BLOCK.sub(r"\1", _WS_RUN.sub(" ", cleaned))
    return _wrap_loose_inline(cleaned)


def _wrap_loose_inline(markup: str) -> str:
    """Put top-level text and inline elements into ``<p>``; split at ``<br><br>``."""
    out: list[str] = []
    para: list[str] = []
    depth = 0

    def flush() -> None:
        text = "".join(para).strip()
        while text.startswith("<br>"):
            text = text[4:].lstrip()
        while text.endswith("<br>"):
            text = text[:-4].rstrip()
        if text:
            out.append(f"<p>{text}</p>")
        para.clear()

    for m in _TOKEN.finditer(markup):
        closing, tag = m.group(1), m.group(2)
        token = m.group(0)
        if tag in _BLOCK_TAGS:
            if depth == 0 and not closing:
                flush()
            depth += -1 if closing else 1
            out.append(token)
            continue
        if depth > 0:
            out.append(token)
        elif tag == "br":
            while para and not para[-1].strip():
                para.pop()
            if para and para[-1] == "<br>":  # <br><br>: a paragraph break
                para.pop()
                flush()
            else:
                para.append(token)
        elif para or token.strip():
            para.append(token)
    flush()
    result = "".join(out)
    if "<br>" in result:
        result = _BR_RUN.sub("<br><br>", result)
        result = _BR_AFTER_OPEN.sub(r"\1", result)
        result = _BR_BEFORE_CLOSE.sub(r"\1", result)
        result = _BR_AFTER_BLOCK.sub(r"\1", result)
        result = _BR_BEFORE_BLOCK.sub(r"\1", result)
    result = _EMPTY_P.sub("", result)
    return _AROUND_BLOCK.sub(r"\1", result).strip()


_BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n")


def text_to_html(text: str) -> str:
    """Plain text to escaped ``<p>`` paragraphs.

    Blank lines separate paragraphs when there are any; otherwise every line is a
    paragraph (Japanese wires put one paragraph per line, starting with a full-width
    space). Wrapped lines inside a paragraph are joined.
    """
    if not text or not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    blocks = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.split("\n")
    paras = []
    for block in blocks:
        para = norm_space(block)
        if para:
            paras.append(f"<p>{stdlib_html.escape(para, quote=False)}</p>")
    return "".join(paras)


def strip_namespaces(el: etree._Element) -> None:
    """XHTML/NITF elements to bare HTML tag names, in place."""
    for node in el.iter():
        tag = node.tag
        if isinstance(tag, str) and tag[0] == "{":
            node.tag = tag.rpartition("}")[2]
    etree.cleanup_namespaces(el)


def element_children_to_html(el: etree._Element) -> str:
    """Serialise an element's content (text and children, not the element itself)."""
    parts = [stdlib_html.escape(el.text, quote=False)] if el.text else []
    for child in el:
        parts.append(etree.tostring(child, encoding="unicode", method="html", with_tail=True))
    return "".join(parts)


def xhtml_to_html(el: etree._Element) -> str:
    """An XHTML ``<html>``/``<body>``/fragment container from inline XML, sanitised."""
    strip_namespaces(el)
    body = el.find("body") if el.tag == "html" else None
    if body is not None:
        return sanitize_html(element_children_to_html(body))
    if el.tag in ("html", "head"):
        return ""
    return sanitize_html(etree.tostring(el, encoding="unicode", method="html", with_tail=False))
