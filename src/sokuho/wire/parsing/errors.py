"""The one exception the wire parsers raise for input they cannot turn into an item."""

from __future__ import annotations


class WireParseError(Exception):
    """A wire document (or one item in it) was refused.

    ``reason`` is a sentence an editor can read in the ingest log; ``code`` is a short
    stable token (``"no-headline"``, ``"entity-declaration"``, ``"too-large"`` …) so
    callers can count and route refusals without matching on English text.
    """

    def __init__(self, reason: str, *, code: str = "invalid", filename: str = "", guid: str = ""):
        self.reason = reason
        self.code = code
        self.filename = filename
        self.guid = guid
        super().__init__(reason)

    def __str__(self) -> str:
        where = " ".join(p for p in (self.filename, f"[{self.guid}]" if self.guid else "") if p)
        return f"{where}: {self.reason}" if where else self.reason
