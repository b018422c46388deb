"""The only way wire XML is parsed: one hardened lxml parser.

Wire files come from outside, over FTP drops and HTTP pushes, so they are treated as
hostile: no DTD loading, no network, no entity expansion, no huge trees, a size cap,
and any DOCTYPE that declares entities (billion laughs, XXE) is refused before libxml2
sees it.
"""

from __future__ import annotations

import re
import threading
from html.entities import name2codepoint

from lxml import etree

from .errors import WireParseError

MAX_INPUT_BYTES = 20 * 1024 * 1024  # a wire story with pictures by reference is < 1 MB

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_local = threading.local()


def make_parser() -> etree.XMLParser:
    """A new hardened parser (lxml parsers are not shareable across threads)."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,  # comments must not leak into bodies
        remove_pis=True,
        # Do NOT pass collect_ids=False: with lxml 6 / libxml2 2.14 it makes libxml2
        # load the external DTD (file:///etc/passwd, /dev/zero …) despite load_dtd=False.
    )


def get_parser() -> etree.XMLParser:
    """This thread's hardened parser."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = make_parser()
    return parser


def check_size(data: bytes) -> None:
    """Refuse oversized input before any decoding or parsing work is spent on it."""
    if len(data) > MAX_INPUT_BYTES:
        raise WireParseError(
            f"input is {len(data):,} bytes; the limit is {MAX_INPUT_BYTES:,} bytes",
            code="too-large",
        )


def parse_xml(data: bytes, warnings: list[str]) -> etree._Element:
    """Parse UTF-8 XML bytes (see ``encoding.decode_xml``) into a root element."""
    check_size(data)
    doctype = _DOCTYPE.search(data)
    if doctype is not None:
        if _ENTITY_DECL.search(data, doctype.start()):
            raise WireParseError(
                "the DOCTYPE declares entities (entity expansion/external entity attack "
                "or an internal subset); wire documents must not declare entities",
                code="entity-declaration",
            )
        warnings.append("DOCTYPE present; its DTD was not loaded")
    try:
        root = etree.fromstring(data, get_parser())
    except etree.XMLSyntaxError as exc:
        raise WireParseError(f"XML is not well-formed: {exc}", code="xml-syntax") from exc
    except ValueError as exc:  # e.g. lxml refusing a str/bytes mismatch
        raise WireParseError(f"XML could not be read: {exc}", code="xml-syntax") from exc
    if root is None:
        raise WireParseError("XML document has no root element", code="xml-syntax")
    if doctype is not None:
        tree = root.getroottree()
        dtd = tree.docinfo.internalDTD
        if dtd is not None and any(True for _ in dtd.iterentities()):
            # Belt and braces: the byte scan above should already have caught this.
            raise WireParseError("the DOCTYPE declares entities", code="entity-declaration")
        _replace_entity_references(root, warnings)
    return root


def _replace_entity_references(root: etree._Element, warnings: list[str]) -> None:
    """With a DOCTYPE but no DTD, ``&nbsp;`` and friends stay as entity nodes: map
    HTML entity names to characters and drop the rest, so no text is silently lost."""
    for ent in list(root.iter(etree.Entity)):
        name = ent.name
        code = name2codepoint.get(name)
        if code is None:
            warnings.append(f"undefined entity &{name}; dropped")
            replacement = ""
        else:
            replacement = chr(code)
        text = replacement + (ent.tail or "")
        parent = ent.getparent()
        if parent is None:
            continue
        prev = ent.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
        parent.remove(ent)


def localname(el: etree._Element) -> str:
    """Tag without its namespace; "" for comments and other non-elements."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2] if tag[0] == "{" else tag


def namespace(el: etree._Element) -> str:
    tag = el.tag
    if isinstance(tag, str) and tag[0] == "{":
        return tag[1:].partition("}")[0]
    return ""
