"""Purges sent to a cache tier in front of the app: Varnish with xkey, by surrogate key.

SOKUHO_VARNISH_URLS (comma-separated, e.g. http://127.0.0.1:6081) names the caches.
A cache that does not answer is logged, never an error for the editor who published.
"""

from __future__ import annotations

import logging
import urllib.request
from collections.abc import Iterable

from django.conf import settings

logger = logging.getLogger(__name__)


def purge_edge(tags: Iterable[str]) -> None:
    urls = getattr(settings, "SOKUHO_VARNISH_URLS", [])
    if not urls:
        return
    keys = " ".join(sorted(tags))
    for base in urls:
        request = urllib.request.Request(  # noqa: S310 -- an operator-configured http URL
            base.rstrip("/") + "/", method="PURGE", headers={"xkey-purge": keys}
        )
        try:
            with urllib.request.urlopen(request, timeout=2):  # noqa: S310 -- configured URL
                pass
        except OSError as error:
            logger.warning("Purge of %s at %s failed: %s", keys, base, error)
